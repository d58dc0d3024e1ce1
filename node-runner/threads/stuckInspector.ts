/**
 * Reads the item a stuck worker thread is working on, from the main thread, with the inspector: a
 * thread blocked in a call cannot answer messages, but V8 still serves its debugger. Attaches to the
 * thread (`NodeWorker.enable`), pauses it, evaluates the preview of the call's arguments in the innermost
 * tracked-call wrapper frame (stuckArguments.ts), resumes it and detaches. Best effort and
 * bounded: undefined when anything fails or takes longer than `timeoutMs`.
 */

import { Session } from "node:inspector";
import { WRAPPER_NAME } from "../../engine/host/index.js";
import { ARGUMENTS_EXPRESSION } from "./stuckArguments.js";

interface CdpMessage {
  readonly id?: number;
  readonly method?: string;
  readonly params?: Record<string, unknown>;
  readonly result?: Record<string, unknown>;
  readonly error?: unknown;
}

interface CallFrame {
  readonly callFrameId: string;
  readonly functionName: string;
}

/** The preview of the arguments of the call worker thread `threadId` is stuck in (the main thread only). */
export async function previewStuckItem(threadId: number, timeoutMs = 5_000): Promise<string | undefined> {
  const session = new Session();
  let timer: NodeJS.Timeout | undefined;
  try {
    session.connect();
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
    return await Promise.race([inspect(session, threadId), timeout]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
    // Disconnecting detaches from the thread, which resumes it if it is still paused.
    try {
      session.disconnect();
    } catch {
      // Already gone.
    }
  }
}

async function inspect(session: Session, threadId: number): Promise<string | undefined> {
  const post = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));

  const attached = new Promise<string>((resolve) => {
    session.on("NodeWorker.attachedToWorker", (message: { params: { sessionId: string; workerInfo: { title: string } } }) => {
      // workerId is the inspector's own numbering; the title names the thread id.
      if (message.params.workerInfo.title === `[worker ${threadId}]`) resolve(message.params.sessionId);
    });
  });
  await post("NodeWorker.enable", { waitForDebuggerOnStart: false });
  const sessionId = await attached;

  let nextId = 1;
  const replies = new Map<number, (message: CdpMessage) => void>();
  let onPaused: ((params: { callFrames: CallFrame[] }) => void) | undefined;
  session.on("NodeWorker.receivedMessageFromWorker", (event: { params: { sessionId: string; message: string } }) => {
    if (event.params.sessionId !== sessionId) return;
    const message = JSON.parse(event.params.message) as CdpMessage;
    if (message.id !== undefined) replies.get(message.id)?.(message);
    else if (message.method === "Debugger.paused") onPaused?.(message.params as { callFrames: CallFrame[] });
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<CdpMessage>((resolve, reject) => {
      const id = nextId++;
      replies.set(id, resolve);
      post("NodeWorker.sendMessageToWorker", { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
    });

  const paused = new Promise<{ callFrames: CallFrame[] }>((resolve) => (onPaused = resolve));
  await call("Debugger.enable");
  await call("Debugger.pause");
  const { callFrames } = await paused;
  try {
    const frame = callFrames.find((candidate) => candidate.functionName === WRAPPER_NAME);
    if (frame === undefined) return undefined;
    const evaluated = await call("Debugger.evaluateOnCallFrame", {
      callFrameId: frame.callFrameId,
      expression: ARGUMENTS_EXPRESSION,
      returnByValue: true,
      silent: true,
    });
    const value = (evaluated.result as { result?: { value?: unknown } } | undefined)?.result?.value;
    return typeof value === "string" ? value : undefined;
  } finally {
    await call("Debugger.resume");
    await call("Debugger.disable");
  }
}
