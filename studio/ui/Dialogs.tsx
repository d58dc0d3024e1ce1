/** The examples gallery and the keyboard shortcuts help. */

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
  ["D", "disable or enable the selected steps (runs skip them and what only they feed)"],
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
