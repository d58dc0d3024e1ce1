/**
 * deploy/kubernetes parses and is valid Kubernetes, offline: every YAML file parses (multi-document
 * streams included), kustomize renders the directory as `kubectl apply -k` would, and the rendered
 * objects satisfy the strict JSON schemas (unknown fields refused) of each Kubernetes release in
 * KUBERNETES_VERSIONS, checked by kubernetes-validate (scripts/install-deploy-peers.sh installs it).
 * The validator is shown to refuse a misspelled field and a wrong type, so a pass means something.
 */

import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTemporaryDirectories, temporaryDirectory } from "../runner/cli.js";
import { kubernetesObjects, parseYamlDocuments } from "./manifests.js";
import { DEPLOY_DIR, KUBERNETES_VERSIONS, renderKustomization, validateManifests } from "./tools.js";

afterAll(removeTemporaryDirectories);

const yamlFiles = readdirSync(DEPLOY_DIR).filter((name) => /\.ya?ml$/.test(name)).sort();

describe("deploy/kubernetes files", () => {
  it("are the kustomization, the Service and the StatefulSet", () => {
    expect(yamlFiles).toEqual(["kustomization.yaml", "service.yaml", "statefulset.yaml"]);
  });

  it.each(yamlFiles)("%s parses as YAML without errors or warnings", (name) => {
    const documents = parseYamlDocuments(readFileSync(join(DEPLOY_DIR, name), "utf8"), name);
    expect(documents.length).toBeGreaterThan(0);
  });

  it("a YAML stream of several documents parses into each of them, and a broken one is refused", () => {
    expect(parseYamlDocuments("a: 1\n---\nb: 2\n", "two")).toEqual([{ a: 1 }, { b: 2 }]);
    expect(() => parseYamlDocuments("a: 1\na: 2\n", "duplicate key")).toThrow(/duplicate key/i);
    expect(() => parseYamlDocuments("a: [1, 2\n", "unclosed")).toThrow(/unclosed/);
  });
});

describe("kubectl apply -k deploy/kubernetes", () => {
  let rendered = "";
  let file = "";
  beforeAll(() => {
    rendered = renderKustomization(DEPLOY_DIR);
    file = join(temporaryDirectory("eddy-deploy-"), "rendered.yaml");
    writeFileSync(file, rendered);
  });

  it("renders the flow's ConfigMap, the headless Service and the StatefulSet", () => {
    const objects = kubernetesObjects(rendered, "kustomize output");
    expect(objects.map((object) => `${object.apiVersion} ${object.kind}`).sort()).toEqual(["apps/v1 StatefulSet", "v1 ConfigMap", "v1 Service"]);
  });

  it.each(KUBERNETES_VERSIONS)("validates strictly against the schemas of Kubernetes %s", (version) => {
    const validation = validateManifests(file, version);
    expect(validation.ok, validation.output).toBe(true);
    // One line per resource, each a pass: a resource the validator has no schema for is only a warning.
    expect(validation.output.match(/passed for resource/g), validation.output).toHaveLength(3);
    expect(validation.output).not.toMatch(/WARN|ERROR/);
  });

  it("would be refused with a misspelled field or a wrong type (the validator can fail)", () => {
    const version = KUBERNETES_VERSIONS[0];
    const misspelled = join(temporaryDirectory("eddy-deploy-"), "misspelled.yaml");
    writeFileSync(misspelled, rendered.replace("podManagementPolicy: Parallel", "podManagementPolice: Parallel"));
    const unknownField = validateManifests(misspelled, version);
    expect(unknownField.ok, unknownField.output).toBe(false);
    expect(unknownField.output).toMatch(/'podManagementPolice' was unexpected/);

    const wrongType = join(temporaryDirectory("eddy-deploy-"), "wrong-type.yaml");
    writeFileSync(wrongType, rendered.replace(/containerPort: 2101/g, "containerPort: cluster"));
    const typed = validateManifests(wrongType, version);
    expect(typed.ok, typed.output).toBe(false);
    expect(typed.output).toMatch(/'cluster' is not of type 'integer'/);
  });
});
