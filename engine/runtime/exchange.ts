/**
 * The exchange before a keyed step: each `[key, value]` item goes to worker `hash(key) mod n`.
 * Items for this worker are delivered directly; the rest travel as one batch per worker through the
 * transport. Frontier markers go to every worker, after the batches, so they never overtake them.
 * The `[key, value]` shape is checked here, once, and the keyed step trusts it; so is plain data,
 * when the host copies items between threads (HostServices.plainItems; then even one worker has an
 * exchange, so that a class instance is refused alike with one worker and with several). Items for
 * another worker over a transport that encodes them (`Endpoint.encodesItems`) are checked by its
 * encoder instead, and a refusal is reported with this same error.
 */

import { EddyTypeError } from "../errors.js";
import { assertKeyed, workerForKey } from "../operators/keyed.js";
import { preview } from "../preview.js";
import { notPlainData } from "./plainData.js";
import type { Endpoint } from "../ports/transport.js";
import type { OutputTarget, RuntimeNode } from "./runtimeNode.js";

export class ExchangeTarget implements OutputTarget {
  constructor(
    private readonly endpoint: Endpoint,
    private readonly local: RuntimeNode,
    private readonly nodeIndex: number,
    private readonly port: number,
    /** Refuse items that are not plain data (HostServices.plainItems). */
    private readonly plainItems: boolean,
    private readonly onBadItem: (error: unknown, item: unknown) => unknown,
  ) {}

  push(epoch: number, items: unknown[]): void {
    const { workerCount, workerIndex } = this.endpoint;
    if (workerCount === 1) {
      this.checkOnly(items);
      this.local.receive(this.port, epoch, items);
      return;
    }
    const buckets: unknown[][] = [];
    for (let to = 0; to < workerCount; to++) buckets.push([]);
    const { stepId, op } = this.local;
    // Items for other workers are checked by the transport's encoder when it encodes them.
    const checkRemote = this.plainItems && this.endpoint.encodesItems !== true;
    let item: unknown;
    try {
      for (let i = 0; i < items.length; i++) {
        item = items[i];
        assertKeyed(item, stepId, op);
        const to = workerForKey(item[0], workerCount);
        if (this.plainItems && (to === workerIndex || checkRemote)) assertPlain(item, stepId, op);
        buckets[to]!.push(item);
      }
    } catch (error) {
      throw this.onBadItem(error, item);
    }
    for (let to = 0; to < workerCount; to++) {
      const bucket = buckets[to]!;
      if (bucket.length === 0) continue;
      if (to === workerIndex) {
        this.local.receive(this.port, epoch, bucket);
        continue;
      }
      try {
        this.endpoint.send(to, { kind: "data", node: this.nodeIndex, port: this.port, epoch, items: bucket });
      } catch (error) {
        // Across threads or processes items are copied; one that cannot be copied fails here, with
        // the same error as a check before sending would have given.
        if (this.plainItems) this.refuseFirstNotPlain(bucket);
        throw this.onBadItem(error, bucket[0]);
      }
    }
  }

  /** Throws (through onBadItem) the exchange's own error for the first item of `bucket` that is not plain data, if any. */
  private refuseFirstNotPlain(bucket: readonly unknown[]): void {
    const { stepId, op } = this.local;
    for (const item of bucket) {
      try {
        assertPlain(item as [string, unknown], stepId, op);
      } catch (error) {
        throw this.onBadItem(error, item);
      }
    }
  }

  /** One worker (there is an exchange for one only with plainItems): every item stays here, only checked. */
  private checkOnly(items: unknown[]): void {
    const { stepId, op } = this.local;
    const plainItems = this.plainItems;
    let item: unknown;
    try {
      for (let i = 0; i < items.length; i++) {
        item = items[i];
        assertKeyed(item, stepId, op);
        if (plainItems) assertPlain(item, stepId, op);
      }
    } catch (error) {
      throw this.onBadItem(error, item);
    }
  }

  advance(frontier: number): void {
    const { workerCount, workerIndex } = this.endpoint;
    for (let to = 0; to < workerCount; to++) {
      if (to === workerIndex) this.local.advance(this.port, workerIndex, frontier);
      else this.endpoint.send(to, { kind: "frontier", node: this.nodeIndex, port: this.port, from: workerIndex, frontier });
    }
  }
}

/** Throws the TypeError for an item whose value is not plain data (only `[key, value]` items get here). */
function assertPlain(item: [string, unknown], stepId: string, op: string): void {
  const value = item[1];
  if (typeof value !== "object" && typeof value !== "function" && typeof value !== "symbol") return;
  const problem = notPlainData(value);
  if (problem === undefined) return;
  throw new EddyTypeError(
    "EXCHANGE_NOT_PLAIN",
    stepId,
    `Step "${stepId}" (${op}): items that go to a keyed step must be plain data, because worker threads copy them (with any worker count, so that one thread and several agree); the value of \`${preview(item)}\` is not: ${problem}`,
  );
}
