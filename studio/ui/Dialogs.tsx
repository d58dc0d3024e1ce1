/** The examples gallery, the keyboard shortcuts help (listed from the one shortcut table) and the About box. */

import type { ReactNode } from "react";
import type { ExampleFlow } from "../state/examples.js";
import { SCOPE_TITLES, SHORTCUTS } from "../state/shortcuts.js";

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

/** The shortcuts help: the table of studio/state/shortcuts.ts, by where the focus is. */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} testId="shortcuts-dialog">
      {SCOPE_TITLES.map(([scope, heading]) => (
        <section key={scope}>
          <h3>{heading}</h3>
          <table className="shortcuts">
            <tbody>
              {SHORTCUTS.filter((shortcut) => shortcut.scope === scope).map((shortcut) => (
                <tr key={shortcut.id} data-testid={`shortcut-${shortcut.id}`}>
                  <td>
                    <kbd>{shortcut.keys}</kbd>
                  </td>
                  <td>{shortcut.does}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      <p style={{ color: "var(--muted)" }}>Ctrl is Cmd on a Mac. Inside a code editor, Ctrl+Z undoes typing in that editor, and Escape leaves it.</p>
    </Dialog>
  );
}

/** What the studio is built with, and their licences (React Flow's own link also stays on the canvas). */
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
