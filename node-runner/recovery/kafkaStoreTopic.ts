/**
 * The topic of a Kafka recovery store (kafkaStore.ts): what the runner names when it says where
 * recovery is, without loading the store's code (and Kafka's) for that.
 *
 * ```ts
 * kafkaStoreTopic("eddy-orders"); // "eddy-orders-state"
 * ```
 */

/** The compacted topic that holds the store with this prefix. */
export function kafkaStoreTopic(topicPrefix: string): string {
  return `${topicPrefix}-state`;
}
