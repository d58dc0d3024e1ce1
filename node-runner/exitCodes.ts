/**
 * Exit codes of the `eddy` CLI.
 *
 * | code | meaning |
 * |---|---|
 * | 0   | done: every input ended and everything was written (`validate`: the file is valid) |
 * | 1   | an unexpected internal error of the runner (a bug: please report it with the stack printed) |
 * | 2   | the flow file is invalid or unreadable, a `$env` variable it names is not set, or the command line is wrong |
 * | 3   | the run failed: a flow function threw, or an input or output failed (the message names the step, the worker, the item and the line) |
 * | 4   | the recovery store refused to resume (another flow, another worker count, corrupt data) or failed |
 * | 5   | the cluster broke: another process died, never answered, or could not be listened for (`eddy cluster`, `eddy run -n`) |
 * | 130 | interrupted by SIGINT or SIGTERM: with recovery, everything up to the last epoch boundary is committed and a re-run continues from there |
 *
 * Which of 1 to 4 an error gets is the table of error codes' (engine/errorCodes.ts), read by
 * errors/report.ts; no code is matched by its prefix.
 */

export const EXIT = {
  OK: 0,
  INTERNAL: 1,
  INVALID_FLOW: 2,
  RUN_FAILED: 3,
  RECOVERY: 4,
  CLUSTER: 5,
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
