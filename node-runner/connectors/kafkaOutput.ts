/**
 * The writer of `KafkaOutputConfig`: a producer per worker (behind our Kafka port,
 * ../kafka/producer.ts), items `[key, payload]` (kafkaOutputRecords.ts), one send per batch the
 * engine writes (cut at `batch.size` bytes), sends one after another so that records of a key stay
 * in order (the default partitioner puts a key on one partition). A write returns at once while
 * few sends are queued, and a promise (back-pressure) beyond that.
 *
 * At least once (default): an idempotent producer (acks from all in-sync replicas). `closeEpoch`
 * resolves once every send of the epoch is acknowledged, so the worker never counts an epoch
 * durable before its records are in Kafka. A resume replays from the resume epoch: duplicates only
 * from there.
 *
 * Exactly once (`exactlyOnce: true`, beyond Bytewax). The commit protocol:
 * 1. Epoch e's records go into a transaction of its own, on the transactional id
 *    `${prefix}-w${worker}-e${e}` (kafkaTransactions.ts), opened at the epoch's first write. The
 *    ids are per epoch, so e + 1 can be written while e waits for its commit (no buffering), and a
 *    commit by id can only commit its own epoch. Memory stays bounded: records go to Kafka as they
 *    come (uncommitted), only the ids of the transactions wait.
 * 2. `closeEpoch(e)`: every send of e acknowledged; e's transaction joins the pending list, which
 *    is the sink's snapshot saved with epoch e (each pending transaction with its transactional id,
 *    producer id and producer epoch).
 * 3. `epochDurable(e)` (the cluster's durable frontier passed e: every worker's snapshot of e is
 *    saved, so no resume can replay e): the pending transactions up to e are committed, in order.
 *    Without recovery nothing can be replayed: commit right at `closeEpoch`.
 * 4. Resume (restore, then before the first write or the first epoch's close, whichever comes
 *    first): the pending transactions of the restored state, all of epochs below the resume epoch,
 *    are committed with EndTxn by their saved ids (a recoverable commit, as Flink's: no
 *    InitProducerId first, which would abort them); this closes the window where the cluster had
 *    made e durable but the killed run had not yet committed e. Then the ids of the resume epoch
 *    and the next are fenced, aborting what the killed run had opened for epochs it will replay.
 *    Never later than the first close: a run that made epochs durable before this worker fenced
 *    (it had nothing to write yet), then was killed, would resume the next run past that range,
 *    and what the first killed run had open would stay open until `transaction.timeout.ms`, read
 *    committed consumers stalled behind it.
 * 5. End of input: the writer declares `needsDurableEnd`, so with recovery the engine makes the
 *    end durable too: each worker saves its last (partial) epoch with a mark that its partition
 *    finished and then counts as durable for every epoch (a worker whose input ended early never
 *    holds the others back); once every other worker saved that epoch too (or finished),
 *    `epochDurable` covers the last epochs and their transactions are committed there, never in
 *    `finish` (which only waits for the sends).
 *    The worker is not done, and the producer stays open, until they are. A resume never replays a
 *    finished worker's committed epochs, and a re-run of a finished store resumes after its end:
 *    nothing is written twice, at the end of input either.
 *
 * What stays outside the guarantee: a transaction the broker aborted before it could be committed
 * (`transaction.timeout.ms`, default 60 s, passed between its first record and its commit: an epoch
 * plus a resume must fit in it, and so must, at the end of input, the wait until every worker
 * saved a finished worker's last epoch) fails the run with OUTPUT_KAFKA_TRANSACTION_LOST, and its records are lost; leftovers of a
 * run discarded with --fresh (its open transactions) are aborted by the broker only after the
 * timeout, and a fresh run writes everything again.
 */

import { EddyError, type KafkaOutputConfig, type OutputContext, type SinkWriter } from "../../engine/host/index.js";
import { kafkajsProducer } from "../kafka/kafkajsProducer.js";
import type { KafkaProducer, KafkaTransaction, OutgoingRecord } from "../kafka/producer.js";
import { producerSettings, type ProducerSettings } from "../kafka/producerOptions.js";
import { committable, defaultTransactionalPrefix, parseSinkState, resumePlan, transactionalId, type KafkaSinkState, type PendingTransaction } from "./kafkaTransactions.js";
import { toRecords } from "./kafkaOutputRecords.js";

/** A write waits (back-pressure) once this many sends are queued. */
const MAX_QUEUED_SENDS = 8;

export type KafkaProducerFactory = (settings: ProducerSettings) => KafkaProducer;

export function createKafkaWriter(config: KafkaOutputConfig, ctx: OutputContext, openProducer: KafkaProducerFactory = kafkajsProducer): SinkWriter {
  const writer = new KafkaWriter(config, ctx, openProducer);
  if (config.exactlyOnce) return writer;
  // At least once keeps no state: no snapshot (the step is no recovery key), nothing to wait for.
  return {
    write: (epoch, items) => writer.write(epoch, items),
    closeEpoch: (epoch) => writer.closeEpoch(epoch),
    finish: () => writer.finish(),
    close: () => writer.close(),
  };
}

class KafkaWriter implements SinkWriter {
  /** Exactly once: the last epochs must become durable too, their commits wait for it. */
  readonly needsDurableEnd: boolean;
  private readonly settings: ProducerSettings;
  private readonly producer: KafkaProducer;
  private readonly where: string;
  private readonly prefix: string;
  /** Sends, one after another. */
  private sends: Promise<void> = Promise.resolve();
  private queued = 0;
  /** Commits, one after another. */
  private commits: Promise<void> = Promise.resolve();
  private started: Promise<void> | undefined;
  private restored: KafkaSinkState | undefined;
  /** Exactly once: the open transaction of each epoch being written. */
  private readonly open = new Map<number, Promise<KafkaTransaction>>();
  /** Exactly once: closed epochs' transactions not known to be committed, and the live ones among them. */
  private pending: PendingTransaction[] = [];
  private readonly live = new Map<number, KafkaTransaction>();
  private lastClosed = -1;
  private closed = false;
  private failure: { readonly error: unknown } | undefined;

