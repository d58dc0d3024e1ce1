/**
 * Immutable updates of plain JSON values with structural sharing: only the objects and arrays on
 * the path are copied. Setting `undefined` deletes an object field. An update that changes nothing
 * returns the value itself, so that callers (and undo history) can tell a no-op by identity.
 */

import { isObject } from "./steps.js";

export type PathSegment = string | number;

/** The value at `path` inside `value`, or undefined. */
export function getIn(value: unknown, path: readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === "number") current = current[segment];
    else if (isObject(current) && Object.prototype.hasOwnProperty.call(current, String(segment))) current = current[String(segment)];
    else return undefined;
  }
  return current;
}

/** `value` with `path` set to `next` (`undefined` deletes an object field); missing objects are created. */
export function setIn<T>(value: T, path: readonly PathSegment[], next: unknown): T {
  return setAt(value, path, 0, next) as T;
}

function setAt(value: unknown, path: readonly PathSegment[], at: number, next: unknown): unknown {
  if (at === path.length) return next;
  const segment = path[at]!;
  if (Array.isArray(value) && typeof segment === "number") {
    const child = setAt(value[segment], path, at + 1, next);
    if (child === value[segment] && segment < value.length) return value;
    const copy = value.slice();
    if (child === undefined && at + 1 === path.length) copy.splice(segment, 1);
    else copy[segment] = child;
    return copy;
  }
  const record = isObject(value) ? value : {};
  const key = String(segment);
  const had = Object.prototype.hasOwnProperty.call(record, key);
  const child = setAt(had ? record[key] : undefined, path, at + 1, next);
  if (child === undefined) {
    if (!had) return value;
    const { [key]: _removed, ...rest } = record;
    return rest;
  }
  if (had && child === record[key]) return value;
  return { ...record, [key]: child };
}
