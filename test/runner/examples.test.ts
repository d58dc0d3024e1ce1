/**
 * Every flow file in examples/ runs as it is with `eddy run`, on 1 and on 4 worker threads, and
 * gives the output in examples/expected/NAME.txt (sorted lines: what the flow printed, plus every
 * line of the files it wrote). Each run works in a copy of the example (with examples/data), so
 * that files and recovery state the flow writes next to itself stay out of the repository.
 */

import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO, describeRun, eddy, exampleCopy, filesIn, lines, removeTemporaryDirectories } from "./cli.js";

afterAll(removeTemporaryDirectories);

const examples = readdirSync(join(REPO, "examples"))
  .filter((name) => name.endsWith(".json"))
  .map((name) => name.slice(0, -".json".length))
  .sort();

/** Runs the example in a fresh copy; returns the sorted lines of its standard output and output files. */
async function runExample(name: string, workers: number): Promise<string[]> {
  const flow = exampleCopy(name);
  const result = await eddy(["run", flow, "-w", String(workers)], { timeoutMs: 30_000 });
  expect(result.code, `${name} -w ${workers}: ${describeRun(result)}`).toBe(0);
  const written = [...filesIn(join(dirname(flow), "out"), /./).values()].flatMap(lines);
  return [...lines(result.stdout), ...written].sort();
}

describe("the example flows", () => {
  it("are at least five, each with its expected output", () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const name of examples) expect(readdirSync(join(REPO, "examples/expected")), name).toContain(`${name}.txt`);
  });

  for (const name of examples) {
    it(`${name}.json gives its expected output on 1 and on 4 worker threads`, { timeout: 60_000 }, async () => {
      const expected = lines(readFileSync(join(REPO, "examples/expected", `${name}.txt`), "utf8")).sort();
      expect(expected.length).toBeGreaterThan(0);
      const [one, four] = await Promise.all([runExample(name, 1), runExample(name, 4)]);
      expect(one).toEqual(expected);
      expect(four).toEqual(expected);
    });
  }

  it("wordcount's expected output is an independent count of its file", () => {
    const text = readFileSync(join(REPO, "examples/data/wordcount.txt"), "utf8").toLowerCase();
    const counts = new Map<string, number>();
    for (const word of text.split(/[^a-z']+/).filter(Boolean)) counts.set(word, (counts.get(word) ?? 0) + 1);
    const expected = [...counts].map(([word, count]) => `${word}: ${count}`).sort();
    expect(lines(readFileSync(join(REPO, "examples/expected/wordcount.txt"), "utf8")).sort()).toEqual(expected);
  });

  it("join-orders' expected output is every customer with each of its orders, computed from the flow's two lists", () => {
    const flow = JSON.parse(readFileSync(join(REPO, "examples/join-orders.json"), "utf8")) as { steps: { id: string; input?: { items: unknown[] } }[] };
    const items = (id: string) => flow.steps.find((step) => step.id === id)!.input!.items;
    const customers = items("customers") as { id: string; name: string }[];
    const orders = items("orders") as { order: number; customer: string; item: string; price: number }[];
    const expected = [
      ...customers.flatMap(({ id, name }) => {
        const theirs = orders.filter((order) => order.customer === id);
        if (theirs.length === 0) return [`${name} (${id}): no orders`];
        return theirs.map((order) => `${name} (${id}): order ${order.order}, ${order.item} at ${order.price.toFixed(2)}`);
      }),
      ...orders.filter((order) => !customers.some(({ id }) => id === order.customer)).map((order) => `order ${order.order}: ${order.item} for unknown customer ${order.customer}`),
    ];
    expect(lines(readFileSync(join(REPO, "examples/expected/join-orders.txt"), "utf8")).sort()).toEqual(expected.sort());
  });

  it("running-max's expected output is the running maximum of its readings", () => {
    const readings = lines(readFileSync(join(REPO, "examples/data/readings.csv"), "utf8")).map((line) => line.split(","));
    const max = new Map<string, number>();
    const expected = readings.map(([seq, sensor, value]) => {
      const next = Math.max(max.get(sensor!) ?? -Infinity, Number(value));
      max.set(sensor!, next);
      return JSON.stringify([sensor, { seq: Number(seq), value: Number(value), max: next }]);
    });
    expect(lines(readFileSync(join(REPO, "examples/expected/running-max.txt"), "utf8")).sort()).toEqual(expected.sort());
  });

  it("session-windows' expected output is what its clicks imply: sessions 30 minutes apart, clicks behind their user's watermark late", () => {
    const definition = JSON.parse(readFileSync(join(REPO, "examples/session-windows.json"), "utf8"));
    const input = definition.steps.find((step: { id: string }) => step.id === "clicks").input.fn.join("\n");
    const clicks = (new Function(`return (${input});`)() as (w: number, n: number, s: unknown) => [number, { user: string; page: string; at: string }][])(0, 1, undefined).map(([, click]) => click);
    const minutes = (at: string) => Date.parse(at) / 60_000;
    const time = (at: number) => new Date(at * 60_000).toISOString().slice(11, 16);
    const expected: string[] = [];
    for (const user of [...new Set(clicks.map((click) => click.user))]) {
      const mine = clicks.filter((click) => click.user === user);
      // The watermark trails the latest click time by 30 minutes: a click behind it is late.
      let latest = -Infinity;
      const onTime: typeof mine = [];
      for (const click of mine) {
        if (minutes(click.at) < latest - 30) expected.push(`late: ${user} ${click.page} at ${click.at.slice(11, 16)}`);
        else onTime.push(click);
        latest = Math.max(latest, minutes(click.at));
      }
      // Sessions: runs of sorted times at most 30 minutes apart. Pages in time order: what the fold
      // gives for these clicks (bob's bridging 12:30 click joins his older visit, then the later
      // visit's pages are merged after it).
      const times = [...new Set(onTime.map((click) => minutes(click.at)))].sort((a, b) => a - b);
      let run: number[] = [];
      const close = () => {
        const pages = onTime
          .filter((click) => run.includes(minutes(click.at)))
          .sort((a, b) => minutes(a.at) - minutes(b.at))
          .map((click) => click.page);
        expected.push(`${user} ${time(run[0]!)}-${time(run[run.length - 1]!)} ${pages.length} click${pages.length === 1 ? "" : "s"}: ${pages.join(" ")}`);
      };
      for (const t of times) {
        if (run.length > 0 && t - run[run.length - 1]! > 30) {
          close();
          run = [];
        }
        run.push(t);
      }
      if (run.length > 0) close();
    }
    expect(lines(readFileSync(join(REPO, "examples/expected/session-windows.txt"), "utf8")).sort()).toEqual(expected.sort());
  });
});
