/**
 * Skip links: the first Tab stops of the page, shown only while focused, that take the keyboard
 * straight to the step palette, the canvas or the Run button (the same as Shift+Alt+P, C and R).
 */

import type { MouseEvent } from "react";
import { focusRegion, type Region } from "./canvasView.js";
import { useEditorStore } from "./editorContext.js";

const LINKS: readonly (readonly [Region, string])[] = [
  ["palette", "Skip to the step palette"],
  ["canvas", "Skip to the canvas"],
  ["run", "Skip to Run"],
];

export function SkipLinks() {
  const store = useEditorStore();
  const go = (region: Region) => (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    focusRegion(region, store);
  };
  return (
    <nav className="skip-links" aria-label="Skip links">
      {LINKS.map(([region, text]) => (
        <a key={region} href={`#${region}`} data-testid={`skip-${region}`} onClick={go(region)}>
          {text}
        </a>
      ))}
    </nav>
  );
}
