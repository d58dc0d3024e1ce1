/** Flow format versions: bringing an older flow to the current format, refusing a newer one. No zod: compiling a checked flow uses it. */

import { EddyError } from "../errors.js";
import { FLOW_FORMAT_VERSION } from "./formatVersion.js";

/**
 * Brings a flow of an older format version to the current one. Version 1 is the only version, so
 * this returns `json` itself; a newer version is refused (`FLOW_VERSION_NEWER`).
 */
export function migrateFlow(json: unknown): unknown {
  const version = typeof json === "object" && json !== null ? (json as { version?: unknown }).version : undefined;
  if (!Array.isArray(json) && isNewerVersion(version)) throw new EddyError("FLOW_VERSION_NEWER", newerVersionMessage(version));
  return json;
}

/** A format version newer than this Eddy reads. */
export function isNewerVersion(version: unknown): version is number {
  return typeof version === "number" && Number.isInteger(version) && version > FLOW_FORMAT_VERSION;
}

/** How a newer format version is refused. */
export function newerVersionMessage(version: number): string {
  return `The flow: \`version\` is ${version}, but this Eddy reads flow format ${FLOW_FORMAT_VERSION} and older; use a newer Eddy to open it`;
}
