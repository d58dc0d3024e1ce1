/**
 * The port side of `--metrics-port` (metricsServer.ts serves the metrics): taking 127.0.0.1:N, or
 * refusing it with RUNNER_METRICS_PORT. Apart from the server so that `eddy run -n`, which only
 * checks its processes' ports, does not load prom-client.
 *
 * ```ts
 * await checkMetricsPorts([9464, 9465]); // rejects with RUNNER_METRICS_PORT when one is taken
 * ```
 */

import { createServer as createNetServer, type Server as NetServer } from "node:net";
import { EddyError } from "../../engine/host/index.js";

/** Only this host's programs may scrape: the metrics name steps and say how far a run is. */
const HOST = "127.0.0.1";

/**
 * Whether each of `ports` can be listened on now (`eddy run -n`, before its processes start, each to
 * serve one of them): rejects with the first one's RUNNER_METRICS_PORT. Another program may still
 * take one before its process listens, which that process then refuses the same way.
 */
export async function checkMetricsPorts(ports: readonly number[]): Promise<void> {
  for (const port of ports) {
    const server = createNetServer();
    await listenOn(server, port);
    await new Promise((resolve) => server.close(resolve));
  }
}

/** `server` listens on 127.0.0.1:`port`, or rejects with RUNNER_METRICS_PORT saying why it cannot. */
export function listenOn(server: NetServer, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      const why = error.code === "EADDRINUSE" ? "it is in use" : error.code === "EACCES" ? "it is not allowed" : error.message;
      reject(new EddyError("RUNNER_METRICS_PORT", `--metrics-port ${port}: cannot listen on ${HOST}:${port}: ${why}`));
    });
    server.listen(port, HOST, () => resolve());
  });
}
