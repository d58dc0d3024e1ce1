/**
 * Connecting the processes of a cluster: one TCP connection per pair of processes, which the
 * higher process id dials and the lower one accepts (on its own address in the list). Each new
 * connection starts with the handshake (handshake.ts): the dialer's hello, then the acceptor's.
 *
 * Bounded: a dialer retries (backing off from 50 ms to 1 s) until the connection bound, then fails
 * naming the address that never answered; an acceptor fails naming each process that never
 * connected. A connection that does not begin with a valid hello (a health check, a port scanner)
 * is closed and forgotten. A failure once some connections are up is sent on them (a `failure`
 * record), so that those processes stop at once instead of waiting for their own bound.
 */

import { connect, createServer, type Server, type Socket } from "node:net";
import { EddyError } from "../../engine/host/index.js";
import { exitCodeOf, reportError } from "../errors/report.js";
import { Connection, type ConnectionEvent } from "./connection.js";
import { asControl } from "./controlRecords.js";
import { ClusterFailedError, type ClusterFailure } from "./failures.js";
import { asHello, helloMismatches, mismatchError, processName, type Hello } from "./handshake.js";

/** The connection bound when none is given. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
/**
 * The bound of `eddy cluster` when its place comes from the environment (procEnv: a StatefulSet's
 * pods and the like), when none is given: such processes are started by a scheduler, each when its
 * node has pulled the image and attached its volume, minutes apart at times; a process that gave up
 * sooner would only be restarted, later and later (Kubernetes backs off up to 5 minutes).
 */
export const ENV_CONNECT_TIMEOUT_MS = 600_000;
const FIRST_RETRY_MS = 50;
const LAST_RETRY_MS = 1_000;

/** Time, injected (tests pass their own). */
export interface Timers {
  now(): number;
  /** Calls `callback` after `ms`; returns what cancels it. */
  after(ms: number, callback: () => void): () => void;
}

export const systemTimers: Timers = {
  now: () => performance.now(),
  after: (ms, callback) => {
    const timer = setTimeout(callback, Math.max(0, ms));
    return () => clearTimeout(timer);
  },
};

function sleep(timers: Timers, ms: number): Promise<void> {
  return new Promise((resolve) => timers.after(ms, resolve));
}

export interface MeshOptions {
  readonly addresses: readonly string[];
  readonly procId: number;
  readonly hello: Hello;
  /** How long connecting to every other process may take in all (DEFAULT_CONNECT_TIMEOUT_MS). */
  readonly connectTimeoutMs?: number | undefined;
  readonly timers?: Timers | undefined;
}

interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** `host:port` or `[v6]:port`; CLUSTER_ADDRESS_INVALID otherwise. */
export function parseAddress(address: string, procId: number): Endpoint {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(address.trim());
  const port = Number(match?.[3]);
  if (!match || port < 1 || port > 65535) {
    throw new EddyError("CLUSTER_ADDRESS_INVALID", `The address of process ${procId}, ${JSON.stringify(address)}, is not HOST:PORT (a port from 1 to 65535)`);
  }
  return { host: match[1] ?? match[2]!, port };
}

/** Checks a cluster's addresses and this process's id in it. */
export function checkLayout(addresses: readonly string[], procId: number): Endpoint[] {
  if (addresses.length === 0) throw new EddyError("CLUSTER_ADDRESS_INVALID", "A cluster needs the address of every process; none was given");
  if (!Number.isSafeInteger(procId) || procId < 0 || procId >= addresses.length) {
    throw new EddyError("CLUSTER_ADDRESS_INVALID", `Process id ${procId} is not one of this cluster's ${addresses.length} processes (0 to ${addresses.length - 1}, one per address)`);
  }
  return addresses.map((address, id) => parseAddress(address, id));
}

