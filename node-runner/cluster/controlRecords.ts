/**
 * The control records processes of a cluster send each other (JSON, framing.ts), besides the
 * workers' frames:
 *
 * - `hello` first, both ways, on a new connection (handshake.ts);
 * - `refuse`: the connection is not wanted (a second process with the same id), with the reason;
 * - `round`: one step of an all-to-all exchange before the workers start (recovery summaries,
 *   barriers; router.ts `round`);
 * - `failure`: the run fails (a worker's error, a process lost), sent to every process before the
 *   sender closes its connections, and relayed by each receiver, so that every process reports the
 *   first failure rather than the closed connections it causes;
 * - `stop`: a stop was asked (SIGINT, SIGTERM) somewhere: every process ends as stopped;
 * - `done`: every worker of the sender is done;
 * - `bye`: the sender saw every process done and leaves; a connection closed after it is orderly;
 * - `beat`: the sender is alive (liveness.ts), every second, whatever else it sends.
 */

import { EddyError } from "../../engine/host/index.js";
import type { ClusterFailure } from "./failures.js";
import type { Hello } from "./handshake.js";

export type ControlRecord =
  | Hello
  | { readonly type: "refuse"; readonly reason: string }
  | { readonly type: "round"; readonly name: string; readonly payload: unknown }
  | { readonly type: "failure"; readonly failure: ClusterFailure }
  | { readonly type: "stop" }
  | { readonly type: "done" }
  | { readonly type: "bye" }
  | { readonly type: "beat" };

/** The record, checked as far as its kind goes; anything else is CLUSTER_PROTOCOL. */
export function asControl(message: unknown, from: string): ControlRecord {
  const record = message as { type?: unknown; name?: unknown; reason?: unknown; failure?: Partial<ClusterFailure> } | null;
  const type = record !== null && typeof record === "object" ? record.type : undefined;
  switch (type) {
    case "hello":
    case "stop":
    case "done":
    case "bye":
    case "beat":
      return record as ControlRecord;
    case "refuse":
      if (typeof record!.reason === "string") return record as ControlRecord;
      break;
    case "round":
      if (typeof record!.name === "string") return record as ControlRecord;
      break;
    case "failure": {
      const failure = record!.failure;
      if (failure && typeof failure.exit === "number" && typeof failure.origin === "string" && typeof failure.report?.message === "string") return record as ControlRecord;
      break;
    }
  }
  throw new EddyError("CLUSTER_PROTOCOL", `${from} sent a control record that this Eddy cannot read (${JSON.stringify(message)?.slice(0, 200)})`);
}
