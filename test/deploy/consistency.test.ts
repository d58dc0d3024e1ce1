/**
 * The parts of deploy/kubernetes agree with each other, as rendered by kustomize: the number of
 * processes is written once (kustomization.yaml) and reaches the set and the hostfile; the Service,
 * the set, the ports and the names match; the container runs `eddy cluster` on the flow file the
 * ConfigMap provides, which `eddy validate` accepts, with its recovery directory on the pod's own
 * volume; the grace period covers the flow's epochs; the probe asks the metrics port the command
 * opens; the image is the one the Dockerfile builds.
 */

import { cpSync, readFileSync, writeFileSync, appendFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_EPOCH_LENGTH } from "../../engine/configs/epochs.js";
import { describeRun, eddy, removeTemporaryDirectories, temporaryDirectory } from "../runner/cli.js";
import { containerOf, mountHolding, parseYamlDocuments, plainEnv, type Deployment } from "./manifests.js";
import { DEPLOY_DIR, REPO, renderedDeployment } from "./tools.js";

afterAll(removeTemporaryDirectories);

interface Kustomization {
  readonly replicas: readonly { readonly name: string; readonly count: number }[];
}

const source = (name: string) => readFileSync(join(DEPLOY_DIR, name), "utf8");
const kustomization = parseYamlDocuments(source("kustomization.yaml"), "kustomization.yaml")[0] as Kustomization;

/** `eddy cluster FLOW --recovery-dir DIR --metrics-port N`, taken apart; throws on another shape. */
function clusterCommand(command: readonly string[] | undefined): { flow: string; recoveryDir: string; metricsPort: number } {
  const [program, verb, flow, ...options] = command ?? [];
  expect([program, verb], `command: ${JSON.stringify(command)}`).toEqual(["eddy", "cluster"]);
  const option = (name: string) => {
    const at = options.indexOf(name);
    const value = at >= 0 ? options[at + 1] : undefined;
    if (value === undefined) throw new Error(`the command ${JSON.stringify(command)} has no ${name}`);
    return value;
  };
  return { flow: flow as string, recoveryDir: option("--recovery-dir"), metricsPort: Number(option("--metrics-port")) };
}

