/**
 * Tumbling windows: back-to-back windows of `length` ms from `startAt`. As in Bytewax 0.11 the index
 * is an integer division that truncates toward zero, so times in (startAt - length, startAt) fall
 * in window 0.
 */

export interface Windower {
  indexOf(time: number): number;
  closeTimeOf(index: number): number;
}

export function tumblingWindower(length: number, startAt: number): Windower {
  return {
    indexOf: (time) => Math.trunc((time - startAt) / length),
    closeTimeOf: (index) => startAt + length * (index + 1),
  };
}
