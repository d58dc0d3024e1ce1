/** Export of flow files in the browser: a download of the runner's file. */

import type { FlowDefinition } from "../../engine/host/index.js";
import { exportFlow } from "../state/exportFlow.js";

export function fileNameFor(doc: FlowDefinition): string {
  const base = (doc.name ?? "flow").replace(/[^A-Za-z0-9_.-]+/g, "-") || "flow";
  return `${base}.json`;
}

/** Downloads the document as the runner's flow file (pretty, stable, no secrets). */
export function downloadFlow(doc: FlowDefinition): void {
  const blob = new Blob([exportFlow(doc)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileNameFor(doc);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
