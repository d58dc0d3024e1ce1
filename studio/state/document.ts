/**
 * The flow document and everything the editor does to it, in one import: the canvas derived from
 * it (canvas.ts), connections (connections.ts) and edits (edits.ts). The document (a
 * `FlowDefinition`, exactly the flow file's JSON including `ui.positions`) is the single source of
 * truth; every function here is pure and returns a new document (or the same one for a no-op).
 */

export {
  flowToCanvas,
  positionsOf,
  storedPositions,
  pinPositions,
  hasAllPositions,
  depths,
  edgeId,
  INVALID_NODE_CLASS,
  type Canvas,
  type CanvasOptions,
  type StepNode,
  type StepNodeData,
  type FlowEdge,
} from "./canvas.js";
export { canConnect, connect, describeConnection, disconnect, type CanConnect } from "./connections.js";
export { addStep, addStepAfter, freeSpot, removeSteps, moveSteps, renameStep, renameProblem, updateStepField, setExecution, newFlow, type RenameResult } from "./edits.js";
export { isDisabled, toggleDisabled } from "./disable.js";
export { runPlan, notRunLabel, notRunWhy, isUnconnected, problemOnCanvas, type NotRunReason, type RunPlan } from "./runPlan.js";
export { defaultStep, defaultBlock, blockTypes, blockKindOf, BLOCK_DEFAULTS, SAMPLE_ITEMS, type BlockKind } from "./defaults.js";
export { stepKeys, indexOfStep, stepByKey, edgesOf, afterEntryOf, freshId } from "./steps.js";
export { NODE_WIDTH, NODE_HEIGHT, type XY } from "./geometry.js";
export type { PathSegment } from "./immutable.js";
export { insertStepAfter, insertIntoConnection, type Inserted } from "./insert.js";
export { connectionChoices, outputsToConnect, type ConnectDirection, type ConnectionChoice, type ConnectOutput } from "./connectChoices.js";
