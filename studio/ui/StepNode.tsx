/**
 * A step on the canvas: kind, id, live count (and a window step's late items) and latest item, and
 * the first problem or the run's error when it is about this step. A window step has a second
 * output handle, "late", for its late items. A step that runs skip is dimmed with a label saying
 * why (disabled, not connected, has problems, or fed only by steps that do not run); its problems
 * are warnings (amber), not errors (red). Memoised; subscribes to its own step's entries only.
 */

import { memo } from "react";
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import { STEP_KINDS, type StepOp } from "../../engine/host/index.js";
import { notRunLabel, problemOnCanvas, runPlan } from "../state/runPlan.js";
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
  const late = useLive((state) => visibleSteps(state)[stepId]?.late);
  const latest = useLive((state) => {
    const items = visibleSteps(state)[stepId]?.latest;
    return items?.[items.length - 1]?.text;
  });
  const error = useLive((state) => (state.error?.stepId === stepId ? state.error : undefined));
  const notRun = useEditor((state) => runPlan(state.doc).notRun.get(stepId));
  const warnsOnly = problems !== undefined && problems.length > 0 && problems.every((problem) => problem.severity === "warning");
  const classes = ["step-node", `role-${kind.role}`];
  if (selected) classes.push("selected");
  if (problems && problems.length > 0) classes.push(warnsOnly ? "has-warning" : "has-problem");
  if (error) classes.push("failed");
  if (notRun) classes.push("not-run", `not-run-${notRun}`);
  return (
    <div className={classes.join(" ")} data-testid={`node-${stepId}`} data-run={notRun ?? "runs"} title={kind.summary}>
      {op !== "input" && <Handle type="target" position={Position.Left} />}
      <div className="head">
        <span className="id">{label ?? stepId}</span>
        <span className="op">{op}</span>
      </div>
      <div className="head">
        <span className="count" data-testid={`count-${stepId}`}>
          {count !== undefined ? `${count.toLocaleString("en-US")} items` : "\u00a0"}
          {late !== undefined && late > 0 && <span data-testid={`late-${stepId}`}>{`, ${late.toLocaleString("en-US")} late`}</span>}
        </span>
        {label !== undefined && <span className="op">{stepId}</span>}
      </div>
      {notRun && (
        <div className="not-run-label" data-testid={`not-run-${stepId}`}>
          {notRunLabel(notRun, problems)}
        </div>
      )}
      {sides !== undefined && (
        <div className="join-sides" data-testid={`sides-${stepId}`}>
          {sides === "" ? <em>connect its sides</em> : sides.split("\n").map((id, index) => <div key={index}>{`side ${index} ← ${id}`}</div>)}
        </div>
      )}
      {latest !== undefined && <div className="latest">{latest}</div>}
      {problems && problems.length > 0 && (
        <div className={warnsOnly ? "problem warning" : "problem"} data-testid={`problem-${stepId}`}>
          {problemOnCanvas(problems[0]!)}
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
      {kind.windowed && <Handle type="source" id="late" position={Position.Bottom} title="late items" data-testid={`late-handle-${stepId}`} />}
    </div>
  );
}

export const StepNode = memo(StepNodeView);
