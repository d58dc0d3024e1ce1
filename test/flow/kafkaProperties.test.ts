/**
 * The Kafka input's configuration, refused before anything connects: librdkafka-style properties
 * (a closed table), `decode`, and the flow file's `kafka` input block, in `KafkaInputConfig`,
 * `validateFlow` and `compileFlow`; and how properties map onto the client's settings.
 */

import { describe, expect, it } from "vitest";
import { KafkaInputConfig } from "../../engine/configs/inputs.js";
import { kafkaPropertyProblems, knownKafkaInputProperties } from "../../engine/configs/kafkaProperties.js";
import { compileFlow } from "../../engine/flow/compile.js";
import { validateFlow } from "../../engine/flow/validateFlow.js";
import type { FlowDefinition } from "../../engine/flow/schema.js";
import { clientSettings } from "../../node-runner/kafka/clientOptions.js";

function kafkaFlow(input: Record<string, unknown>): FlowDefinition {
  return {
    format: "eddy.flow",
    version: 1,
    steps: [
      { id: "in", op: "input", input: { type: "kafka", brokers: ["127.0.0.1:9092"], topic: "t", ...input } },
      { id: "out", op: "capture", after: ["in"], output: { type: "stdout" } },
    ],
  } as FlowDefinition;
}

describe("Kafka properties", () => {
  it("accepts what Bytewax users pass", () => {
    expect(
      kafkaPropertyProblems({
        "security.protocol": "SASL_SSL",
        "sasl.mechanisms": "SCRAM-SHA-512",
        "sasl.username": "u",
        "sasl.password": "p",
        "ssl.ca.location": "/etc/ca.pem",
        "client.id": "me",
        "fetch.min.bytes": "1",
        "fetch.max.bytes": "1048576",
        "fetch.message.max.bytes": "65536",
        "fetch.wait.max.ms": "100",
        "socket.timeout.ms": "5000",
        "request.timeout.ms": "5000",
        "group.id": "ignored",
        "enable.auto.commit": "false",
      }),
    ).toEqual([]);
  });

  it("refuses an unknown one with the list of known ones, and suggests the near one", () => {
    const [problem] = kafkaPropertyProblems({ "sasl.pasword": "hunter2" });
    expect(problem).toMatch(/^unknown Kafka property "sasl.pasword" \(did you mean "sasl.password"\?\); known: auto.commit.interval.ms, auto.offset.reset, client.id, /);
    expect(problem).toContain(knownKafkaInputProperties().join(", "));
    expect(problem).not.toContain("hunter2");
  });

  it("refuses a value of the wrong kind, never showing a secret", () => {
    expect(kafkaPropertyProblems({ "fetch.wait.max.ms": "soon" })).toEqual(['Kafka property "fetch.wait.max.ms" must be a whole number of at least 0; got "soon"']);
    expect(kafkaPropertyProblems({ "security.protocol": "tls" })[0]).toContain('must be one of "plaintext", "ssl", "sasl_plaintext", "sasl_ssl"');
    expect(kafkaPropertyProblems({ "sasl.password": "" })).toEqual(['Kafka property "sasl.password" must not be empty']);
    expect(kafkaPropertyProblems({ "sasl.password": 7 as unknown as string })[0]).not.toContain("7");
  });

  it("KafkaInputConfig refuses them at construction (CONFIG_INVALID)", () => {
    expect(() => new KafkaInputConfig(["b:9092"], "t", { additionalProperties: { "bootstrap.server": "x" } })).toThrowError(
      expect.objectContaining({ code: "CONFIG_INVALID", message: expect.stringContaining('unknown Kafka property "bootstrap.server"') }),
    );
    expect(() => new KafkaInputConfig(["b:9092"], "t", { decode: "latin1" as never })).toThrowError('`decode` should be "utf8" or "json"');
    expect(() => new KafkaInputConfig([], "t")).toThrowError("`brokers` must be a non-empty array");
    expect(() => new KafkaInputConfig(["b:9092"], "")).toThrowError("`topic` must be a non-empty string");
  });

  it("map onto the client's settings, with librdkafka's defaults", () => {
    const plain = clientSettings(new KafkaInputConfig(["b:9092"], "t"));
    expect(plain).toMatchObject({ clientId: "eddy", tls: undefined, sasl: undefined, readCommitted: true, offsetReset: "error", requestTimeoutMs: 30000 });
    expect(plain.fetch).toEqual({ maxWaitMs: 500, minBytes: 1, maxBytes: 52428800, maxPartitionBytes: 1048576 });
    const secure = clientSettings(
      new KafkaInputConfig(["b:9093"], "t", {
        additionalProperties: {
          "security.protocol": "sasl_ssl",
          "sasl.mechanisms": "SCRAM-SHA-256",
          "sasl.username": "u",
          "sasl.password": "p",
          "ssl.ca.location": "/ca.pem",
          "client.id": "c",
          "fetch.wait.max.ms": "50",
          "fetch.message.max.bytes": "4096",
          "socket.timeout.ms": "9000",
          "isolation.level": "read_uncommitted",
          "auto.offset.reset": "smallest",
        },
      }),
    );
    expect(secure).toMatchObject({
      clientId: "c",
      tls: { caPath: "/ca.pem", rejectUnauthorized: true },
      sasl: { mechanism: "scram-sha-256", username: "u", password: "p" },
      requestTimeoutMs: 9000,
      readCommitted: false,
      offsetReset: "earliest",
    });
    expect(secure.fetch).toMatchObject({ maxWaitMs: 50, maxPartitionBytes: 4096 });
    expect(() => clientSettings(new KafkaInputConfig(["b"], "t", { additionalProperties: { "security.protocol": "sasl_plaintext", "sasl.username": "u" } }))).toThrowError(
      "needs both `sasl.username` and `sasl.password`",
    );
  });
});

