/**
 * Windowed count: page views counted per page in 10-second tumbling windows of event time.
 *
 *   npx tsx examples/windowed-count.ts [-w WORKERS]
 *
 * Each view carries its own timestamp. Clocks are per key (per page): a page's watermark trails the
 * latest timestamp seen for that page by 5 seconds (plus the system time since), so views up to 5 s
 * out of order still count. The "/pricing" view at 12:00:02 arrives after one at 12:00:24, when the
 * window [12:00:00, 12:00:10) of "/pricing" has already closed, so it is dropped as late.
 */

import { Dataflow } from "eddy/dataflow";
import { clusterMain } from "eddy/execution";
import { ManualInputConfig } from "eddy/inputs";
import { StdOutputConfig } from "eddy/outputs";
import { clusterArgs } from "eddy/parse";
import { EventClockConfig, TumblingWindowConfig } from "eddy/window";

interface PageView {
  page: string;
  at: string;
}

const views: PageView[] = [
  { page: "/", at: "2026-11-23T12:00:01Z" },
  { page: "/pricing", at: "2026-11-23T12:00:03Z" },
  { page: "/", at: "2026-11-23T12:00:07Z" },
  { page: "/docs", at: "2026-11-23T12:00:12Z" },
  { page: "/", at: "2026-11-23T12:00:09Z" },
  { page: "/docs", at: "2026-11-23T12:00:18Z" },
  { page: "/pricing", at: "2026-11-23T12:00:24Z" },
  { page: "/", at: "2026-11-23T12:00:31Z" },
  { page: "/pricing", at: "2026-11-23T12:00:02Z" },
  { page: "/docs", at: "2026-11-23T12:00:29Z" },
];

const windowLength = 10_000;
const startAt = new Date("2026-11-23T12:00:00Z");
const { workerCountPerProc } = clusterArgs(process.argv.slice(2));

const flow = new Dataflow()
  // Lateness depends on the order views arrive in, so worker 0 reads them all, in order (as from
  // one Kafka partition); the exchange before the window still spreads the pages over the workers.
  .input("views", new ManualInputConfig((workerIndex) => (workerIndex === 0 ? views.map((view, i) => [i + 1, view]) : [])))
  .map((view: PageView) => [view.page, new Date(view.at)])
  .foldWindow(
    "views_per_window",
    new EventClockConfig((at: Date) => at, 5_000),
    new TumblingWindowConfig(windowLength, { startAt }),
    () => ({ start: "", count: 0 }),
    (acc: { start: string; count: number }, at: Date) => {
      const start = new Date(startAt.getTime() + Math.floor((at.getTime() - startAt.getTime()) / windowLength) * windowLength);
      return { start: start.toISOString().slice(11, 19), count: acc.count + 1 };
    },
  )
  .map(([page, { start, count }]: [string, { start: string; count: number }]) => `${start} ${page} ${count}`)
  .capture(new StdOutputConfig());

await clusterMain(flow, [], 0, { workerCountPerProc });