describe("deploy/kubernetes, rendered", () => {
  let deployment: Deployment;
  beforeAll(() => {
    deployment = renderedDeployment();
  });
  const eddyContainer = () => containerOf(deployment.set, "eddy");
  const hostfileContainer = () => containerOf(deployment.set, "hostfile");

  it("sets the number of processes once, in kustomization.yaml, and the set and the hostfile both get it", () => {
    const statefulset = parseYamlDocuments(source("statefulset.yaml"), "statefulset.yaml")[0] as { spec: Record<string, unknown> };
    expect(statefulset.spec, "statefulset.yaml must leave replicas to kustomization.yaml").not.toHaveProperty("replicas");
    expect(kustomization.replicas).toEqual([{ name: deployment.set.metadata.name, count: expect.any(Number) }]);
    const count = kustomization.replicas[0]?.count as number;
    expect(count).toBeGreaterThan(0);
    expect(deployment.set.spec.replicas).toBe(count);
    expect(plainEnv(hostfileContainer(), "EDDY_PROCESS_COUNT")).toBe(String(count));
  });

  it("tells the processes the set's and the Service's own names", () => {
    expect(plainEnv(eddyContainer(), "EDDY_STATEFULSET_NAME")).toBe(deployment.set.metadata.name);
    expect(plainEnv(hostfileContainer(), "EDDY_STATEFULSET_NAME")).toBe(deployment.set.metadata.name);
    expect(plainEnv(hostfileContainer(), "EDDY_SERVICE_NAME")).toBe(deployment.service.metadata.name);
  });

  it("has a headless Service that names the set's pods before they are ready", () => {
    const { service, set } = deployment;
    expect(set.spec.serviceName).toBe(service.metadata.name);
    expect(service.spec.clusterIP).toBe("None");
    expect(service.spec.publishNotReadyAddresses).toBe(true);
    expect(set.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(set.spec.template.metadata.labels).toMatchObject(set.spec.selector.matchLabels);
  });

  it("uses one cluster port: the container's port `cluster`, the Service's, and the hostfile's addresses", () => {
    const port = eddyContainer().ports?.find((candidate) => candidate.name === "cluster")?.containerPort;
    expect(port).toBeTypeOf("number");
    expect(deployment.service.spec.ports).toEqual([{ name: "cluster", port, targetPort: "cluster" }]);
    expect(plainEnv(hostfileContainer(), "EDDY_CLUSTER_PORT")).toBe(String(port));
  });

  it("starts and replaces all pods together: Parallel, OnDelete", () => {
    expect(deployment.set.spec.podManagementPolicy).toBe("Parallel");
    expect(deployment.set.spec.updateStrategy).toEqual({ type: "OnDelete" });
  });

  it("runs eddy cluster on the flow file that the ConfigMap provides, the one in deploy/kubernetes", () => {
    const { flow } = clusterCommand(eddyContainer().command);
    const mount = mountHolding(eddyContainer(), flow);
    expect(mount?.mountPath, `nothing is mounted where ${flow} is`).toBe(dirname(flow));
    expect(mount?.readOnly).toBe(true);
    const volume = deployment.set.spec.template.spec.volumes?.find((candidate) => candidate.name === mount?.name);
    expect(volume?.configMap?.name).toBe(deployment.configMap.metadata.name);
    expect(Object.keys(deployment.configMap.data)).toEqual([basename(flow)]);
    expect(deployment.configMap.data[basename(flow)]).toBe(source("flow.json"));
  });

  it("keeps the recovery directory on the pod's own volume from volumeClaimTemplates", () => {
    const { recoveryDir } = clusterCommand(eddyContainer().command);
    const mount = mountHolding(eddyContainer(), recoveryDir);
    expect(mount?.mountPath).toBe(recoveryDir);
    expect(mount?.readOnly).not.toBe(true);
    expect(deployment.set.spec.volumeClaimTemplates?.map((claim) => claim.metadata.name)).toEqual([mount?.name]);
  });

  it("has the init container write the hostfile that eddy cluster reads, on a volume both mount", () => {
    const path = plainEnv(eddyContainer(), "EDDY_HOSTFILE_PATH");
    expect(plainEnv(hostfileContainer(), "EDDY_HOSTFILE_PATH")).toBe(path);
    expect(eddyContainer().env?.map((entry) => entry.name)).not.toContain("EDDY_ADDRESSES");
    const written = mountHolding(hostfileContainer(), path);
    const read = mountHolding(eddyContainer(), path);
    expect(written?.name).toBeDefined();
    expect(read?.name).toBe(written?.name);
    expect(read?.mountPath).toBe(written?.mountPath);
    expect(written?.readOnly).not.toBe(true);
    const volume = deployment.set.spec.template.spec.volumes?.find((candidate) => candidate.name === written?.name);
    expect(volume?.emptyDir).toBeDefined();
  });

  it("ships a flow that eddy validate accepts", async () => {
    const file = join(temporaryDirectory("eddy-deploy-"), "flow.json");
    writeFileSync(file, Object.values(deployment.configMap.data)[0] as string);
    const result = await eddy(["validate", file]);
    expect(result.code, describeRun(result)).toBe(0);
  });

  it("gives SIGTERM time to reach an epoch boundary: a grace period of at least two epochs and 30 s", () => {
    const flow = JSON.parse(source("flow.json")) as { execution?: { epoch?: { type: string; length?: number } } };
    const epochMs = flow.execution?.epoch?.length ?? DEFAULT_EPOCH_LENGTH;
    const graceMs = (deployment.set.spec.template.spec.terminationGracePeriodSeconds ?? 30) * 1000;
    expect(graceMs).toBeGreaterThanOrEqual(2 * epochMs + 30_000);
  });

  it("probes readiness on the metrics port that eddy cluster opens, from inside the container, and has no liveness probe", () => {
    const { metricsPort } = clusterCommand(eddyContainer().command);
    expect(eddyContainer().readinessProbe?.exec?.command).toEqual(["bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/${metricsPort}`]);
    // No liveness probe on purpose (statefulset.yaml, README): a slow process is not a dead one.
    expect(eddyContainer().livenessProbe).toBeUndefined();
    expect(eddyContainer().startupProbe).toBeUndefined();
  });

  it("runs the image that the Dockerfile builds, tagged with the package's version", () => {
    const version = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;
    const image = `eddy:${version}`;
    expect(eddyContainer().image).toBe(image);
    expect(hostfileContainer().image).toBe(image);
    const build = `docker build -f deploy/kubernetes/Dockerfile -t ${image} .`;
    expect(source("Dockerfile")).toContain(build);
    expect(source("README.md")).toContain(build);
  });
});

describe("deploy/kubernetes with a namePrefix in its kustomization.yaml", () => {
  it("tells the processes the prefixed names", () => {
    const dir = join(temporaryDirectory("eddy-deploy-"), "kubernetes");
    cpSync(DEPLOY_DIR, dir, { recursive: true });
    appendFileSync(join(dir, "kustomization.yaml"), "\nnamePrefix: team-\n");
    const { set, service } = renderedDeployment(dir);
    expect([set.metadata.name, service.metadata.name, set.spec.serviceName]).toEqual(["team-eddy", "team-eddy", "team-eddy"]);
    expect(plainEnv(containerOf(set, "eddy"), "EDDY_STATEFULSET_NAME")).toBe("team-eddy");
    expect(plainEnv(containerOf(set, "hostfile"), "EDDY_STATEFULSET_NAME")).toBe("team-eddy");
    expect(plainEnv(containerOf(set, "hostfile"), "EDDY_SERVICE_NAME")).toBe("team-eddy");
  });
});
