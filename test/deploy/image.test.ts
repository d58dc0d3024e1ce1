/**
 * The image of deploy/kubernetes/Dockerfile, without Docker (no engine runs here, and no base image
 * can be pulled): its last stage is followed instruction by instruction in a temporary directory
 * standing for /opt/eddy. COPY copies from the repository (the build context); `COPY --from=build`
 * takes the build stage's output, dist/runner, from this checkout's own build (made by the same
 * `npm ci` that stage runs); each RUN must be one the test knows and is done as written, except
 * that npm may use this machine's cache (`--prefer-offline`) and the cache is not cleaned. An
 * instruction the test does not know fails it, so a changed Dockerfile needs this test changed too.
 *
 * Then the emulated image runs the deployed flow file the way a pod does, with the image's ENV:
 * through the `eddy` link on the PATH, with production dependencies only, on a file recovery store
 * (lmdb's prebuilt binary), stopped by SIGTERM at an epoch boundary and resumed. `eddy run`
 * stands in for `eddy cluster` here; localRun.test.ts runs the cluster itself.
 */

import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTemporaryDirectories, temporaryDirectory } from "../runner/cli.js";
import { parseDockerfile, type Stage } from "./dockerfile.js";
import { DEPLOY_DIR, REPO } from "./tools.js";

afterAll(removeTemporaryDirectories);

const stages = parseDockerfile(readFileSync(join(DEPLOY_DIR, "Dockerfile"), "utf8"));
const [build, runtime] = stages as [Stage, Stage];

