/**
 * The librdkafka-style properties that a Kafka input (and, in a table of its own, a Kafka output)
 * accepts in `additionalProperties`, as Bytewax
 * users pass them (`security.protocol`, `sasl.username`, `fetch.max.bytes`, ...): one closed table
 * of names, each with the kind of value it takes. Pure data and pure checks, shared by
 * `KafkaInputConfig` (refuses at construction) and flow validation (refuses before anything runs);
 * the Node host maps them onto its client (node-runner/kafka/clientOptions.ts).
 *
 * A value is never shown in a message when its property is a secret (`sasl.password`,
 * `ssl.key.password`), nor the value of an unknown property (it might be one).
 *
 * ```ts
 * kafkaPropertyProblems({ "security.protocol": "SASL_SSL", "sasl.pasword": "x" });
 * // ['unknown Kafka property "sasl.pasword" (did you mean "sasl.password"?); known: ...']
 * ```
 */

import { closestName } from "../closestName.js";

export type KafkaPropertyKind =
  | { readonly type: "string"; readonly secret?: true }
  | { readonly type: "integer"; readonly min: number }
  | { readonly type: "boolean" }
  | { readonly type: "enum"; readonly values: readonly string[] }
  /** Accepted for Bytewax compatibility and ignored: the input uses no consumer group. */
  | { readonly type: "ignored" };

const text: KafkaPropertyKind = { type: "string" };
const secret: KafkaPropertyKind = { type: "string", secret: true };
const count = (min: number): KafkaPropertyKind => ({ type: "integer", min });
const ignored: KafkaPropertyKind = { type: "ignored" };

const mechanisms: KafkaPropertyKind = { type: "enum", values: ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] };

/** The connection and security properties, the same for inputs and outputs. */
const CONNECTION_PROPERTIES: Readonly<Record<string, KafkaPropertyKind>> = {
  "client.id": text,
  "security.protocol": { type: "enum", values: ["plaintext", "ssl", "sasl_plaintext", "sasl_ssl"] },
  "sasl.mechanisms": mechanisms,
  "sasl.mechanism": mechanisms,
  "sasl.username": text,
  "sasl.password": secret,
  "ssl.ca.location": text,
  "ssl.certificate.location": text,
  "ssl.key.location": text,
  "ssl.key.password": secret,
  "enable.ssl.certificate.verification": { type: "boolean" },
  "socket.timeout.ms": count(10),
  "request.timeout.ms": count(10),
  "socket.connection.setup.timeout.ms": count(10),
  "metadata.max.age.ms": count(1),
};

/** Every property a Kafka input accepts (names as librdkafka spells them). */
export const KAFKA_INPUT_PROPERTIES: Readonly<Record<string, KafkaPropertyKind>> = {
  ...CONNECTION_PROPERTIES,
  "fetch.min.bytes": count(1),
  "fetch.max.bytes": count(1),
  "fetch.message.max.bytes": count(1),
  "max.partition.fetch.bytes": count(1),
  "fetch.wait.max.ms": count(0),
  "isolation.level": { type: "enum", values: ["read_committed", "read_uncommitted"] },
  "auto.offset.reset": { type: "enum", values: ["error", "earliest", "smallest", "beginning", "latest", "largest", "end"] },
  "group.id": ignored,
  "enable.auto.commit": ignored,
  "enable.auto.offset.store": ignored,
  "enable.partition.eof": ignored,
  "auto.commit.interval.ms": ignored,
  "session.timeout.ms": ignored,
  "heartbeat.interval.ms": ignored,
};

/**
 * Every property a Kafka output accepts: the connection and security ones of the input, and the
 * producer's own. `linger.ms` is accepted and ignored (one send per batch the engine writes).
 */
