/**
 * Short, readable renderings of arbitrary values for error messages (Bytewax shows `repr`).
 * Never throws, never walks more than a bounded part of the value.
 */

const DEFAULT_MAX = 80;

export function preview(value: unknown, max = DEFAULT_MAX): string {
  const text = render(value, 0, new Set());
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function render(value: unknown, depth: number, seen: Set<object>): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint":
      return `${value}n`;
    case "boolean":
    case "undefined":
      return String(value);
    case "symbol":
      return value.toString();
    case "function":
      return `[Function ${value.name || "anonymous"}]`;
  }
  if (value === null) return "null";
  const obj = value as object;
  if (seen.has(obj)) return "[Circular]";
  if (depth > 3) return Array.isArray(obj) ? "[…]" : "{…}";
  seen.add(obj);
  try {
    if (Array.isArray(obj)) return `[${renderList(obj, depth, seen)}]`;
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? "Invalid Date" : obj.toISOString();
    if (obj instanceof Map) {
      const entries = [...obj.entries()].slice(0, 10).map(([k, v]) => `${render(k, depth + 1, seen)} => ${render(v, depth + 1, seen)}`);
      return `Map(${obj.size}) {${entries.join(", ")}${obj.size > 10 ? ", …" : ""}}`;
    }
    if (obj instanceof Set) return `Set(${obj.size}) {${renderList([...obj].slice(0, 10), depth, seen)}${obj.size > 10 ? ", …" : ""}}`;
    if (obj instanceof Error) return `${obj.name}: ${obj.message}`;
    if (ArrayBuffer.isView(obj)) return `${obj.constructor.name}(${obj.byteLength} bytes)`;
    const keys = Object.keys(obj);
    const shown = keys.slice(0, 10).map((k) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${render((obj as Record<string, unknown>)[k], depth + 1, seen)}`);
    const name = !isPlainObject(obj) && obj.constructor ? `${obj.constructor.name} ` : "";
    return `${name}{${shown.join(", ")}${keys.length > 10 ? ", …" : ""}}`;
  } catch {
    return "[unrenderable]";
  } finally {
    seen.delete(obj);
  }
}

function renderList(items: readonly unknown[], depth: number, seen: Set<object>): string {
  const shown = items.slice(0, 20).map((v) => render(v, depth + 1, seen));
  return shown.join(", ") + (items.length > 20 ? ", …" : "");
}

/**
 * Whether `value` is a plain object (`{}` or `Object.create(null)`) of any realm: flow functions may
 * run in a node:vm context with an `Object.prototype` of their own.
 */
export function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}
