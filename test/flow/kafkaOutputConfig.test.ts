/**
 * The Kafka output's config and flow-file block, without a broker: its property table (the input's
 * connection properties and the producer's own), refusals at construction and by validation, the
 * `exactlyOnce` checks, and the producer settings they map to.
 */

import { describe, expect, it } from "vitest";
import { KafkaOutputConfig } from "../../engine/configs/outputs.js";
import { compileFlow } from "../../engine/flow/compile.js";
import type { FlowDefinition } from "../../engine/flow/schema.js";
import { validateFlow } from "../../engine/flow/validateFlow.js";
import { producerSettings } from "../../node-runner/kafka/producerOptions.js";

function outputFlow(output: Record<string, unknown>): FlowDefinition {
  return {
    format: "eddy.flow",
    version: 1,
    steps: [
      { id: "in", op: "input", input: { type: "list", items: [["k", "v"]] } },
      { id: "out", op: "capture", after: ["in"], output: { type: "kafka", brokers: ["127.0.0.1:9092"], topic: "t", ...output } },
    ],
  } as FlowDefinition;
}

describe("KafkaOutputConfig", () => {
  it("refuses an unknown property with the known ones listed, and input-only ones", () => {
    expect(() => new KafkaOutputConfig(["b:1"], "t", { additionalProperties: { "compresion.type": "gzip" } })).toThrowError(
      /unknown Kafka property "compresion.type" \(did you mean "compression.type"\?\); known: acks, batch.size, client.id, /,
    );
    expect(() => new KafkaOutputConfig(["b:1"], "t", { additionalProperties: { "fetch.wait.max.ms": "5" } })).toThrowError('unknown Kafka property "fetch.wait.max.ms"');
  });

  it("refuses exactlyOnce with acks other than all, or without idempotence; and a non-boolean exactlyOnce", () => {
    expect(() => new KafkaOutputConfig(["b:1"], "t", { exactlyOnce: true, additionalProperties: { acks: "1" } })).toThrowError("needs acks from all in-sync replicas");
    expect(() => new KafkaOutputConfig(["b:1"], "t", { exactlyOnce: true, additionalProperties: { "enable.idempotence": "false" } })).toThrowError("needs an idempotent producer");
    expect(() => new KafkaOutputConfig(["b:1"], "t", { exactlyOnce: "yes" as never })).toThrowError("`exactlyOnce` must be a boolean");
    expect(() => new KafkaOutputConfig([], "t")).toThrowError("`brokers` must be a non-empty array");
  });

  it("keeps state (its pending transactions) only with exactlyOnce", () => {
    expect(new KafkaOutputConfig(["b:1"], "t").keepsState).toBe(false);
    expect(new KafkaOutputConfig(["b:1"], "t", { exactlyOnce: true }).keepsState).toBe(true);
  });

  it("maps the producer's properties onto its settings", () => {
    const settings = producerSettings(
      new KafkaOutputConfig(["b:1"], "t", {
        additionalProperties: { acks: "1", "compression.type": "gzip", "batch.size": "1000", "client.id": "me", "transaction.timeout.ms": "90000", "linger.ms": "5" },
      }),
    );
    expect(settings).toMatchObject({ acks: 1, idempotent: false, compression: "gzip", maxBatchBytes: 1000, transactionTimeoutMs: 90000 });
    expect(settings.client.clientId).toBe("me");
    expect(producerSettings(new KafkaOutputConfig(["b:1"], "t"))).toMatchObject({ acks: -1, idempotent: true, compression: "none", transactionTimeoutMs: 60000 });
  });
});

describe("the flow file's kafka output block", () => {
  it("validation refuses an unknown property, with its path, and never connects", () => {
    const problems = validateFlow(outputFlow({ additionalProperties: { "sasl.pasword": "secret" } }));
    expect(problems).toEqual([
      expect.objectContaining({ code: "FLOW_INVALID_VALUE", path: "/steps/1/output/additionalProperties/sasl.pasword", stepId: "out", message: expect.stringContaining('unknown Kafka property "sasl.pasword" (did you mean "sasl.password"?)') }),
    ]);
    expect(JSON.stringify(problems)).not.toContain("secret");
  });

  it("compiles exactlyOnce and the properties", () => {
    const file = outputFlow({ exactlyOnce: true, additionalProperties: { "compression.type": "gzip" } });
    expect(validateFlow(file)).toEqual([]);
    const config = compileFlow(file).flow.steps[1]!;
    expect(config).toMatchObject({ config: { type: "kafka", exactlyOnce: true, additionalProperties: { "compression.type": "gzip" } } });
    expect(validateFlow(outputFlow({ exactlyOnce: "yes" }))).toEqual([expect.objectContaining({ path: "/steps/1/output/exactlyOnce" })]);
  });
});