/** Connects to every other process; resolves with one connection per process id (none for a cluster of one). */
export async function connectMesh(options: MeshOptions): Promise<Map<number, Connection>> {
  const { addresses, procId, hello } = options;
  const endpoints = checkLayout(addresses, procId);
  const peers = new Map<number, Connection>();
  if (addresses.length === 1) return peers;
  const timers = options.timers ?? systemTimers;
  const boundMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const deadline = timers.now() + boundMs;
  const me = processName(procId, addresses[procId]);
  const nameOf = (id: number) => processName(id, addresses[id]);

  // Once a connection is up, its closing or a failure record fails the setup; other records wait for the router.
  let failSetup!: (error: unknown) => void;
  const setupFailed = new Promise<never>((_, reject) => (failSetup = reject));
  setupFailed.catch(() => undefined);
  const early = new Map<number, ConnectionEvent[]>();
  const established = (id: number, connection: Connection, theirs: Hello) => {
    const differences = helloMismatches(hello, theirs, nameOf(id));
    if (differences.length > 0) {
      // The other side sees the same difference in this process's hello and refuses too.
      void connection.end();
      throw mismatchError(differences);
    }
    peers.set(id, connection);
    const events: ConnectionEvent[] = [];
    early.set(id, events);
    connection.listen((event) => {
      if (event.kind === "closed") failSetup(lostDuringSetup(nameOf(id), event.error));
      else if (event.record.kind === "control" && (event.record.message as { type?: unknown })?.type === "failure") {
        const record = asControl(event.record.message, nameOf(id));
        if (record.type === "failure") failSetup(new ClusterFailedError(record.failure));
      } else events.push(event);
    });
  };

  let server: Server | undefined;
  try {
    const higher = addresses.map((_, id) => id).filter((id) => id > procId);
    if (higher.length > 0) server = await listen(endpoints[procId]!, procId, addresses[procId]!);
    const accepting = server ? accept(server, higher) : Promise.resolve();
    const dialing = Promise.all(addresses.map((_, id) => id).filter((id) => id < procId).map(dial));
    await Promise.race([Promise.all([accepting, dialing]), setupFailed]);
  } catch (error) {
    const failure: ClusterFailure = error instanceof ClusterFailedError ? error.failure : { report: reportError(error), exit: exitCodeOf(reportError(error)), origin: me };
    for (const connection of peers.values()) connection.sendControl({ type: "failure", failure });
    await Promise.all([...peers.values()].map((connection) => connection.end()));
    throw error;
  } finally {
    server?.close();
  }
  for (const [id, connection] of peers) connection.hold(early.get(id));
  return peers;

  async function dial(id: number): Promise<void> {
    const { host, port } = endpoints[id]!;
    let lastError = "no answer";
    for (let delay = FIRST_RETRY_MS; ; delay = Math.min(LAST_RETRY_MS, delay * 2)) {
      let socket: Socket | undefined;
      try {
        socket = await connectOnce(host, port, Math.max(1, deadline - timers.now()));
      } catch (error) {
        lastError = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      }
      if (socket) {
        const connection = new Connection(socket, nameOf(id));
        connection.sendControl(hello);
        const answer = await firstRecord(connection, deadline, timers);
        if (answer.kind === "hello") {
          if (answer.hello.procId !== id) {
            connection.destroy();
            throw mismatchError([`the process at ${addresses[id]} is process ${answer.hello.procId}, where this process (${procId}) expects process ${id}`]);
          }
          return established(id, connection, answer.hello);
        }
        if (answer.kind === "refused") throw new EddyError("CLUSTER_MISMATCH", `${nameOf(id)} refused this process (${procId}): ${answer.reason}`);
        lastError = answer.reason;
      }
      if (timers.now() >= deadline) {
        throw new EddyError(
          "CLUSTER_UNREACHABLE",
          `${nameOf(id)} never answered within ${seconds(boundMs)} (last: ${lastError}); is it started, listening on that address, with the same addresses (-a)?`,
        );
      }
      await sleep(timers, Math.min(delay, deadline - timers.now()));
    }
  }

  function accept(listening: Server, expected: readonly number[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiting = new Set(expected);
      listening.on("connection", (socket: Socket) => {
        const connection = new Connection(socket, `a connection from ${socket.remoteAddress}:${socket.remotePort}`);
        void firstRecord(connection, deadline, timers).then((answer) => {
          // Not a process of this cluster (a health check, a scanner): forget it.
          if (answer.kind !== "hello") return connection.destroy();
          const id = answer.hello.procId;
          if (!waiting.has(id)) {
            const reason = peers.has(id)
              ? `this process (${procId}) is already connected to a process ${id}; two processes were given the same process id`
              : `this process (${procId}) expects connections from processes ${procId + 1} to ${addresses.length - 1} only (process ${id} has other addresses, or another order)`;
            connection.sendControl({ type: "refuse", reason });
            void connection.end();
            return reject(new EddyError("CLUSTER_MISMATCH", `A process that says it is process ${id} connected from ${socket.remoteAddress}: ${reason}`));
          }
          connection.name = nameOf(id);
          connection.sendControl(hello);
          try {
            established(id, connection, answer.hello);
          } catch (error) {
            return reject(error);
          }
          waiting.delete(id);
          if (waiting.size === 0) {
            cancel();
            resolve();
          }
        });
      });
      const cancel = timers.after(deadline - timers.now(), () => {
        if (waiting.size === 0) return;
        const missing = [...waiting].map(nameOf).join(", ");
        reject(
          new EddyError(
            "CLUSTER_UNREACHABLE",
            `${missing} never connected within ${seconds(boundMs)}; ${waiting.size > 1 ? "are they" : "is it"} started, with the same addresses (-a) in the same order, and ${waiting.size > 1 ? "their own process ids" : "its own process id"} (-p)?`,
          ),
        );
      });
    });
  }
}

