/** `eddy/execution` in Node: the engine's execution API with Node's host services registered. */

import { configureHost } from "../../engine/runtime/host.js";
import { writeNodeStdout } from "../host/nodeStdout.js";

configureHost({ writeStdout: writeNodeStdout });

export {
  runMain,
  clusterMain,
  spawnCluster,
  EpochConfig,
  PeriodicEpochConfig,
  TestingEpochConfig,
  WorkerFailedError,
  errorContext,
  type FailureContext,
  type RunOptions,
  type ClusterOptions,
  type SpawnOptions,
} from "../../engine/api/execution.js";
