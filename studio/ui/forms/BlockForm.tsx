/**
 * A block of a step or of the execution settings (input, output, clock, window, sample, epoch,
 * recovery): a type picker and the chosen type's fields, all derived from the flow schema.
 */

import { BLOCK_FUNCTION_HELP, type FlowProblem } from "../../../engine/host/index.js";
import { functionHint } from "../helpText.js";
import { blockVariants } from "./blockFields.js";
import { SchemaField } from "./SchemaField.js";

export interface BlockFormProps {
  /** The block's field in the flow file: "input", "clock", "epoch" ... (finds the help of its functions). */
  name: string;
  title: string;
  schema: unknown;
  block: Record<string, unknown> | undefined;
  /** Called with a field name and value, or with "type" to switch the block's type. */
  onField: (name: string, value: unknown) => void;
  /** Offered when the block may be absent ("none" / "default"). */
  onRemove?: () => void;
  removeLabel?: string;
  problemsFor: (field: string) => readonly FlowProblem[];
  testId: string;
}

export function BlockForm({ name, title, schema, block, onField, onRemove, removeLabel, problemsFor, testId }: BlockFormProps) {
  const variants = blockVariants(schema);
  const variant = variants.find((candidate) => candidate.type === block?.type);
  return (
    <div className="block" data-testid={testId}>
      <div className="block-title">{title}</div>
      <div className="field">
        <label>type</label>
        <select
          aria-label={`${title} type`}
          data-testid={`${testId}-type`}
          value={typeof block?.type === "string" ? block.type : ""}
          onChange={(event) => (event.target.value === "" ? onRemove?.() : onField("type", event.target.value))}
        >
          {onRemove && <option value="">{removeLabel ?? "(none)"}</option>}
          {variants.map((candidate) => (
            <option key={candidate.type} value={candidate.type}>
              {candidate.type}
            </option>
          ))}
        </select>
        {variant?.description !== undefined && <div className="hint">{variant.description}</div>}
        {problemsFor("type").map((problem, index) => (
          <div className="field-problem" key={index}>
            {problem.message}
          </div>
        ))}
      </div>
      {variant?.fields.map((spec) => {
        const help = BLOCK_FUNCTION_HELP[`${name}.${variant.type}.${spec.name}`];
        return (
          <SchemaField
            key={`${variant.type}/${spec.name}`}
            spec={spec}
            value={block?.[spec.name]}
            onChange={(value) => onField(spec.name, value)}
            problems={problemsFor(spec.name)}
            testId={`${testId}-${spec.name}`}
            {...(help !== undefined && { hint: functionHint(help) })}
          />
        );
      })}
    </div>
  );
}