type FirstAnswer = { readonly kind: "hello"; readonly hello: Hello } | { readonly kind: "refused"; readonly reason: string } | { readonly kind: "none"; readonly reason: string };

/** The first record of a new connection, by `deadline`: a hello, a refusal, or nothing usable. */
function firstRecord(connection: Connection, deadline: number, timers: Timers): Promise<FirstAnswer> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (answer: FirstAnswer) => {
      if (settled) return;
      settled = true;
      cancel();
      connection.hold();
      if (answer.kind !== "hello") connection.destroy();
      resolve(answer);
    };
    const cancel = timers.after(deadline - timers.now(), () => settle({ kind: "none", reason: "no hello before the bound" }));
    connection.listen((event) => {
      if (event.kind === "closed") return settle({ kind: "none", reason: `closed before its hello${event.error ? ` (${event.error.message})` : ""}` });
      if (event.record.kind !== "control") return settle({ kind: "none", reason: "data before its hello" });
      const message = event.record.message as { type?: unknown; reason?: unknown };
      if (message?.type === "refuse" && typeof message.reason === "string") return settle({ kind: "refused", reason: message.reason });
      try {
        settle({ kind: "hello", hello: asHello(message, connection.name) });
      } catch (error) {
        settle({ kind: "none", reason: (error as Error).message });
      }
    });
  });
}

function connectOnce(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error(`no answer in ${timeoutMs} ms`), { code: "ETIMEDOUT" }));
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.removeAllListeners("error");
      resolve(socket);
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
  });
}

function listen(endpoint: Endpoint, procId: number, address: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        new EddyError(
          "CLUSTER_LISTEN_FAILED",
          `Process ${procId} cannot listen on ${address}, its own address in the cluster: ${error.code ?? error.message}${error.code === "EADDRINUSE" ? " (another process uses that port)" : error.code === "EADDRNOTAVAIL" ? " (not an address of this machine)" : ""}`,
          { cause: error },
        ),
      );
    });
    server.listen({ host: endpoint.host, port: endpoint.port, exclusive: true }, () => resolve(server));
  });
}

function lostDuringSetup(name: string, error: Error | undefined): EddyError {
  return new EddyError("CLUSTER_PROCESS_LOST", `${name} closed its connection while the cluster was starting${error ? ` (${error.message})` : ""}; it may have failed (see its output)`);
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
