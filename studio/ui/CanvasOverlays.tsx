/**
 * What floats over the canvas: the minimap, sized to the canvas (a fifth of its width, none on a
 * small canvas; studio/state/panels.ts) and hidden or shown by a button among the zoom controls
 * (the choice is kept in this browser).
 */

import { ControlButton, Controls, MiniMap, useStore } from "@xyflow/react";
import { minimapSize } from "../state/panels.js";
import { changePanels, usePanelChoices } from "./layoutStore.js";

export function CanvasOverlays() {
  const width = useStore((state) => state.width);
  const height = useStore((state) => state.height);
  const { choices } = usePanelChoices();
  const size = choices.minimap ? minimapSize({ width, height }) : undefined;
  const action = choices.minimap ? "Hide the minimap" : "Show the minimap";
  return (
    <>
      {size && <MiniMap pannable zoomable style={{ width: size.width, height: size.height }} />}
      <Controls orientation="horizontal">
        <ControlButton onClick={() => changePanels((current) => ({ ...current, minimap: !current.minimap }))} title={action} aria-label={action} aria-pressed={choices.minimap} data-testid="toggle-minimap">
          ▦
        </ControlButton>
      </Controls>
    </>
  );
}
