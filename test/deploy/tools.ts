/**
 * The two programs the deploy tests run, both offline: kustomize, to render deploy/kubernetes
 * exactly as `kubectl apply -k` would (kubectl's own, `kubectl kustomize`, or else the kustomize
 * that scripts/install-deploy-peers.sh built into .deploy-tools/bin), and kubernetes-validate
 * (PyPI, in .deploy-tools/venv), which checks manifests against the Kubernetes JSON schemas it
 * bundles. A missing program fails the test that needs it, saying how to install it: never a skip.
 */

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../runner/cli.js";
import { deploymentOf, kubernetesObjects, type Deployment } from "./manifests.js";

export { REPO };
export const DEPLOY_DIR = join(REPO, "deploy/kubernetes");
const TOOLS = join(REPO, ".deploy-tools");
const INSTALL = "bash scripts/install-deploy-peers.sh";

/**
 * The Kubernetes releases whose schemas the manifests must satisfy: 1.32, the oldest release the
 * README claims (persistentVolumeClaimRetentionPolicy is GA there), and the newest bundled.
 */
export const KUBERNETES_VERSIONS = ["1.32.0", "1.37.0"] as const;

function onPath(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

/** The command that renders a kustomization directory given as its last argument. */
export function kustomizeCommand(): readonly string[] {
  if (onPath("kubectl")) return ["kubectl", "kustomize"];
  const built = join(TOOLS, "bin/kustomize");
  if (existsSync(built)) return [built, "build"];
  throw new Error(`neither kubectl nor ${built} is installed: run \`${INSTALL}\``);
}

/** The YAML that `kubectl apply -k DIR` would apply. Throws with kustomize's message when it cannot render. */
export function renderKustomization(dir: string): string {
  const [program, ...args] = kustomizeCommand();
  const result = spawnSync(program as string, [...args, dir], { encoding: "utf8", timeout: 60_000 });
  if (result.status !== 0) throw new Error(`${[program, ...args, dir].join(" ")} failed (${result.status ?? result.signal}): ${result.stderr}${result.error ?? ""}`);
  return result.stdout;
}

export interface Validation {
  readonly ok: boolean;
  /** What kubernetes-validate printed, one line per resource (and why one failed). */
  readonly output: string;
}

/** Validates a file of (multi-document) YAML against Kubernetes `version`'s strict schemas: unknown fields are errors. */
export function validateManifests(file: string, version: string): Validation {
  const validator = join(TOOLS, "venv/bin/kubernetes-validate");
  if (!existsSync(validator)) throw new Error(`${validator} is not installed: run \`${INSTALL}\``);
  const result = spawnSync(validator, ["--strict", "--kubernetes-version", version, file], { encoding: "utf8", timeout: 120_000 });
  if (result.error) throw result.error;
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}


/** deploy/kubernetes (or `dir`) rendered by kustomize, parsed, with its StatefulSet, Service and ConfigMap. */
export function renderedDeployment(dir: string = DEPLOY_DIR): Deployment & { readonly text: string } {
  const text = renderKustomization(dir);
  return { text, ...deploymentOf(kubernetesObjects(text, `kustomize output of ${dir}`)) };
}
