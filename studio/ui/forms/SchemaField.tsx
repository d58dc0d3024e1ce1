/** One widget per field kind of a block (blockFields.ts): what BlockForm shows for each field. */

import type { FieldSpec } from "./blockFields.js";
import { DurationField } from "./DurationField.js";
import { Field, FunctionField, InstantField, JsonField, NumberField, StringOrEnvField, type FieldProps } from "./fields.js";
import { ItemsField } from "./ItemsField.js";

export function SchemaField({ spec, value, onChange, problems, testId, hint }: { spec: FieldSpec } & Omit<FieldProps, "label">) {
  const text = hint ?? spec.description;
  const common = { label: spec.optional ? `${spec.name} (optional)` : spec.name, value, onChange, ...(problems !== undefined && { problems }), ...(text !== undefined && { hint: text }), ...(testId !== undefined && { testId }) };
  switch (spec.kind) {
    case "function":
      return <FunctionField {...common} />;
    case "stringOrEnv":
      return <StringOrEnvField {...common} />;
    case "number":
      return <NumberField {...common} optional={spec.optional} />;
    case "instant":
      return <InstantField {...common} optional={spec.optional} />;
    case "duration":
      return <DurationField {...common} label={spec.name} optional={spec.optional} />;
    case "items":
      return <ItemsField {...common} />;
    case "boolean":
      return (
        <Field label={common.label} hint={common.hint} problems={problems}>
          <input type="checkbox" aria-label={common.label} checked={value === true} onChange={(event) => onChange(event.target.checked ? true : spec.optional ? undefined : false)} />
        </Field>
      );
    case "enum":
      return (
        <Field label={common.label} hint={common.hint} problems={problems}>
          <select aria-label={common.label} value={typeof value === "string" ? value : ""} onChange={(event) => onChange(event.target.value === "" ? undefined : event.target.value)}>
            {spec.optional && <option value="">(default)</option>}
            {spec.options?.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </Field>
      );
    case "stringList":
      return <JsonField {...common} />;
    case "json":
      return <JsonField {...common} />;
  }
}
