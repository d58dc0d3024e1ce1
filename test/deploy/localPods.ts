/**
 * The pods of the rendered StatefulSet as local processes, for running the cluster on this machine
 * (localRun.test.ts): for pod i, the `eddy` container's own command and environment
 * (podEnvironment, plus the image's ENV and a PATH), its volumes as directories (the ConfigMap's
 * files written out, the hostfile written by the init container's own script), and its readiness
 * probe. What has to change on one machine, and nothing else:
 *
 * - the addresses: every line of the hostfile, `eddy-<j>.eddy.<ns>.svc.cluster.local:2101`, becomes
 *   `127.0.0.1:<free port j>` (pods have an address each; local processes share one);
 * - the mount paths (/flow, /recovery, /cluster) become directories, in the command's arguments and
 *   in EDDY_HOSTFILE_PATH;
 * - the metrics port, in the command and the probe, is a free port per process (each pod has its
 *   own loopback; local processes share one).
 */

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseDockerfile } from "./dockerfile.js";
import { localHostfilePath, runHostfileContainer } from "./hostfile.js";
import { containerOf, mountHolding, plainEnv, type ConfigMap, type Container, type StatefulSet } from "./manifests.js";
import { podEnvironment } from "./podEnv.js";
import { DEPLOY_DIR } from "./tools.js";

export interface LocalPod {
  readonly ordinal: number;
  /** The pod's volumes, each a directory named after the volume. */
  readonly dir: string;
  /** The container's command after `eddy` (to run as `node BIN ...args`). */
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly metricsPort: number;
  /** The readiness probe's command, its port the local metrics port. */
  readonly probe: readonly string[];
}

export interface LocalPodsOptions {
  /** Where the pods' directories go. */
  readonly root: string;
  readonly namespace: string;
  /** One free port of 127.0.0.1 per pod, in ordinal order: the cluster addresses. */
  readonly clusterPorts: readonly number[];
  /** One free port per pod for --metrics-port. */
  readonly metricsPorts: readonly number[];
}

/** The `ENV` of the Dockerfile's last stage: what every container of the image starts with. */
export function imageEnv(): Record<string, string> {
  const stages = parseDockerfile(readFileSync(join(DEPLOY_DIR, "Dockerfile"), "utf8"));
  const env: Record<string, string> = {};
  for (const { keyword, text } of stages[stages.length - 1]?.instructions ?? []) {
    if (keyword !== "ENV") continue;
    const [name, value] = text.split("=") as [string, string];
    env[name] = value;
  }
  return env;
}

/** `path` inside one of the container's mounts, as a path under `dir` (the mount's volume is `dir/<volume>`). */
function localPath(container: Container, dir: string, path: string): string | undefined {
  const mount = mountHolding(container, path);
  return mount && join(dir, mount.name, relative(mount.mountPath, path));
}

/** Lays out pod `ordinal` in `options.root` and returns how to run it. */
export function localPod(set: StatefulSet, configMap: ConfigMap, ordinal: number, options: LocalPodsOptions): LocalPod {
  const eddy = containerOf(set, "eddy");
  const dir = join(options.root, `${set.metadata.name}-${ordinal}`);
  for (const mount of eddy.volumeMounts ?? []) mkdirSync(join(dir, mount.name), { recursive: true });
  for (const volume of set.spec.template.spec.volumes ?? []) {
    if (volume.configMap?.name !== configMap.metadata.name) continue;
    for (const [key, text] of Object.entries(configMap.data)) writeFileSync(join(dir, volume.name, key), text);
  }

  const place = { ordinal, namespace: options.namespace };
  const hostfileContainer = containerOf(set, "hostfile");
  const hostfileMount = mountHolding(hostfileContainer, plainEnv(hostfileContainer, "EDDY_HOSTFILE_PATH"));
  if (!hostfileMount) throw new Error("the hostfile init container does not mount where it writes");
  const volumeDir = join(dir, hostfileMount.name);
  mkdirSync(volumeDir, { recursive: true });
  const init = runHostfileContainer(set, place, volumeDir);
  if (init.status !== 0) throw new Error(`the hostfile init container of pod ${ordinal} failed: ${init.stderr}`);
  const hostfile = localHostfilePath(set, volumeDir);
  const written = readFileSync(hostfile, "utf8").split("\n").filter((line) => line !== "");
  if (written.length !== options.clusterPorts.length) throw new Error(`the hostfile lists ${written.length} addresses, not ${options.clusterPorts.length}`);
  writeFileSync(hostfile, options.clusterPorts.map((port) => `127.0.0.1:${port}\n`).join(""));

  const metricsPort = options.metricsPorts[ordinal] as number;
  const [program, ...rest] = eddy.command ?? [];
  if (program !== "eddy") throw new Error(`the eddy container runs ${program}, not eddy`);
  const args = rest.map((arg, index) => {
    if (rest[index - 1] === "--metrics-port") return String(metricsPort);
    return arg.startsWith("/") ? (localPath(eddy, dir, arg) ?? arg) : arg;
  });

  const podEnv = podEnvironment(set, "eddy", place);
  const hostfilePath = podEnv["EDDY_HOSTFILE_PATH"];
  const env = {
    ...imageEnv(),
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    ...podEnv,
    ...(hostfilePath !== undefined && { EDDY_HOSTFILE_PATH: localPath(eddy, dir, hostfilePath) ?? hostfilePath }),
  };
  const probe = (eddy.readinessProbe?.exec?.command ?? []).map((word) => word.replace(/\/127\.0\.0\.1\/\d+$/, `/127.0.0.1/${metricsPort}`));
  return { ordinal, dir, args, env, metricsPort, probe };
}
