/**
 * The few host globals the engine uses. Node, browsers and Web Workers all provide them; declaring
 * them here lets `tsconfig.engine.json` compile engine/ without the DOM or Node type libraries.
 */
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;
declare function queueMicrotask(callback: () => void): void;
declare const console: { log(...data: unknown[]): void; error(...data: unknown[]): void };
