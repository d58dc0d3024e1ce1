/**
 * The host door: what a host (the Node runner, the studio, a test harness) needs from the engine
 * beyond the public entries (`eddy/*`). Hosts import the engine from here or from engine/api/
 * only; test/architecture/layers.test.ts holds them to it.
 */

export { extendHost, type Host, type HostChanges, type InputAdapter, type InputContext, type OutputAdapter, type OutputContext, type RecoveryStoreFactory, type TransportFactory } from "./host.js";
export { engineHost } from "./engineHost.js";
export { openInput, openOutput, openRecoveryStore, openTransport, servesInput, servesOutput, unavailableHere } from "./dispatch.js";
