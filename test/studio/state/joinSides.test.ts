/**
 * The studio's drawing of a join's sides: each edge into a `join` or `join_window` step is labelled
 * with the side it feeds (its place in `after`), and the label follows when the sides are reordered.
 */

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { FlowDefinition } from "../../../engine/flow/index.js";
import { flowToCanvas, updateStepField } from "../../../studio/state/document.js";

const example = JSON.parse(readFileSync(new URL("../../../examples/join-orders.json", import.meta.url), "utf8")) as FlowDefinition;

describe("the canvas of a join", () => {
  it("labels each edge into the join with its side; other edges have no label", () => {
    const { edges } = flowToCanvas(example);
    const labels = Object.fromEntries(edges.map((edge) => [edge.id, edge.label]));
    expect(labels["customers_by_id->customer_orders"]).toBe("side 0");
    expect(labels["orders_by_customer->customer_orders"]).toBe("side 1");
    expect(labels["customers->customers_by_id"]).toBeUndefined();
  });

  it("moves the labels with the sides when they are reordered, reusing nothing stale", () => {
    const before = flowToCanvas(example);
    const swapped = updateStepField(example, "customer_orders", ["after"], ["orders_by_customer", "customers_by_id"]);
    const { edges } = flowToCanvas(swapped, undefined, { previous: before });
    const labels = Object.fromEntries(edges.map((edge) => [edge.id, edge.label]));
    expect(labels["orders_by_customer->customer_orders"]).toBe("side 0");
    expect(labels["customers_by_id->customer_orders"]).toBe("side 1");
  });
});
