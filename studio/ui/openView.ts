/**
 * Opening a flow at a readable zoom (studio/state/viewport.ts): step text at least 12 px on screen,
 * the whole flow centred when it fits, else its start (where the inputs are) in view.
 */

import { useCallback } from "react";
import { useReactFlow } from "@xyflow/react";
import { flowToCanvas } from "../state/document.js";
import { readableViewport, stepBounds } from "../state/viewport.js";
import { useEditorStore } from "./editorContext.js";

/** A function that moves the canvas to the opening view of the flow on screen (animated over `durationMs`). */
export function useOpenView(): (durationMs?: number) => void {
  const flow = useReactFlow();
  const store = useEditorStore();
  return useCallback(
    (durationMs = 0) => {
      const canvas = document.querySelector(".canvas")?.getBoundingClientRect();
      const bounds = stepBounds(flowToCanvas(store.getState().doc).nodes.map((node) => node.position));
      if (!canvas || !bounds || canvas.width === 0) return;
      void flow.setViewport(readableViewport(bounds, canvas), { duration: durationMs });
    },
    [flow, store],
  );
}