export const KAFKA_OUTPUT_PROPERTIES: Readonly<Record<string, KafkaPropertyKind>> = {
  ...CONNECTION_PROPERTIES,
  acks: { type: "enum", values: ["all", "-1", "1", "0"] },
  "request.required.acks": { type: "enum", values: ["all", "-1", "1", "0"] },
  "compression.type": { type: "enum", values: ["none", "gzip"] },
  "compression.codec": { type: "enum", values: ["none", "gzip"] },
  "batch.size": count(1),
  "linger.ms": ignored,
  "queue.buffering.max.ms": ignored,
  "enable.idempotence": { type: "boolean" },
  "message.timeout.ms": count(1),
  "transactional.id": text,
  "transaction.timeout.ms": count(1000),
};

/** Which properties a config takes: an input's or an output's. */
export type KafkaPropertyTable = Readonly<Record<string, KafkaPropertyKind>>;

/** The known names, sorted, for messages. */
export function knownKafkaInputProperties(table: KafkaPropertyTable = KAFKA_INPUT_PROPERTIES): string[] {
  return Object.keys(table).sort();
}

export function isSecretKafkaProperty(name: string, table: KafkaPropertyTable = KAFKA_INPUT_PROPERTIES): boolean {
  const kind = Object.hasOwn(table, name) ? table[name] : undefined;
  return kind?.type === "string" && kind.secret === true;
}

/** What is wrong with the property `name` (unknown), or undefined when the name is known. */
export function kafkaPropertyNameProblem(name: string, table: KafkaPropertyTable = KAFKA_INPUT_PROPERTIES): string | undefined {
  if (Object.hasOwn(table, name)) return undefined;
  const near = nearest(name, Object.keys(table));
  const hint = near === undefined ? "" : ` (did you mean ${JSON.stringify(near)}?)`;
  return `unknown Kafka property ${JSON.stringify(name)}${hint}; known: ${knownKafkaInputProperties(table).join(", ")}`;
}

/** What is wrong with `value` for the known property `name`, or undefined. Never shows a secret. */
export function kafkaPropertyValueProblem(name: string, value: unknown, table: KafkaPropertyTable = KAFKA_INPUT_PROPERTIES): string | undefined {
  const kind = Object.hasOwn(table, name) ? table[name] : undefined;
  if (kind === undefined) return undefined;
  if (typeof value !== "string") return `Kafka property ${JSON.stringify(name)} must be a string; got a ${value === null ? "null" : typeof value}`;
  const shownValue = isSecretKafkaProperty(name, table) ? "(a secret, not shown)" : JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  switch (kind.type) {
    case "string":
    case "ignored":
      return value.length === 0 && kind.type === "string" ? `Kafka property ${JSON.stringify(name)} must not be empty` : undefined;
    case "integer":
      return /^\d{1,15}$/.test(value) && Number(value) >= kind.min
        ? undefined
        : `Kafka property ${JSON.stringify(name)} must be a whole number of at least ${kind.min}; got ${shownValue}`;
    case "boolean":
      return /^(true|false)$/i.test(value) ? undefined : `Kafka property ${JSON.stringify(name)} must be "true" or "false"; got ${shownValue}`;
    case "enum":
      return kind.values.some((allowed) => allowed.toLowerCase() === value.toLowerCase())
        ? undefined
        : `Kafka property ${JSON.stringify(name)} must be one of ${kind.values.map((v) => JSON.stringify(v)).join(", ")}; got ${shownValue}`;
  }
}

/** Every problem of a whole `additionalProperties` object, one message each (names sorted). */
export function kafkaPropertyProblems(properties: Readonly<Record<string, unknown>>, table: KafkaPropertyTable = KAFKA_INPUT_PROPERTIES): string[] {
  const problems: string[] = [];
  for (const name of Object.keys(properties).sort()) {
    const problem = kafkaPropertyNameProblem(name, table) ?? kafkaPropertyValueProblem(name, properties[name], table);
    if (problem !== undefined) problems.push(problem);
  }
  return problems;
}

/** The known name closest to `name`, when it is close enough to be a typo. */
function nearest(name: string, candidates: readonly string[]): string | undefined {
  return closestName(name, candidates, Math.max(2, Math.floor(name.length / 4)));
}
