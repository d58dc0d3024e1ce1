/** The flow definition format (DESIGN section 7): schema, parsing, validation, compilation. */

export { parseFlow, lineAndColumn, findJsonSyntaxError, type ParseFlowResult, type JsonSyntaxError } from "./parseFlowText.js";
export { validateFlow, validateFlowReport, migrateFlow, checkFunctionSource, functionSourceText, type FlowValidation, type FunctionCheck } from "./validateFlow.js";
export { stepActivity, inactiveSteps, isInactive, isDisabledStep, describeInactive, inactiveReason, type InactiveStep, type StepActivity } from "./stepActivity.js";
export {
  compileFlow,
  defaultFunctionCompiler,
  FlowInvalidError,
  type CompileFlowOptions,
  type CompiledFlow,
  type FunctionCompiler,
} from "./compile.js";
export { assertFunctionSource, functionBody, FUNCTION_BODY_PREFIX, FUNCTION_BODY_SUFFIX } from "./functionSource.js";
export { flowJsonSchema, flowJsonSchemaText } from "./jsonSchema.js";
export { formatFlow } from "./format.js";
export { jsonPointer, type FlowProblem, type FlowProblemCode } from "./problems.js";
export {
  FLOW_FORMAT,
  FLOW_FORMAT_VERSION,
  FLOW_STEP_OPS,
  STEP_FUNCTION_FIELDS,
  STEP_ID_PATTERN,
  ENV_NAME_PATTERN,
  flowSchema,
  stepSchema,
  type ClockBlock,
  type EnvRef,
  type EpochBlock,
  type FlowDefinition,
  type FlowExecution,
  type FlowStep,
  type FlowStepOp,
  type FlowUi,
  type FunctionSource,
  type InputBlock,
  type OutputBlock,
  type RecoveryBlock,
  type SampleBlock,
  type StringOrEnv,
  type WindowBlock,
} from "./schema.js";