describe("the flow file's kafka input block", () => {
  it("validation refuses an unknown property and a wrong value, with their paths, and never connects", () => {
    const problems = validateFlow(kafkaFlow({ additionalProperties: { "fetch.wait.max.ms": "later", "sasl.pasword": "secret", "sasl.password": { $env: "PW" } } }));
    expect(problems).toEqual([
      expect.objectContaining({ code: "FLOW_INVALID_VALUE", path: "/steps/0/input/additionalProperties/fetch.wait.max.ms", stepId: "in", message: 'Step "in" (input): Kafka property "fetch.wait.max.ms" must be a whole number of at least 0; got "later"' }),
      expect.objectContaining({ code: "FLOW_INVALID_VALUE", path: "/steps/0/input/additionalProperties/sasl.pasword", message: expect.stringContaining('unknown Kafka property "sasl.pasword" (did you mean "sasl.password"?); known: ') }),
    ]);
    expect(JSON.stringify(problems)).not.toContain("secret");
  });

  it("takes decode utf8 or json, and nothing else", () => {
    expect(validateFlow(kafkaFlow({ decode: "utf8" }))).toEqual([]);
    expect(validateFlow(kafkaFlow({ decode: "json" }))).toEqual([]);
    expect(validateFlow(kafkaFlow({ decode: "base64" }))).toEqual([expect.objectContaining({ path: "/steps/0/input/decode", stepId: "in" })]);
  });

  it("compiles to KafkaInputConfig with decode and resolved properties; a bad $env value fails the compile", () => {
    const compiled = compileFlow(kafkaFlow({ tail: false, decode: "json", additionalProperties: { "client.id": { $env: "CID" } } }), { env: { CID: "eddy-7" } });
    const step = compiled.flow.steps[0]!;
    expect(step.op === "input" && step.config).toEqual(new KafkaInputConfig(["127.0.0.1:9092"], "t", { tail: false, decode: "json", additionalProperties: { "client.id": "eddy-7" } }));
    expect(() => compileFlow(kafkaFlow({ additionalProperties: { "fetch.min.bytes": { $env: "MIN" } } }), { env: { MIN: "-1" } })).toThrowError(
      expect.objectContaining({ code: "CONFIG_INVALID" }),
    );
  });
});
