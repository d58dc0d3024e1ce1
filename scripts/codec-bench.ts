/**
 * The exchange's cost per item, measured alone in one thread (CPU time, so that a loaded machine
 * disturbs it little): for the items workload S sends across threads, made in a node:vm context
 * as the runner's flow functions make them, each step of what a crossing item costs on its way:
 *
 * - route: the exchange node's routing (engine/runtime/exchange.ts: the `[key, value]` check, the
 *   key's hash, a bucket per worker), through an ExchangeTarget on a stub endpoint;
 * - encode: FrameEncoder.encode of frames of `--frame` items (512: half of a source batch of 1024);
 * - decode: FrameDecoder.decode of those frames.
 *
 *   npx tsx scripts/codec-bench.ts [--items 2000000] [--frame 512] [--rounds 5]
 *
 * Shapes: W2 `["k" + (m % 10000), m % 100]`, W3 `[word, { word, t }]` (the W3 flow's `[x.word, x]`),
 * and `[string, string]` pairs, each in a process of its own. Prints the median over rounds of
 * nanoseconds per item.
 */

import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import { FrameDecoder, FrameEncoder, type Endpoint, type Message } from "../engine/host/index.js";
import { ExchangeTarget } from "../engine/runtime/exchange.js";
import type { RuntimeNode } from "../engine/runtime/runtimeNode.js";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

const ITEMS = option("--items", 2_000_000);
const FRAME = option("--frame", 512);
const ROUNDS = option("--rounds", 5);
/** Distinct items made per shape; the rounds cycle over them (their keys repeat as in S). */
const POOL = 1 << 17;

const SHAPES: Readonly<Record<string, string>> = {
  W2: '["k" + (m % 10000), m % 100]',
  W3: '((x) => [x.word, x])({ word: "w" + (m % 1000), t: i })',
  "string pairs": '["w" + (m % 1000), "v" + (m % 97)]',
};

/** POOL items of a shape, made in a node:vm context (the runner compiles flow functions there). */
function makeItems(expression: string): unknown[] {
  const source = `(() => { const mix = (i) => { const h = Math.imul(i, 2654435761) >>> 0; return (h ^ (h >>> 16)) >>> 0; };
    const items = []; for (let i = 0; i < ${POOL}; i++) { const m = mix(i); items.push(${expression}); } return items; })()`;
  return runInNewContext(source) as unknown[];
}

function cpuNs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;

/** Nanoseconds of CPU per item of `body`, which handles `count` items per call. */
function measure(body: (round: number) => void, calls: number, count: number): number {
  const times: number[] = [];
  for (let round = -1; round < ROUNDS; round++) {
    const started = cpuNs();
    for (let call = 0; call < calls; call++) body(call);
    // Round -1 warms the JIT up.
    if (round >= 0) times.push((cpuNs() - started) / (calls * count));
  }
  return median(times);
}

function routeBench(items: unknown[]): number {
  const delivered = { count: 0 };
  const local = { stepId: "count", op: "fold_window", receive: (_port: number, _epoch: number, batch: unknown[]) => (delivered.count += batch.length) } as unknown as RuntimeNode;
  const endpoint: Endpoint = { workerIndex: 0, workerCount: 2, send: (_to: number, message: Message) => message.kind === "data" && (delivered.count += message.items.length), receive: () => [], encodesItems: true } as unknown as Endpoint;
  const target = new ExchangeTarget(endpoint, local, 0, 0, true, (error) => error);
  const batch = 1024;
  const batches: unknown[][] = [];
  for (let at = 0; at + batch <= items.length; at += batch) batches.push(items.slice(at, at + batch));
  return measure((call) => target.push(0, batches[call % batches.length]!), Math.ceil(ITEMS / batch), batch);
}

function codecBench(items: unknown[]): { encode: number; decode: number } {
  const encoder = new FrameEncoder({ generateCode: true });
  const decoder = new FrameDecoder({ generateCode: true });
  const frames: Message[] = [];
  for (let at = 0; at + FRAME <= items.length; at += FRAME) frames.push({ kind: "data", node: 1, port: 0, epoch: 0, items: items.slice(at, at + FRAME) });
  const calls = Math.ceil(ITEMS / FRAME);
  const encoded = frames.map((frame) => encoder.encode(frame));
  const encode = measure((call) => encoder.encode(frames[call % frames.length]!), calls, FRAME);
  let sink = 0;
  const decode = measure((call) => {
    const message = decoder.decode(encoded[call % encoded.length]!);
    if (message.kind === "data") sink += message.items.length;
  }, calls, FRAME);
  if (sink === 0) throw new Error("nothing decoded");
  return { encode, decode };
}

const only = process.argv.indexOf("--shape");
if (only !== -1) {
  const name = process.argv[only + 1]!;
  const items = makeItems(SHAPES[name]!);
  const route = routeBench(items);
  const { encode, decode } = codecBench(items);
  console.log(`${name.padEnd(13)} route ${route.toFixed(0).padStart(4)} ns/item (every item)  encode ${encode.toFixed(0).padStart(4)}  decode ${decode.toFixed(0).padStart(4)}  encode+decode ${(encode + decode).toFixed(0).padStart(4)} ns per crossing item`);
} else {
  // Each shape in a process of its own, so that the JIT's feedback from one shape does not slow the next.
  for (const name of Object.keys(SHAPES)) {
    execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2), "--shape", name], { stdio: "inherit" });
  }
}
