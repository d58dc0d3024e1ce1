/**
 * Short latin-1 strings read from frames (keys, words, field values), reused from frame to frame:
 * a lossy cache by a hash of their bytes, so that the same bytes give the same string object (no
 * garbage, and a Map keyed by it finds it by identity, its hash already known). A miss builds the
 * string with `String.fromCharCode` of up to 8 characters at once (twice as fast as adding the
 * characters one by one, which allocates a string per character).
 *
 * The cache holds SLOTS strings. With S's W2 (5,000 keys arriving at each of two workers) a cache
 * of 16,384 slots missed less than this one, but cost twice as much CPU in the runner's threads
 * (perf, cpu-clock): its reads of a 128 KB table and of strings all over the heap missed the
 * processor's caches, where building a missed string is an allocation in memory that is warm.
 */

/** The longest string the cache holds. */
export const SHORT = 16;
/** A power of two. */
const SLOTS = 4096;

const char = String.fromCharCode;

export class ShortStrings {
  private readonly strings: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);

  /** The string of `length` (at most SHORT) latin-1 bytes from `start`, the caller having checked that they are in `bytes`. */
  read(bytes: Uint8Array, start: number, length: number): string {
    const end = start + length;
    let hash = length;
    for (let at = start; at < end; at++) hash = (Math.imul(hash, 31) + bytes[at]!) | 0;
    const slot = (hash ^ (hash >>> 14)) & (SLOTS - 1);
    const cached = this.strings[slot];
    if (cached !== undefined && cached.length === length) {
      let same = true;
      for (let k = 0; k < length; k++) {
        if (cached.charCodeAt(k) !== bytes[start + k]) {
          same = false;
          break;
        }
      }
      if (same) return cached;
    }
    const text = length <= 8 ? upTo8(bytes, start, length) : upTo8(bytes, start, 8) + upTo8(bytes, start + 8, length - 8);
    this.strings[slot] = text;
    return text;
  }
}

/** The string of `length` (0 to 8) latin-1 bytes from `at`, in one call. */
function upTo8(b: Uint8Array, at: number, length: number): string {
  switch (length) {
    case 0:
      return "";
    case 1:
      return char(b[at]!);
    case 2:
      return char(b[at]!, b[at + 1]!);
    case 3:
      return char(b[at]!, b[at + 1]!, b[at + 2]!);
    case 4:
      return char(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
    case 5:
      return char(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!);
    case 6:
      return char(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!, b[at + 5]!);
    case 7:
      return char(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!, b[at + 5]!, b[at + 6]!);
    default:
      return char(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!, b[at + 5]!, b[at + 6]!, b[at + 7]!);
  }
}
