/**
 * Runs the `hostfile` init container of the rendered StatefulSet on this machine, as the kubelet
 * would run it in pod `ordinal`: its own command (`sh -c SCRIPT`) with the environment
 * podEnvironment derives, plus this machine's PATH (the image's PATH holds the same sh, mv and cat).
 * The one change: the volume it writes to is a local directory, so EDDY_HOSTFILE_PATH points into
 * that directory instead of the volume's mount path.
 */

import { spawnSync } from "node:child_process";
import { join, relative } from "node:path";
import { containerOf, mountHolding, plainEnv, type StatefulSet } from "./manifests.js";
import { podEnvironment, type PodPlace } from "./podEnv.js";

export interface ScriptRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Where a path inside the hostfile volume lands when that volume is the local directory `volumeDir`. */
export function localHostfilePath(set: StatefulSet, volumeDir: string): string {
  const container = containerOf(set, "hostfile");
  const path = plainEnv(container, "EDDY_HOSTFILE_PATH");
  const mount = mountHolding(container, path);
  if (!mount) throw new Error(`nothing is mounted where the hostfile container writes ${path}`);
  return join(volumeDir, relative(mount.mountPath, path));
}

/** Runs the init container for pod `place.ordinal`, its volume being `volumeDir`. */
export function runHostfileContainer(set: StatefulSet, place: PodPlace, volumeDir: string, environment: Record<string, string> = {}): ScriptRun {
  const container = containerOf(set, "hostfile");
  const [program, ...args] = [...(container.command ?? []), ...(container.args ?? [])];
  if (program === undefined) throw new Error("the hostfile container has no command");
  const env = { PATH: process.env["PATH"] ?? "/usr/bin:/bin", ...podEnvironment(set, "hostfile", place), EDDY_HOSTFILE_PATH: localHostfilePath(set, volumeDir), ...environment };
  const result = spawnSync(program, args, { env, encoding: "utf8", timeout: 10_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
