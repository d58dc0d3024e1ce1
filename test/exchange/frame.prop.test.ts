/**
 * Properties of the exchange format: any plain data decodes to what structured clone makes of it,
 * and decoding arbitrary bytes (or a frame with bytes changed) returns a message or throws
 * EXCHANGE_BAD_FRAME, never another error.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EddyError } from "../../engine/errors.js";
import { decodeFrame, encodeFrame } from "../../engine/exchange/frame.js";

const leaf = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.double(),
  fc.integer(),
  fc.bigInt(),
  fc.boolean(),
  fc.constantFrom(null, undefined),
  fc.date({ noInvalidDate: false }),
  fc.uint8Array(),
  fc.float64Array(),
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("value")),
    fc.sparseArray(tie("value")),
    fc.dictionary(fc.string(), tie("value")),
    fc.array(fc.tuple(tie("value"), tie("value"))).map((entries) => new Map(entries)),
    fc.array(tie("value")).map((members) => new Set(members)),
  ),
}));

describe("exchange frames, for any input", () => {
  it("decode any plain data to what structured clone makes of it", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), value), { maxLength: 8 }), (items) => {
        const decoded = decodeFrame(encodeFrame({ kind: "data", node: 0, port: 0, epoch: 0, items }));
        expect(decoded).toStrictEqual({ kind: "data", node: 0, port: 0, epoch: 0, items: structuredClone(items) });
      }),
      { numRuns: 100 },
    );
  });

  it("refuse arbitrary and damaged bytes with EXCHANGE_BAD_FRAME only", () => {
    const frames = fc.array(fc.tuple(fc.string(), value), { maxLength: 5 }).map((items) => encodeFrame({ kind: "data", node: 0, port: 0, epoch: 0, items }));
    const damaged = fc.tuple(frames, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([frame, at, byte]) => {
      const copy = frame.slice();
      if (copy.length > 0) copy[at % copy.length] = byte;
      return copy;
    });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), damaged), (bytes) => {
        try {
          decodeFrame(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(EddyError);
          expect((error as EddyError).code).toBe("EXCHANGE_BAD_FRAME");
        }
      }),
      { numRuns: 500 },
    );
  });
});
