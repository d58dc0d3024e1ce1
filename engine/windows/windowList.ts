/**
 * A key's open windows: an intrusive doubly linked list of `OpenWindow`s, ordered by start and by
 * close time (every window kind keeps both orders), so the front is the next window to close. The
 * key's own state is the list (it has `first` and `last`): the window an item joins is one hop from
 * the key's state, not three (an array's object, its elements, the window), which measured as a
 * third of a session-window step's time per item.
 */

/** One open window of one key: where it is in time, when it closes, and what it holds so far. */
export class OpenWindow {
  /** The key's previous and next windows in the list. */
  prev: OpenWindow | undefined = undefined;
  next: OpenWindow | undefined = undefined;
  constructor(
    /** The window's start (sessions: the time of its first item). */
    public start: number,
    /** The window's end (tumbling and sliding: exclusive; sessions: the time of its last item). */
    public end: number,
    /** The window closes once the watermark is past this (tumbling and sliding: `end`; sessions: `end + gap`). */
    public closeAt: number,
    /** What the step's accumulator holds for this window. */
    public acc: unknown,
    /** Sessions: the key's creation number of the session (the older one takes a bridging item, as in Bytewax 0.21); 0 otherwise. */
    public id = 0,
  ) {}
}

/** A key's open windows, first to last. */
export interface WindowList {
  first: OpenWindow | undefined;
  last: OpenWindow | undefined;
  /** The key's last closed window, kept for its next one (`openWindow`): a key's windows cost no allocation each. */
  spare?: OpenWindow | undefined;
}

/**
 * A window for `list` (not yet in it): its last closed window reused, or a new one.
 *
 * @example
 * insertBefore(list, openWindow(list, 0, 10, 10, 1), undefined); // list: [0, 10)
 */
export function openWindow(list: WindowList, start: number, end: number, closeAt: number, acc: unknown, id = 0): OpenWindow {
  const spare = list.spare;
  if (spare === undefined) return new OpenWindow(start, end, closeAt, acc, id);
  list.spare = undefined;
  spare.start = start;
  spare.end = end;
  spare.closeAt = closeAt;
  spare.acc = acc;
  spare.id = id;
  return spare;
}

/**
 * Puts `opened` into `list` just before `before` (at the end when `before` is undefined).
 *
 * @example
 * const list: WindowList = { first: undefined, last: undefined };
 * insertBefore(list, new OpenWindow(0, 10, 10, 1), undefined); // list: [0, 10)
 */
export function insertBefore(list: WindowList, opened: OpenWindow, before: OpenWindow | undefined): void {
  const prev = before === undefined ? list.last : before.prev;
  opened.prev = prev;
  opened.next = before;
  if (prev === undefined) list.first = opened;
  else prev.next = opened;
  if (before === undefined) list.last = opened;
  else before.prev = opened;
}

/**
 * Takes `closed` out of `list`, which keeps it for its next window (`openWindow`): nothing may hold
 * on to `closed` afterwards.
 *
 * @example
 * removeWindow(list, list.first!); // the first window closed
 */
export function removeWindow(list: WindowList, closed: OpenWindow): void {
  const { prev, next } = closed;
  if (prev === undefined) list.first = next;
  else prev.next = next;
  if (next === undefined) list.last = prev;
  else next.prev = prev;
  closed.prev = undefined;
  closed.next = undefined;
  closed.acc = undefined;
  list.spare = closed;
}

/**
 * The windows of `list`, first to last, as an array (snapshots, tests).
 *
 * @example
 * windowsOf(list).map((w) => [w.start, w.end]); // [[0, 10], [10, 20]]
 */
export function windowsOf(list: WindowList): OpenWindow[] {
  const windows: OpenWindow[] = [];
  for (let open = list.first; open !== undefined; open = open.next) windows.push(open);
  return windows;
}
