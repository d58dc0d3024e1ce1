/**
 * A duration in milliseconds: the label (the field's name) says "ms", and "10s", "500ms", "2m" or "1m30s" work too
 * (studio/state/duration.ts). The document always gets milliseconds; leaving the field shows them.
 */

import { useEffect, useState } from "react";
import { describeDuration, parseDuration } from "../../state/duration.js";
import { Field, type FieldProps } from "./fields.js";

export function DurationField({ label, value, onChange, problems, hint, testId, optional }: FieldProps & { optional?: boolean }) {
  const shown = typeof value === "number" ? String(value) : "";
  const [text, setText] = useState(shown);
  const [error, setError] = useState<string | undefined>();
  // A change from outside (undo, another flow) replaces the text, unless the text already says it.
  useEffect(() => {
    setText((current) => {
      const parsed = parseDuration(current);
      return (parsed.ok && parsed.ms === value) || (current.trim() === "" && value === undefined) ? current : shown;
    });
  }, [value, shown]);

  const edit = (raw: string) => {
    setText(raw);
    if (raw.trim() === "") {
      setError(optional ? undefined : "a duration is needed, in milliseconds (or 10s, 2m)");
      if (optional) onChange(undefined);
      return;
    }
    const parsed = parseDuration(raw);
    if (!parsed.ok) return setError(parsed.reason);
    setError(undefined);
    if (parsed.ms !== value) onChange(parsed.ms);
  };
  const reading = typeof value === "number" && value >= 1000 ? ` = ${describeDuration(value)}` : "";
  return (
    <Field label={`${label} (ms${optional ? ", optional" : ""})`} hint={`${hint !== undefined ? `${hint} ` : ""}Milliseconds; 500ms, 10s, 2m or 1h also work.${reading}`} problems={problems}>
      <input
        type="text"
        inputMode="numeric"
        aria-label={label}
        data-testid={testId}
        value={text}
        onChange={(event) => edit(event.target.value)}
        onBlur={() => {
          const parsed = parseDuration(text);
          if (parsed.ok) setText(String(parsed.ms));
        }}
      />
      {error !== undefined && <div className="field-problem">{error}</div>}
    </Field>
  );
}
