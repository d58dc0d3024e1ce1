/**
 * A step on the canvas: kind, id, live count and latest item, and the first problem or the run's
 * error when it is about this step. Memoised; subscribes to its own step's entries only.
 */

import { memo } from "react";
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import { STEP_KINDS, type StepOp } from "../../engine/host/index.js";
import { useEditor } from "./editorContext.js";
import { useLive, visibleSteps } from "./live.js";

export type StepNodeData = { stepId: string; op: StepOp };
export type StepNodeType = Node<StepNodeData, "step">;

function StepNodeView({ data, selected }: NodeProps<StepNodeType>) {
  const { stepId, op } = data;
  const kind = STEP_KINDS[op];
  const problems = useEditor((state) => state.problems.byStep.get(stepId));
  const label = useEditor((state) => state.doc.steps.find((step) => step.id === stepId)?.label);
  // A join's sides in order, as one string (a primitive: re-renders only when they change).
  const sides = useEditor((state) => {
    if (op !== "join" && op !== "join_window") return undefined;
    const after = (state.doc.steps.find((step) => step.id === stepId) as { after?: unknown } | undefined)?.after;
    return Array.isArray(after) ? after.filter((id): id is string => typeof id === "string").join("\n") : "";
  });
  // Primitive selections: the node re-renders only when its count or latest item changes.
  const count = useLive((state) => visibleSteps(state)[stepId]?.count);
  const latest = useLive((state) => {
    const items = visibleSteps(state)[stepId]?.latest;
    return items?.[items.length - 1]?.text;
  });
  const error = useLive((state) => (state.error?.stepId === stepId ? state.error : undefined));
  const classes = ["step-node", `role-${kind.role}`];
  if (selected) classes.push("selected");
  if (problems && problems.length > 0) classes.push("has-problem");
  if (error) classes.push("failed");
  return (
    <div className={classes.join(" ")} data-testid={`node-${stepId}`} title={kind.summary}>
      {op !== "input" && <Handle type="target" position={Position.Left} />}
      <div className="head">
        <span className="id">{label ?? stepId}</span>
        <span className="op">{op}</span>
      </div>
      <div className="head">
        <span className="count" data-testid={`count-${stepId}`}>
          {count !== undefined ? `${count.toLocaleString("en-US")} items` : "\u00a0"}
        </span>
        {label !== undefined && <span className="op">{stepId}</span>}
      </div>
      {sides !== undefined && (
        <div className="join-sides" data-testid={`sides-${stepId}`}>
          {sides === "" ? <em>connect its sides</em> : sides.split("\n").map((id, index) => <div key={index}>{`side ${index} ← ${id}`}</div>)}
        </div>
      )}
      {latest !== undefined && <div className="latest">{latest}</div>}
      {problems && problems.length > 0 && (
        <div className="problem" data-testid={`problem-${stepId}`}>
          {problems[0]!.message}
          {problems.length > 1 ? ` (+${problems.length - 1} more)` : ""}
        </div>
      )}
      {error && (
        <div className="problem" data-testid={`error-${stepId}`}>
          {error.message}
          {error.item !== undefined ? ` — on item ${error.item}` : ""}
        </div>
      )}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

export const StepNode = memo(StepNodeView);
