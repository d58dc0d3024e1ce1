/**
 * The environment the kubelet gives a container of pod `ordinal` of a StatefulSet, derived from the
 * parsed StatefulSet alone: a pure function, so that the deploy tests can hand exactly that
 * environment to procEnv (eddy/parse), to the init container's script and to `eddy cluster`.
 *
 * What the kubelet does, and so what this does:
 * - a StatefulSet's pod `ordinal` is named `<set name>-<ordinal>`;
 * - `valueFrom.fieldRef` `metadata.name` is that name, `metadata.namespace` the pod's namespace;
 * - `value` is given as it is.
 * The pods set `enableServiceLinks: false`, so the kubelet adds no Service variables; the image's
 * own `ENV` (deploy/kubernetes/Dockerfile) comes first, and sets no `EDDY_*` variable.
 *
 * Anything else (another fieldRef, a secret or config map reference, `envFrom`, `$(VAR)` references,
 * service links) is refused with an error rather than guessed, so that a manifest this function
 * cannot derive fails the tests instead of passing them with the wrong environment.
 */

import { containerOf, type StatefulSet } from "./manifests.js";

export interface PodPlace {
  readonly ordinal: number;
  /** The namespace the set was applied to (`kubectl apply -k` without one: `default`). */
  readonly namespace: string;
}

/** The name of the set's pod `ordinal`. */
export function podName(set: StatefulSet, ordinal: number): string {
  if (!Number.isSafeInteger(ordinal) || ordinal < 0) throw new Error(`a pod ordinal is a non-negative integer, not ${ordinal}`);
  return `${set.metadata.name}-${ordinal}`;
}

/** The environment of container `containerName` in the set's pod at `place`, as the kubelet makes it. */
export function podEnvironment(set: StatefulSet, containerName: string, place: PodPlace): Record<string, string> {
  if (set.spec.template.spec.enableServiceLinks !== false) {
    throw new Error("the pod template must set enableServiceLinks: false (otherwise the kubelet adds a variable per Service of the namespace)");
  }
  const container = containerOf(set, containerName);
  if (container.envFrom !== undefined) throw new Error(`container ${containerName} uses envFrom, which podEnvironment does not derive`);
  const fields: Readonly<Record<string, string>> = {
    "metadata.name": podName(set, place.ordinal),
    "metadata.namespace": place.namespace,
  };
  const env: Record<string, string> = {};
  for (const entry of container.env ?? []) {
    if (entry.name in env) throw new Error(`container ${containerName} sets ${entry.name} twice`);
    if (entry.value !== undefined) {
      if (entry.value.includes("$(")) throw new Error(`${entry.name} refers to another variable ($(...)), which podEnvironment does not expand: ${entry.value}`);
      env[entry.name] = entry.value;
      continue;
    }
    const fieldPath = entry.valueFrom?.fieldRef?.fieldPath;
    const sources = Object.keys(entry.valueFrom ?? {});
    if (fieldPath === undefined || sources.length !== 1) throw new Error(`${entry.name} is set from ${JSON.stringify(entry.valueFrom)}, which podEnvironment does not derive`);
    const field = fields[fieldPath];
    if (field === undefined) throw new Error(`${entry.name} is set from the field ${fieldPath}, which podEnvironment does not derive`);
    env[entry.name] = field;
  }
  return env;
}
