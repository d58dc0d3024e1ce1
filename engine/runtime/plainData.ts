/**
 * Plain data: what a value may hold when Eddy copies it (an item that goes to another worker
 * thread, a state saved for recovery). Plain objects and arrays, Map, Set, Date, RegExp, Error,
 * typed arrays and ArrayBuffer, and primitives other than symbols, nested at most MAX_DEPTH deep.
 * A class instance would arrive as a plain object without its methods, a function or a symbol
 * cannot be copied at all, and a deeper value overflows the serializer's call stack: each is
 * refused with what and where it is, rather than copied into something else.
 *
 * Built-ins are recognised by their brand (`Object.prototype.toString` and a method of the
 * built-in called on the value), not by `instanceof`: flow functions run in a node:vm context with
 * built-ins of their own. The walk allocates nothing while the value is fine (a path is built only
 * for a problem) and remembers objects only below depth 32, where a cycle would otherwise loop.
 */

import { preview } from "../preview.js";

/** How deep values that Eddy copies may be nested (msgpackr and structured clone recurse, and give up a few thousand levels down, depending on the stack). */
export const MAX_DEPTH = 1000;

const TRACK_FROM_DEPTH = 32;

/** This realm's, checked first: most items are objects of it (the test after it covers every realm). */
const OBJECT_PROTOTYPE: unknown = Object.prototype;

/** Describes the first part of `value` that is not plain data (with its path, such as `[1].items[0]`), or undefined. */
export function notPlainData(value: unknown): string | undefined {
  if (typeof value !== "object" && typeof value !== "function" && typeof value !== "symbol") return undefined;
  if (walk(value, 0, undefined, undefined) === undefined) return undefined;
  // Only now, walk again to learn where (the first walk allocates nothing).
  const path: string[] = [];
  const problem = walk(value, 0, undefined, path)!;
  const at = path.length === 0 || !problem.located ? "" : ` at ${path.reverse().join("")}`;
  return `${problem.what}${at}${problem.why}`;
}

/** What is wrong, and why (the path goes between them when `located`). */
interface Problem {
  readonly what: string;
  readonly why: string;
  readonly located: boolean;
}

const FUNCTION: Problem = { what: "it holds a function", why: "", located: true };
const SYMBOL: Problem = { what: "it holds a symbol", why: "", located: true };
const TOO_DEEP: Problem = {
  what: `it is nested more than ${MAX_DEPTH} levels deep`,
  why: " (the most for items that cross workers and for saved states; msgpackr and structured clone run out of call stack a few thousand levels down)",
  located: false,
};

function walk(value: unknown, depth: number, seen: Set<object> | undefined, path: string[] | undefined): Problem | undefined {
  switch (typeof value) {
    case "function":
      return FUNCTION;
    case "symbol":
      return SYMBOL;
    case "object":
      break;
    default:
      return undefined;
  }
  if (value === null) return undefined;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  if (seen !== undefined) {
    if (seen.has(value)) return undefined;
  } else if (depth >= TRACK_FROM_DEPTH) {
    seen = new Set();
  }
  seen?.add(value);
  const inner = depth + 1;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const member: unknown = value[i];
      // A primitive other than a symbol is plain: no call for it (most members are such).
      if (typeof member !== "object" ? typeof member !== "function" && typeof member !== "symbol" : member === null) continue;
      const problem = walk(member, inner, seen, path);
      if (problem !== undefined) return (path?.push(`[${i}]`), problem);
    }
    return undefined;
  }
  // A plain object of this realm, or of another (the runner's flow functions make theirs in a
  // node:vm context): isPlainObject's test (preview.ts), inline on the prototype already read. A
  // call here is not inlined by V8: calling a helper cost about 500 instructions more per W3 item
  // in the runner (callgrind), so the test is written twice on purpose.
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === OBJECT_PROTOTYPE || proto === null || Object.getPrototypeOf(proto) === null) {
    for (const key in value) {
      const member: unknown = (value as Record<string, unknown>)[key];
      if (typeof member !== "object" ? typeof member !== "function" && typeof member !== "symbol" : member === null) continue;
      const problem = walk(member, inner, seen, path);
      if (problem !== undefined) return (path?.push(/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`), problem);
    }
    return undefined;
  }
  return walkBuiltIn(value, inner, seen, path);
}

function walkBuiltIn(value: object, inner: number, seen: Set<object> | undefined, path: string[] | undefined): Problem | undefined {
  if (ArrayBuffer.isView(value)) return undefined;
  switch (Object.prototype.toString.call(value)) {
    case "[object Date]":
      return branded(value, Date.prototype.getTime) ? undefined : classInstance(value);
    case "[object RegExp]":
    case "[object ArrayBuffer]":
    case "[object Error]":
      return undefined;
    case "[object Map]": {
      if (!branded(value, Map.prototype.has)) return classInstance(value);
      for (const [key, member] of Map.prototype.entries.call(value as Map<unknown, unknown>)) {
        const problem = walk(key, inner, seen, path) ?? walk(member, inner, seen, path);
        if (problem !== undefined) return (path?.push(`.get(${preview(key, 30)})`), problem);
      }
      return undefined;
    }
    case "[object Set]": {
      if (!branded(value, Set.prototype.has)) return classInstance(value);
      for (const member of Set.prototype.values.call(value as Set<unknown>)) {
        const problem = walk(member, inner, seen, path);
        if (problem !== undefined) return (path?.push(".<member>"), problem);
      }
      return undefined;
    }
  }
  return classInstance(value);
}

/** Whether `method` of a built-in accepts `value` (its brand check), as it does only for a real one of any realm. */
function branded(value: object, method: (this: never, ...args: never[]) => unknown): boolean {
  try {
    (method as (this: object) => unknown).call(value);
    return true;
  } catch {
    return false;
  }
}

function classInstance(value: object): Problem {
  let name = "?";
  try {
    name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name as string;
  } catch {
    // A Proxy whose traps throw: "?" it is.
  }
  return { what: `it holds an instance of class ${typeof name === "string" && name !== "" ? name : "?"}`, why: ", which would be copied as a plain object, without its class", located: true };
}
