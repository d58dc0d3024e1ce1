/**
 * Says why a connection is refused while the user draws it: next to the pointer, as soon as it is
 * over a step (its handle or anywhere on it) that the connection may not reach, with the reason
 * from canConnect (studio/state/connections.ts), the one decision behind every connection. After a
 * refused release the Canvas keeps the reason shown a few seconds ("Not connected. ...").
 */

import { useConnection, useStore, type ConnectionState, type FinalConnectionState, type InternalNode } from "@xyflow/react";
import type { FlowDefinition } from "../../engine/host/index.js";
import { canConnect } from "../state/connections.js";
import { afterEntryOf } from "../state/steps.js";
import { useEditor } from "./editorContext.js";

/** A connection the user is drawing (or just released), as from → to between steps, and its verdict. */
export interface DrawnConnection {
  /** An `after` entry: the feeding step's id, or "ID:late" from a window step's late handle. */
  readonly from: string;
  readonly to: string;
  readonly ok: boolean;
  readonly reason?: string;
}

/** The step under a point of the page (its node element), if any. */
function stepAt(clientX: number, clientY: number): string | undefined {
  for (const element of document.elementsFromPoint(clientX, clientY)) {
    const node = element.closest<HTMLElement>(".react-flow__node");
    if (node?.dataset.id !== undefined) return node.dataset.id;
  }
  return undefined;
}

/**
 * The connection being drawn: to the step whose handle React Flow found near the pointer, else to
 * the step under the pointer (not the one it started from). Dragging from an input handle draws
 * it backwards (the step found feeds the one it started from). A connection from a window step's
 * late handle is its late items ("ID:late").
 */
export function drawnConnection(doc: FlowDefinition, state: ConnectionState<InternalNode> | FinalConnectionState<InternalNode>, container: HTMLElement | null): DrawnConnection | undefined {
  if (!state.fromNode || !state.fromHandle || !state.pointer) return undefined;
  const start = state.fromNode.id;
  let other: string | undefined;
  let otherHandle: string | null | undefined;
  if (state.toNode && state.toHandle && state.toHandle.type !== state.fromHandle.type) {
    other = state.toNode.id;
    otherHandle = state.toHandle.id;
  } else if (container) {
    const box = container.getBoundingClientRect();
    const under = stepAt(box.left + state.pointer.x, box.top + state.pointer.y);
    if (under !== start) other = under;
  }
  if (other === undefined) return undefined;
  const [from, to] = state.fromHandle.type === "source" ? [afterEntryOf(start, state.fromHandle.id), other] : [afterEntryOf(other, otherHandle), start];
  const verdict = canConnect(doc, from, to);
  return verdict.ok ? { from, to, ok: true } : { from, to, ok: false, reason: verdict.reason };
}

/** A refused connection just released, and where (relative to the canvas). */
export interface ReleasedRefusal {
  readonly refusal: DrawnConnection;
  readonly x: number;
  readonly y: number;
}

export function ConnectionFeedback({ released }: { released?: ReleasedRefusal | undefined }) {
  const connection = useConnection();
  const doc = useEditor((state) => state.doc);
  const container = useStore((state) => state.domNode);
  const drawn = connection.inProgress ? drawnConnection(doc, connection, container) : undefined;

  if (connection.inProgress && drawn && !drawn.ok) {
    return (
      <div className="connection-refused" role="status" data-testid="connection-refused" style={{ left: connection.pointer.x + 16, top: connection.pointer.y + 16 }}>
        <strong>
          Cannot connect {drawn.from} → {drawn.to}.
        </strong>{" "}
        {drawn.reason}
      </div>
    );
  }
  if (!connection.inProgress && released) {
    return (
      <div className="connection-refused" role="status" data-testid="connection-refused" style={{ left: released.x + 16, top: released.y + 16 }}>
        <strong>Not connected.</strong> {released.refusal.reason}
      </div>
    );
  }
  return null;
}
