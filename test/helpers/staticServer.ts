import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";

/** A running static file server bound to 127.0.0.1 on a random port. */
export interface StaticServer {
  /** Base URL without a trailing slash, e.g. "http://127.0.0.1:41234". */
  readonly url: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".wasm": "application/wasm",
};

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? "application/octet-stream";
}

/**
 * Resolves a raw request path (as sent, before any URL normalisation) to a file
 * inside `root`, or returns null when it is malformed or would escape the root:
 * any ".." segment (plain or percent-encoded, "/" or "\\" separated) is refused.
 */
export function resolveInsideRoot(root: string, rawPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0")) return null;
  const segments = decoded.split(/[/\\]/);
  if (segments.includes("..")) return null;
  const absRoot = path.resolve(root);
  const target = path.resolve(absRoot, "." + path.sep + segments.filter(Boolean).join(path.sep));
  const rel = path.relative(absRoot, target);
  if (rel.startsWith("..") || path.isAbsolute(rel)) return null;
  return target;
}

export interface StaticServerOptions {
  /** Headers sent with every file (the studio's COOP and COEP, say). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Serves files under `root` over HTTP on 127.0.0.1 with a random port. */
export async function startStaticServer(root: string, options: StaticServerOptions = {}): Promise<StaticServer> {
  const absRoot = path.resolve(root);
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { "content-type": "text/plain; charset=utf-8", allow: "GET, HEAD" });
        res.end("Method Not Allowed");
        return;
      }
      const rawPath = (req.url ?? "/").split(/[?#]/, 1)[0] ?? "/";
      let filePath = resolveInsideRoot(absRoot, rawPath);
      if (filePath === null) {
        res.writeHead(403, { "content-type": "text/plain; charset=utf-8" });
        res.end("Forbidden");
        return;
      }
      try {
        const info = await stat(filePath);
        if (info.isDirectory()) {
          filePath = path.join(filePath, "index.html");
          await stat(filePath);
        }
        const body = await readFile(filePath);
        res.writeHead(200, {
          ...options.headers,
          "content-type": contentTypeFor(filePath),
          "content-length": body.length,
          "cache-control": "no-store",
        });
        res.end(req.method === "HEAD" ? undefined : body);
      } catch {
        res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
        res.end("Not Found");
      }
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end(String(err));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
