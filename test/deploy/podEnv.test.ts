/**
 * What each pod of the rendered StatefulSet is told, and what procEnv (eddy/parse) makes of it:
 * pod i's environment (podEnvironment: the downward API's metadata.name is `eddy-<i>`, plain values
 * as they are), with the hostfile its init container writes (the container's own script, run here),
 * is process i of the cluster, with every pod's stable DNS name in id order and the set's workers per
 * process. The init container refuses what would make a wrong cluster.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { procEnv } from "../../node-runner/entries/parse.js";
import { removeTemporaryDirectories, temporaryDirectory } from "../runner/cli.js";
import { containerOf, mountHolding, parseYamlDocuments, plainEnv, type StatefulSet } from "./manifests.js";
import { podEnvironment, podName } from "./podEnv.js";
import { runHostfileContainer } from "./hostfile.js";
import { DEPLOY_DIR, renderedDeployment } from "./tools.js";

afterAll(removeTemporaryDirectories);

let set: StatefulSet;
beforeAll(() => {
  set = renderedDeployment().set;
});

/** procEnv's file reader for pod files: the hostfile volume's mount path is the local directory `volumeDir`. */
function podFiles(volumeDir: string): (path: string) => string {
  const mount = mountHolding(containerOf(set, "eddy"), plainEnv(containerOf(set, "eddy"), "EDDY_HOSTFILE_PATH"));
  if (!mount) throw new Error("the eddy container does not mount the hostfile's volume");
  return (path) => {
    if (!path.startsWith(`${mount.mountPath}/`)) throw new Error(`${path} is not on the hostfile volume (${mount.mountPath})`);
    return readFileSync(join(volumeDir, path.slice(mount.mountPath.length + 1)), "utf8");
  };
}

describe.each(["default", "prod"])("the pods of the set applied to the namespace %s", (namespace) => {
  const addresses = [0, 1, 2].map((i) => `eddy-${i}.eddy.${namespace}.svc.cluster.local:2101`);

  it("are three", () => {
    expect(set.spec.replicas).toBe(addresses.length);
  });

  it.each([0, 1, 2])("pod %i is told exactly its name, the set's name, the hostfile and the workers per process", (ordinal) => {
    expect(podEnvironment(set, "eddy", { ordinal, namespace })).toEqual({
      EDDY_POD_NAME: `eddy-${ordinal}`,
      EDDY_STATEFULSET_NAME: "eddy",
      EDDY_HOSTFILE_PATH: "/cluster/hosts",
      EDDY_WORKERS_PER_PROCESS: "2",
    });
  });

  it.each([0, 1, 2])("pod %i, through procEnv, is the process of that id, with every pod's address in order and 2 workers", (ordinal) => {
    const volume = temporaryDirectory("eddy-pod-volume-");
    const init = runHostfileContainer(set, { ordinal, namespace }, volume);
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toContain(`process ${ordinal} of 3`);

    const env = podEnvironment(set, "eddy", { ordinal, namespace });
    expect(procEnv(env, podFiles(volume))).toEqual({ procId: ordinal, addresses, workerCountPerProc: 2 });
  });
});

describe("the hostfile init container", () => {
  it("refuses a pod beyond the count of kustomization.yaml (kubectl scale), saying where to change it", () => {
    const init = runHostfileContainer(set, { ordinal: 3, namespace: "default" }, temporaryDirectory("eddy-pod-volume-"));
    expect(init.status).toBe(1);
    expect(init.stderr).toMatch(/^hostfile: pod eddy-3 is beyond the 3 processes of kustomization\.yaml: change the count there, never with kubectl scale$/m);
  });

  it("refuses to run from statefulset.yaml applied without kustomize (no count)", () => {
    const raw = parseYamlDocuments(readFileSync(join(DEPLOY_DIR, "statefulset.yaml"), "utf8"), "statefulset.yaml")[0] as StatefulSet;
    const init = runHostfileContainer(raw, { ordinal: 0, namespace: "default" }, temporaryDirectory("eddy-pod-volume-"));
    expect(init.status).toBe(1);
    expect(init.stderr).toMatch(/EDDY_PROCESS_COUNT must be a positive whole number, not 'from-kustomization'.*kubectl apply -k/);
  });

  it.each(["0", "03", "-1", "2x", ""])("refuses the count %j", (count) => {
    const init = runHostfileContainer(set, { ordinal: 0, namespace: "default" }, temporaryDirectory("eddy-pod-volume-"), { EDDY_PROCESS_COUNT: count });
    expect(init.status, init.stdout).toBe(1);
    expect(init.stderr).toContain("EDDY_PROCESS_COUNT must be a positive whole number");
  });
});

describe("podEnvironment", () => {
  /** The rendered set with the eddy container's env replaced, or the pod's fields changed. */
  const withEnv = (env: unknown, podSpec: Record<string, unknown> = {}): StatefulSet => {
    const copy = structuredClone(set) as unknown as { spec: { template: { spec: { containers: { name: string; env: unknown }[] } & Record<string, unknown> } } };
    Object.assign(copy.spec.template.spec, podSpec);
    for (const container of copy.spec.template.spec.containers) if (container.name === "eddy") container.env = env;
    return copy as unknown as StatefulSet;
  };

  it("names pod i `<set>-<i>` and takes the namespace from the place", () => {
    expect(podName(set, 7)).toBe("eddy-7");
    const env = podEnvironment(withEnv([{ name: "NS", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } }]), "eddy", { ordinal: 0, namespace: "x" });
    expect(env).toEqual({ NS: "x" });
    expect(() => podName(set, -1)).toThrow(/non-negative integer/);
  });

  it("refuses what it cannot derive instead of guessing", () => {
    const place = { ordinal: 0, namespace: "default" };
    expect(() => podEnvironment(withEnv([{ name: "S", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }]), "eddy", place)).toThrow(/does not derive/);
    expect(() => podEnvironment(withEnv([{ name: "N", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } }]), "eddy", place)).toThrow(/status\.podIP/);
    expect(() => podEnvironment(withEnv([{ name: "A", value: "$(B)-x" }]), "eddy", place)).toThrow(/does not expand/);
    expect(() => podEnvironment(withEnv([{ name: "A", value: "1" }, { name: "A", value: "2" }]), "eddy", place)).toThrow(/twice/);
    expect(() => podEnvironment(withEnv([], { enableServiceLinks: true }), "eddy", place)).toThrow(/enableServiceLinks/);
    expect(() => podEnvironment(set, "nope", place)).toThrow(/no container nope/);
  });
});
