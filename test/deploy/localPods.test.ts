/**
 * The local stand-ins for the pods (localPods.ts), which localRun.test.ts runs as a cluster,
 * change only what one machine forces: the addresses (127.0.0.1 and a free port each), the mount
 * paths (directories) and the metrics port. Everything else is the pod's own command, environment
 * and files, and procEnv reads each stand-in as the same process of the same cluster as the pod.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { procEnv } from "../../node-runner/entries/parse.js";
import { removeTemporaryDirectories, temporaryDirectory } from "../runner/cli.js";
import { localPod, type LocalPod } from "./localPods.js";
import { containerOf, type Deployment } from "./manifests.js";
import { podEnvironment } from "./podEnv.js";
import { DEPLOY_DIR, renderedDeployment } from "./tools.js";

afterAll(removeTemporaryDirectories);

describe("the local stand-ins for the deployed pods", () => {
  let deployment: Deployment;
  let pods: LocalPod[];
  const clusterPorts = [31001, 31002, 31003];
  const metricsPorts = [32001, 32002, 32003];
  beforeAll(() => {
    deployment = renderedDeployment();
    const root = temporaryDirectory("eddy-local-pods-");
    pods = [0, 1, 2].map((ordinal) => localPod(deployment.set, deployment.configMap, ordinal, { root, namespace: "default", clusterPorts, metricsPorts }));
  });

  it.each([0, 1, 2])("pod %i keeps the pod's environment but for the hostfile's path, and adds the image's", (ordinal) => {
    const pod = pods[ordinal] as LocalPod;
    const { EDDY_HOSTFILE_PATH, ...rest } = podEnvironment(deployment.set, "eddy", { ordinal, namespace: "default" });
    expect(EDDY_HOSTFILE_PATH).toBe("/cluster/hosts");
    expect(pod.env).toEqual({ ...rest, EDDY_HOSTFILE_PATH: join(pod.dir, "cluster/hosts"), NODE_ENV: "production", PATH: process.env["PATH"] });
  });

  it.each([0, 1, 2])("pod %i runs the container's command with local paths and its own metrics port", (ordinal) => {
    const pod = pods[ordinal] as LocalPod;
    expect(containerOf(deployment.set, "eddy").command).toEqual(["eddy", "cluster", "/flow/flow.json", "--recovery-dir", "/recovery", "--metrics-port", "9464"]);
    expect(pod.args).toEqual(["cluster", join(pod.dir, "flow/flow.json"), "--recovery-dir", join(pod.dir, "recovery"), "--metrics-port", String(metricsPorts[ordinal])]);
    expect(pod.probe).toEqual(["bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/${metricsPorts[ordinal]}`]);
    expect(readFileSync(join(pod.dir, "flow/flow.json"), "utf8")).toBe(readFileSync(join(DEPLOY_DIR, "flow.json"), "utf8"));
  });

  it.each([0, 1, 2])("pod %i, through procEnv, is the process of that id, with the local addresses in order", (ordinal) => {
    const pod = pods[ordinal] as LocalPod;
    expect(procEnv(pod.env)).toEqual({ procId: ordinal, addresses: clusterPorts.map((port) => `127.0.0.1:${port}`), workerCountPerProc: 2 });
  });
});