  constructor(
    private readonly config: KafkaOutputConfig,
    private readonly ctx: OutputContext,
    openProducer: KafkaProducerFactory,
  ) {
    this.needsDurableEnd = config.exactlyOnce === true;
    this.where = `Step "${ctx.stepId}" (capture), Kafka topic ${config.topic}, worker ${ctx.workerIndex}`;
    this.settings = producerSettings(config);
    this.prefix = this.settings.transactionalIdPrefix ?? defaultTransactionalPrefix(config.topic, ctx.stepId);
    this.producer = openProducer(this.settings);
  }

  write(epoch: number, items: readonly unknown[]): void | Promise<void> {
    const batches = toRecords(items, this.ctx.stepId, this.settings.maxBatchBytes, this.ctx.failedOn);
    let last: Promise<void> | undefined;
    for (const records of batches) last = this.enqueue(() => this.sendOf(epoch, records));
    if (last !== undefined && this.queued > MAX_QUEUED_SENDS) return last;
  }

  closeEpoch(epoch: number): Promise<void> {
    return this.enqueue(async () => {
      this.lastClosed = epoch;
      if (!this.config.exactlyOnce) return;
      // A worker with nothing to write still fences before its first epoch can count as durable (4.).
      await this.start();
      const opened = this.open.get(epoch);
      if (opened === undefined) return;
      this.open.delete(epoch);
      const transaction = await opened;
      this.pending.push({ epoch, ...transaction.ids });
      this.live.set(epoch, transaction);
      if (!this.ctx.recording) await this.commitUpTo(epoch);
    });
  }

  snapshot(): unknown {
    return { epoch: this.lastClosed, pending: this.pending.map((p) => ({ ...p })) } satisfies KafkaSinkState;
  }

  restore(state: unknown): void {
    if (!this.config.exactlyOnce) return;
    this.restored = parseSinkState(state, this.where);
    this.lastClosed = this.restored.epoch;
    this.pending = [...this.restored.pending];
  }

  epochDurable(epoch: number): void | Promise<void> {
    if (!this.config.exactlyOnce || !this.pending.some((p) => p.epoch <= epoch)) return;
    return this.commitUpTo(epoch);
  }

  /**
   * Waits for every send. Exactly once with recovery, the pending transactions wait for
   * `epochDurable` (the end of input is made durable too): the producer stays open for them until
   * `close`. Otherwise nothing is pending (without recovery each epoch commits as it closes).
   */
  async finish(): Promise<void> {
    await this.enqueue(async () => {});
    if (this.config.exactlyOnce && this.ctx.recording) return;
    await this.release();
  }

  close(): void {
    void this.release();
  }

  private async release(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.producer.close();
  }

  /** Connects; exactly once: commits what the restored state left pending and fences the epochs a resume replays. */
  private start(): Promise<void> {
    this.started ??= (async () => {
      await this.producer.connect();
      if (!this.config.exactlyOnce) return;
      const plan = resumePlan(this.restored, this.prefix, this.ctx.workerIndex);
      await this.commitPending(plan.commit, true);
      for (const id of plan.fence) await this.producer.fence(id);
    })();
    return this.started;
  }

  private async sendOf(epoch: number, records: readonly OutgoingRecord[]): Promise<void> {
    await this.start();
    if (!this.config.exactlyOnce) {
      await this.producer.send(records);
      return;
    }
    let opened = this.open.get(epoch);
    if (opened === undefined) {
      opened = this.producer.beginTransaction(transactionalId(this.prefix, this.ctx.workerIndex, epoch));
      this.open.set(epoch, opened);
    }
    await (await opened).send(records);
  }

  private commitUpTo(epoch: number): Promise<void> {
    const next = this.commits.then(() => this.commitPending(committable(this.pending, epoch).commit));
    this.commits = next.catch(() => {});
    return next;
  }

  /** Commits `transactions` in order: live ones by their producer, recovered ones by their saved ids. */
  private async commitPending(transactions: readonly PendingTransaction[], starting = false): Promise<void> {
    for (const transaction of transactions) {
      const live = this.live.get(transaction.epoch);
      if (live !== undefined && live.ids.transactionalId === transaction.transactionalId) {
        await live.commit();
      } else {
        if (!starting) await this.start();
        const outcome = await this.producer.commitRecovered(transaction);
        if (outcome === "lost") {
          throw new EddyError(
            "OUTPUT_KAFKA_TRANSACTION_LOST",
            `${this.where}: the transaction of epoch ${transaction.epoch} (${transaction.transactionalId}) was durable but the broker no longer has it open to commit: it aborted it (transaction.timeout.ms, ${this.settings.transactionTimeoutMs} ms, passed before the resume) or forgot its id; its records are lost`,
          );
        }
      }
      this.live.delete(transaction.epoch);
      this.pending = this.pending.filter((p) => p !== transaction && p.epoch !== transaction.epoch);
    }
  }

  /** Queues `work` after every send queued before; after a failure, everything queued fails with it. */
  private enqueue(work: () => Promise<void>): Promise<void> {
    this.queued += 1;
    const next = this.sends
      .then(() => {
        if (this.failure) throw this.failure.error;
        return work();
      })
      .catch((error: unknown) => {
        this.failure ??= { error };
        throw error;
      })
      .finally(() => {
        this.queued -= 1;
      });
    this.sends = next.catch(() => {});
    return next;
  }
}
