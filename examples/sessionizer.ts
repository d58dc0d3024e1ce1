/**
 * Sessionizer: groups each user's events into search sessions with `reduce`, then computes each
 * session's click-through rate (clicks per search). A session ends with a "logout" event.
 *
 *   npx tsx examples/sessionizer.ts [-w WORKERS]
 *
 * `reduce` keeps a list of events per user until `isComplete` sees the logout; the finished session
 * is emitted in the epoch of that event and the user's state starts fresh.
 */

import { Dataflow } from "eddy/dataflow";
import { clusterMain, TestingEpochConfig } from "eddy/execution";
import { ManualInputConfig } from "eddy/inputs";
import { StdOutputConfig } from "eddy/outputs";
import { clusterArgs } from "eddy/parse";

interface AppEvent {
  user: string;
  type: "login" | "search" | "results" | "click" | "logout";
  query?: string;
}

const events: AppEvent[] = [
  { user: "ada", type: "login" },
  { user: "grace", type: "login" },
  { user: "ada", type: "search", query: "dataflow epochs" },
  { user: "grace", type: "search", query: "tumbling windows" },
  { user: "ada", type: "results" },
  { user: "grace", type: "results" },
  { user: "ada", type: "click" },
  { user: "grace", type: "search", query: "event time" },
  { user: "ada", type: "click" },
  { user: "ada", type: "logout" },
  { user: "grace", type: "results" },
  { user: "grace", type: "click" },
  { user: "grace", type: "logout" },
  { user: "ada", type: "login" },
  { user: "ada", type: "search", query: "recovery" },
  { user: "ada", type: "logout" },
];

const { workerCountPerProc } = clusterArgs(process.argv.slice(2));

const flow = new Dataflow()
  // A user's events must stay in order, so worker 0 reads the whole stream (as from one Kafka
  // partition); the exchange before `reduce` still spreads the users over the workers.
  .input("events", new ManualInputConfig((workerIndex) => (workerIndex === 0 ? events.map((event, i) => [i + 1, event]) : [])))
  .map((event: AppEvent) => [event.user, [event]])
  .reduce(
    "sessions",
    (session: AppEvent[], more: AppEvent[]) => [...session, ...more],
    (session: AppEvent[]) => session[session.length - 1]!.type === "logout",
  )
  .map(([user, session]: [string, AppEvent[]]) => {
    const searches = session.filter((event) => event.type === "search").length;
    const clicks = session.filter((event) => event.type === "click").length;
    return { user, events: session.length, searches, clicks, ctr: searches === 0 ? 0 : clicks / searches };
  })
  .capture(new StdOutputConfig());

// Testing epochs read one event per epoch: each event is fully processed before the next is read.
await clusterMain(flow, [], 0, { workerCountPerProc, epochConfig: new TestingEpochConfig() });
