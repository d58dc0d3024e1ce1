/** The examples gallery, the keyboard shortcuts help and the About box. */

import type { ReactNode } from "react";
import type { ExampleFlow } from "../state/examples.js";

function Dialog({ title, onClose, children, testId }: { title: string; onClose: () => void; children: ReactNode; testId: string }) {
  return (
    <div className="dialog-backdrop" onClick={onClose} onKeyDown={(event) => event.key === "Escape" && onClose()}>
      <div className="dialog" role="dialog" aria-label={title} data-testid={testId} onClick={(event) => event.stopPropagation()}>
        <h2>{title}</h2>
        {children}
        <div style={{ textAlign: "right", marginTop: 12 }}>
          <button type="button" onClick={onClose} autoFocus>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

export function ExamplesDialog({ examples, onOpen, onClose }: { examples: readonly ExampleFlow[]; onOpen: (example: ExampleFlow) => void; onClose: () => void }) {
  return (
    <Dialog title="Examples" onClose={onClose} testId="examples-dialog">
      <p style={{ color: "var(--muted)", marginTop: 0 }}>Opening an example replaces the canvas (undo brings your flow back).</p>
      <div className="gallery">
        {examples.map((example) => (
          <button type="button" key={example.name} data-testid={`example-${example.name}`} onClick={() => onOpen(example)}>
            <strong>{example.title}</strong>
            <small>{example.description.length > 180 ? `${example.description.slice(0, 177)}...` : example.description}</small>
          </button>
        ))}
      </div>
    </Dialog>
  );
}

export const SHORTCUTS: readonly [string, string][] = [
  ["Ctrl+Z", "undo"],
  ["Ctrl+Shift+Z / Ctrl+Y", "redo"],
  ["Ctrl+C / Ctrl+X / Ctrl+V", "copy, cut, paste steps (the clipboard holds flow-file JSON)"],
  ["Ctrl+A", "select every step"],
  ["Shift+click / Ctrl+click", "add a step to the selection (Shift+drag draws a selection box)"],
  ["Delete / Backspace", "delete the selected steps or connections"],
  ["Shift+Alt+T", "auto-layout (the selection, or the whole flow)"],
  ["Shift+1", "fit the view"],
  ["Ctrl+Enter", "run the flow"],
  ["Ctrl+S", "export the flow file"],
  ["Ctrl+O", "import a flow file"],
  ["?", "this help"],
];

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} testId="shortcuts-dialog">
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([keys, action]) => (
            <tr key={keys}>
              <td>
                <kbd>{keys}</kbd>
              </td>
              <td>{action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p style={{ color: "var(--muted)" }}>Inside a code editor, Ctrl+Z undoes typing in that editor.</p>
    </Dialog>
  );
}

/** What the studio is built with, and their licences (React Flow's attribution is hidden on the canvas and given here, as its MIT licence allows). */
export const CREDITS: readonly { name: string; url: string; what: string; licence: string }[] = [
  { name: "React Flow", url: "https://reactflow.dev", what: "the canvas: nodes, connections, zoom, minimap", licence: "MIT, © webkid GmbH" },
  { name: "CodeMirror", url: "https://codemirror.net", what: "the code editors", licence: "MIT, © Marijn Haverbeke and others" },
  { name: "dagre", url: "https://github.com/dagrejs/dagre", what: "Tidy up (auto-layout)", licence: "MIT, © Chris Pettitt" },
  { name: "React", url: "https://react.dev", what: "the user interface", licence: "MIT, © Meta Platforms" },
  { name: "zustand", url: "https://github.com/pmndrs/zustand", what: "the editor's state", licence: "MIT, © Paul Henschel" },
  { name: "Comlink", url: "https://github.com/GoogleChromeLabs/comlink", what: "talking to the run's Web Worker", licence: "Apache-2.0, © Google" },
  { name: "zod and acorn", url: "https://zod.dev", what: "the flow file's schema and the check of functions", licence: "MIT" },
];

export function AboutDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="About Eddy Studio" onClose={onClose} testId="about-dialog">
      <p>
        Eddy Studio edits, checks and runs Eddy flow files in the browser: the same engine as the <code>eddy</code> runner, with the semantics of Bytewax 0.11.
      </p>
      <p>Built with:</p>
      <ul className="credits">
        {CREDITS.map((credit) => (
          <li key={credit.name}>
            <a href={credit.url} target="_blank" rel="noopener noreferrer">
              {credit.name}
            </a>{" "}
            — {credit.what} ({credit.licence})
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
