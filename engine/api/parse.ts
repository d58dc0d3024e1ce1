/**
 * `eddy/parse`: reading a cluster's shape from command-line arguments or environment variables
 * (Bytewax 0.11's `bytewax.parse`). The isomorphic implementation is engine/cluster/clusterArguments.ts;
 * the Node entry (node-runner/entries/parse.ts) adds this process's arguments and file reading.
 */

export * from "../cluster/clusterArguments.js";
