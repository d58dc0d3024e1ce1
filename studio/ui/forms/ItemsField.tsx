/**
 * Items (a sample's, a list input's) as JSON lines, one item per line, with their count; a JSON
 * array is read too, and a file (.jsonl, .json, .txt) can be loaded. The document gets the items
 * only when the whole text reads (studio/state/sampleItems.ts); the editor marks the first line
 * that does not.
 */

import { useEffect, useRef, useState } from "react";
import { countItems, formatItems, parseItems } from "../../state/sampleItems.js";
import { CodeEditor } from "./CodeEditor.js";
import { Field, type FieldProps } from "./fields.js";

function sameItems(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function ItemsField({ label, value, onChange, problems, hint, testId }: FieldProps) {
  const items = Array.isArray(value) ? value : [];
  const [text, setText] = useState(() => formatItems(items));
  const [unread, setUnread] = useState(false);
  const [fileProblem, setFileProblem] = useState<string | undefined>();
  const file = useRef<HTMLInputElement>(null);
  useEffect(() => {
    setText((current) => {
      const parsed = parseItems(current);
      return parsed.ok && sameItems(parsed.items, value ?? []) ? current : formatItems(Array.isArray(value) ? value : []);
    });
  }, [value]);

  const edit = (next: string) => {
    setText(next);
    const parsed = parseItems(next);
    setUnread(!parsed.ok);
    if (parsed.ok && !sameItems(parsed.items, value)) onChange(parsed.items);
  };
  const load = async (input: HTMLInputElement) => {
    const chosen = input.files?.[0];
    input.value = "";
    if (!chosen) return;
    const parsed = parseItems(await chosen.text());
    if (!parsed.ok) return setFileProblem(`${chosen.name}: ${parsed.message}`);
    setFileProblem(undefined);
    setUnread(false);
    setText(formatItems(parsed.items));
    onChange(parsed.items);
  };

  const idPart = testId !== undefined ? { testId } : {};
  return (
    <Field label={label} hint={`${hint !== undefined ? `${hint} ` : ""}One JSON value per line (JSON lines), or a JSON array.`} problems={problems}>
      <CodeEditor language="items" label={label} value={text} onChange={edit} {...idPart} placeholder='{"user": "a", "page": "/home"}' />
      <div className="items-bar">
        <span data-testid={testId !== undefined ? `${testId}-count` : undefined}>{countItems(items.length)}</span>
        {unread && <span className="field-problem"> (the text does not read yet: the items above are the last that did)</span>}
        <button type="button" onClick={() => file.current?.click()} data-testid={testId !== undefined ? `${testId}-load` : undefined} title="Load the items from a JSON lines or JSON file">
          Load from file…
        </button>
        <input ref={file} type="file" accept=".jsonl,.ndjson,.json,.txt,application/json" style={{ display: "none" }} data-testid={testId !== undefined ? `${testId}-file` : undefined} onChange={(event) => void load(event.currentTarget)} />
      </div>
      {fileProblem !== undefined && <div className="field-problem">{fileProblem}</div>}
    </Field>
  );
}
