/**
 * The Kubernetes objects of deploy/kubernetes as the deploy tests read them: YAML documents parsed
 * with the `yaml` package (every error and warning refused), and the few fields of a StatefulSet,
 * Service and ConfigMap that the tests look at, typed. The objects are what kustomize rendered
 * (tools.ts), so they are what `kubectl apply -k deploy/kubernetes` sends to the API server.
 */

import { parseAllDocuments } from "yaml";

export interface Metadata {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly fieldRef?: { readonly fieldPath: string } } & Readonly<Record<string, unknown>>;
}

export interface VolumeMount {
  readonly name: string;
  readonly mountPath: string;
  readonly readOnly?: boolean;
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: readonly EnvVar[];
  readonly envFrom?: readonly unknown[];
  readonly ports?: readonly { readonly name?: string; readonly containerPort: number }[];
  readonly volumeMounts?: readonly VolumeMount[];
  readonly readinessProbe?: { readonly exec?: { readonly command: readonly string[] } };
  readonly livenessProbe?: unknown;
  readonly startupProbe?: unknown;
}

export interface Volume {
  readonly name: string;
  readonly configMap?: { readonly name: string };
  readonly emptyDir?: Readonly<Record<string, unknown>>;
}

export interface StatefulSet {
  readonly kind: "StatefulSet";
  readonly metadata: Metadata;
  readonly spec: {
    readonly replicas?: number;
    readonly serviceName: string;
    readonly podManagementPolicy?: string;
    readonly updateStrategy?: { readonly type: string };
    readonly selector: { readonly matchLabels: Readonly<Record<string, string>> };
    readonly template: {
      readonly metadata: Metadata;
      readonly spec: {
        readonly terminationGracePeriodSeconds?: number;
        readonly enableServiceLinks?: boolean;
        readonly initContainers?: readonly Container[];
        readonly containers: readonly Container[];
        readonly volumes?: readonly Volume[];
      };
    };
    readonly volumeClaimTemplates?: readonly { readonly metadata: { readonly name: string } }[];
  };
}

export interface Service {
  readonly kind: "Service";
  readonly metadata: Metadata;
  readonly spec: {
    readonly clusterIP?: string;
    readonly publishNotReadyAddresses?: boolean;
    readonly selector: Readonly<Record<string, string>>;
    readonly ports: readonly { readonly name?: string; readonly port: number; readonly targetPort?: number | string }[];
  };
}

export interface ConfigMap {
  readonly kind: "ConfigMap";
  readonly metadata: Metadata;
  readonly data: Readonly<Record<string, string>>;
}

export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: Metadata;
}

/** Every document of a YAML text, as plain values; throws on any error or warning, naming `source`. */
export function parseYamlDocuments(text: string, source: string): unknown[] {
  const documents = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  if (!Array.isArray(documents)) throw new Error(`${source}: not a YAML stream`);
  return documents.map((document, index) => {
    const problems = [...document.errors, ...document.warnings];
    if (problems.length > 0) throw new Error(`${source}, document ${index + 1}: ${problems.map((problem) => problem.message).join("; ")}`);
    return document.toJS() as unknown;
  });
}

/** The rendered objects, checked to be Kubernetes objects (apiVersion, kind, metadata.name). */
export function kubernetesObjects(text: string, source: string): KubernetesObject[] {
  return parseYamlDocuments(text, source).map((value, index) => {
    const object = value as Partial<KubernetesObject> | null;
    if (typeof object?.apiVersion !== "string" || typeof object.kind !== "string" || typeof object.metadata?.name !== "string") {
      throw new Error(`${source}, document ${index + 1} is not a Kubernetes object: ${JSON.stringify(value)?.slice(0, 200)}`);
    }
    return object as KubernetesObject;
  });
}

/** The one object of `kind` (throws when there are none or several). */
export function only<K extends string>(objects: readonly KubernetesObject[], kind: K): KubernetesObject & { kind: K } {
  const found = objects.filter((object) => object.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}: ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}`);
  return found[0] as KubernetesObject & { kind: K };
}

export interface Deployment {
  readonly objects: readonly KubernetesObject[];
  readonly set: StatefulSet;
  readonly service: Service;
  readonly configMap: ConfigMap;
}

/** The rendered deployment's three objects. */
export function deploymentOf(objects: readonly KubernetesObject[]): Deployment {
  return {
    objects,
    set: only(objects, "StatefulSet") as unknown as StatefulSet,
    service: only(objects, "Service") as unknown as Service,
    configMap: only(objects, "ConfigMap") as unknown as ConfigMap,
  };
}

/** The container `name` of the set's pods (`initContainers` too); throws when it is missing. */
export function containerOf(set: StatefulSet, name: string): Container {
  const { initContainers = [], containers } = set.spec.template.spec;
  const container = [...initContainers, ...containers].find((candidate) => candidate.name === name);
  if (!container) throw new Error(`the StatefulSet ${set.metadata.name} has no container ${name}`);
  return container;
}

/** The value of a plain `env` entry of a container; throws when it is missing or not plain. */
export function plainEnv(container: Container, name: string): string {
  const entry = container.env?.find((candidate) => candidate.name === name);
  if (entry?.value === undefined) throw new Error(`container ${container.name} has no plain value for ${name}`);
  return entry.value;
}

/** The container's mount whose path is `path`'s directory or `path` itself (undefined when none). */
export function mountHolding(container: Container, path: string): VolumeMount | undefined {
  return container.volumeMounts?.find((mount) => path === mount.mountPath || path.startsWith(`${mount.mountPath.replace(/\/$/, "")}/`));
}