interface Image {
  readonly root: string;
  readonly bin: string;
  readonly env: Record<string, string>;
  readonly user: string | undefined;
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program of the emulated image to its end (SIGKILLed after `timeoutMs`); `onStderr` may signal it. */
function run(image: Image, args: readonly string[], options: { timeoutMs: number; onStderr?: (text: string, signal: (name: NodeJS.Signals) => void) => void }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(image.bin, "eddy"), [...args], { cwd: image.root, env: image.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      options.onStderr?.(stderr, (name) => child.kill(name));
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Follows the runtime stage into a fresh directory; returns the emulated image. */
function emulateRuntimeStage(): Image {
  const root = temporaryDirectory("eddy-image-");
  const bin = join(root, ".usr-local-bin");
  mkdirSync(bin);
  // The base image's PATH, with /usr/local/bin standing for the image's own and this Node's directory for node:20-slim's.
  const env: Record<string, string> = { PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin` };
  let workdir: string | undefined;
  let user: string | undefined;
  const local = (path: string) => {
    if (workdir === undefined) throw new Error("a path before WORKDIR");
    return join(root, relative(workdir, path.startsWith("/") ? path : join(workdir, path)));
  };
  const buildWorkdir = build.instructions.find((instruction) => instruction.keyword === "WORKDIR")?.text;
  for (const { keyword, text } of runtime.instructions) {
    if (keyword === "WORKDIR") workdir = text;
    else if (keyword === "ENV") {
      const [name, value] = text.split("=") as [string, string];
      env[name] = value;
    } else if (keyword === "COPY") {
      const words = text.split(/\s+/);
      const from = words[0]?.startsWith("--from=") ? words.shift()?.slice("--from=".length) : undefined;
      const destination = words.pop() as string;
      for (const path of words) {
        // The build stage's files are this checkout's: its WORKDIR is the repository.
        if (from !== undefined && from !== build.name) throw new Error(`COPY --from=${from}: no such stage`);
        const origin = from === undefined ? join(REPO, path) : join(REPO, relative(buildWorkdir as string, path));
        const target = destination.endsWith("/") ? join(local(destination), path.split("/").pop() as string) : local(destination);
        expect(existsSync(origin), `COPY ${text}: ${origin} is missing`).toBe(true);
        cpSync(origin, target, { recursive: true });
      }
    } else if (keyword === "RUN") {
      runInstruction(text, root, bin, env);
    } else if (keyword === "USER") user = text;
    else if (keyword !== "CMD") throw new Error(`the test does not know how to follow ${keyword} ${text}`);
  }
  expect(workdir).toBe("/opt/eddy");
  return { root, bin, env, user };
}

function runInstruction(text: string, root: string, bin: string, env: Record<string, string>): void {
  if (text === "npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force") {
    const npm = spawnSync("npm", ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: root, encoding: "utf8", timeout: 180_000 });
    expect(npm.status, `npm ci in the image: ${npm.stderr}`).toBe(0);
  } else if (text === "ln -s /opt/eddy/node-runner/bin/eddy.js /usr/local/bin/eddy && eddy --help > /dev/null") {
    symlinkSync(join(root, "node-runner/bin/eddy.js"), join(bin, "eddy"));
    const help = spawnSync(join(bin, "eddy"), ["--help"], { cwd: root, env, encoding: "utf8", timeout: 30_000 });
    expect(help.status, help.stderr).toBe(0);
  } else {
    throw new Error(`the test does not know how to follow RUN ${text}`);
  }
}

describe("deploy/kubernetes/Dockerfile", () => {
  it("has a build stage and a runtime stage, both on Node 20 slim", () => {
    expect(stages.map((stage) => [stage.from, stage.name])).toEqual([
      ["node:20-slim", "build"],
      ["node:20-slim", undefined],
    ]);
  });

  it("copies into the build stage every source the runner's bundle is built from", () => {
    const manifest = JSON.parse(readFileSync(join(REPO, "dist/runner/manifest.json"), "utf8")) as { inputs: string[] };
    const copied = build.instructions.filter((instruction) => instruction.keyword === "COPY").flatMap((instruction) => instruction.text.split(/\s+/).slice(0, -1));
    const missing = manifest.inputs.filter((input) => !input.startsWith("node_modules/") && !copied.some((path) => input === path || input.startsWith(`${path}/`)));
    expect(missing).toEqual([]);
    expect(build.instructions.some((instruction) => instruction.keyword === "RUN" && /^npm ci\b/.test(instruction.text))).toBe(true);
  });
});

describe("the image of deploy/kubernetes/Dockerfile, emulated", () => {
  let image: Image;
  beforeAll(() => {
    image = emulateRuntimeStage();
  }, 240_000);

  it("runs as the user node, with production dependencies only, and no TypeScript sources", () => {
    expect(image.user).toBe("node");
    expect(image.env["NODE_ENV"]).toBe("production");
    const modules = join(image.root, "node_modules");
    for (const dependency of ["lmdb", "kafkajs", "msgpackr", "prom-client"]) expect(existsSync(join(modules, dependency)), dependency).toBe(true);
    for (const devDependency of ["esbuild", "tsx", "typescript", "vitest", "yaml"]) expect(existsSync(join(modules, devDependency)), devDependency).toBe(false);
    expect(existsSync(join(image.root, "node-runner/cli.ts"))).toBe(false);
  });

  it("validates the deployed flow file with eddy on the PATH", async () => {
    cpSync(join(DEPLOY_DIR, "flow.json"), join(image.root, "flow.json"));
    const result = await run(image, ["validate", "flow.json"], { timeoutMs: 30_000 });
    expect(result.code, result.stderr).toBe(0);
  });

  it("runs it on a file recovery store, stops at an epoch boundary on SIGTERM and resumes", async () => {
    cpSync(join(DEPLOY_DIR, "flow.json"), join(image.root, "flow.json"));
    const args = ["run", "flow.json", "-w", "2", "--recovery-dir", "recovery"];
    // SIGTERM 3 s (3 epochs) after the run says it started, then again as soon as the resumed run does.
    const sigtermAfter = (ms: number) => {
      let planned = false;
      return (text: string, signal: (name: NodeJS.Signals) => void) => {
        if (planned || !/eddy: running /.test(text)) return;
        planned = true;
        setTimeout(() => signal("SIGTERM"), ms);
      };
    };
    const first = await run(image, args, { timeoutMs: 60_000, onStderr: sigtermAfter(3_000) });
    expect(first.code, first.stderr).toBe(130);
    expect(first.stderr).toMatch(/from the start/);
    expect(first.stderr).toMatch(/stopped at an epoch boundary/);

    const second = await run(image, args, { timeoutMs: 60_000, onStderr: sigtermAfter(0) });
    expect(second.code, second.stderr).toBe(130);
    expect(second.stderr).toMatch(/resuming at epoch [1-9]/);
  }, 150_000);
});
