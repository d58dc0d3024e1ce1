/**
 * The pure decisions of the exactly-once Kafka output (node-runner/connectors/kafkaTransactions.ts)
 * and its item checks (kafkaOutputRecords.ts), without a broker.
 */

import { describe, expect, it } from "vitest";
import { committable, parseSinkState, resumePlan, transactionalId, type PendingTransaction } from "../../node-runner/connectors/kafkaTransactions.js";
import { toRecords } from "../../node-runner/connectors/kafkaOutputRecords.js";

const txn = (epoch: number, producerEpoch = 0): PendingTransaction => ({ epoch, transactionalId: transactionalId("p", 1, epoch), producerId: String(100 + epoch), producerEpoch });

describe("resumePlan", () => {
  it("a fresh start commits nothing and fences the ids of epochs 0 and 1", () => {
    expect(resumePlan(undefined, "p", 1)).toEqual({ commit: [], fence: ["p-w1-e0", "p-w1-e1"] });
  });

  it("a resume commits every pending transaction of the restored state, by epoch, and fences the resume epoch and the next", () => {
    const plan = resumePlan({ epoch: 7, pending: [txn(7), txn(6)] }, "p", 1);
    expect(plan.commit.map((t) => t.epoch)).toEqual([6, 7]);
    expect(plan.commit[0]).toEqual(txn(6));
    expect(plan.fence).toEqual(["p-w1-e8", "p-w1-e9"]);
  });

  it("a state with nothing pending (every transaction committed before the snapshot) commits nothing", () => {
    expect(resumePlan({ epoch: 3, pending: [] }, "p", 0)).toEqual({ commit: [], fence: ["p-w0-e4", "p-w0-e5"] });
  });
});

describe("committable", () => {
  it("commits the pending transactions up to the durable epoch, in order; the later ones wait", () => {
    const { commit, wait } = committable([txn(5), txn(3), txn(4)], 4);
    expect(commit.map((t) => t.epoch)).toEqual([3, 4]);
    expect(wait.map((t) => t.epoch)).toEqual([5]);
  });
});

describe("parseSinkState", () => {
  it("takes what the sink saves", () => {
    expect(parseSinkState({ epoch: 2, pending: [txn(2)] }, "here")).toEqual({ epoch: 2, pending: [txn(2)] });
  });

  it.each([
    ["not an object", 5],
    ["no epoch", { pending: [] }],
    ["no pending list", { epoch: 1 }],
    ["a pending transaction without ids", { epoch: 1, pending: [{ epoch: 1 }] }],
    ["a producer id that is not a 64-bit integer as text", { epoch: 1, pending: [{ ...txn(1), producerId: 7 }] }],
    ["a pending transaction after the state's epoch", { epoch: 1, pending: [txn(2)] }],
  ])("refuses %s (RECOVERY_CORRUPT)", (_why, state) => {
    expect(() => parseSinkState(state, "Step out")).toThrow(expect.objectContaining({ code: "RECOVERY_CORRUPT" }));
  });
});

describe("toRecords", () => {
  it("keeps strings, Uint8Arrays and nulls, in sends of at most maxBytes (at least one record each)", () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect(toRecords([["k", "v"], [null, bytes], ["k", null]], "out", 1 << 20)).toEqual([[{ key: "k", value: "v" }, { key: null, value: bytes }, { key: "k", value: null }]]);
    expect(toRecords([[null, new Uint8Array(10)], [null, new Uint8Array(10)], [null, new Uint8Array(30)]], "out", 20).map((send) => send.length)).toEqual([2, 1]);
  });

  it.each([[5], [["k"]], [["k", 1]], [[1, "v"]], [["k", "v", "x"]], [{ key: "k", value: "v" }]])("refuses %j with a TypeError naming the step", (item) => {
    let error: unknown;
    try {
      toRecords([item], "out", 1 << 20);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ code: "OUTPUT_KAFKA_NOT_PAIR" });
    expect((error as Error).message).toMatch(/^Step "out" \(capture\): a Kafka output requires each item to be a \[key, payload\] array/);
  });
});
