/**
 * A join in the studio, in real Chromium: the join example's join step lists which step is side 0
 * and which is side 1, the edges into it are labelled with their sides, and its form shows the
 * sides in order with the modes; moving a side earlier swaps them everywhere.
 */

import { describe, expect, it } from "vitest";
import { useStudio } from "../../helpers/studioApp.js";
import { node, openExample, select } from "./ui.js";

const studio = useStudio();


describe("a join in the studio", () => {
  it("draws which side is which, on the node, on the edges and in the form, and reorders them", { timeout: 90_000 }, async () => {
    const { page, context } = await studio.open();
    try {
      await openExample(page, "join-orders");
      const sides = page.getByTestId("sides-customer_orders");
      await expect.poll(() => sides.innerText()).toBe("side 0 ← customers_by_id\nside 1 ← orders_by_customer");
      // Edge labels are SVG text: read their textContent.
      await expect.poll(() => page.locator(".react-flow__edge-text").evaluateAll((labels) => labels.map((label) => label.textContent).sort())).toEqual(["side 0", "side 1"]);

      await select(page, "customer_orders");
      const form = page.getByTestId("join-sides");
      const items = () => form.locator("li").allTextContents();
      await expect.poll(items).toEqual(["side 0 customers_by_id", "side 1 orders_by_customer↑"]);
      expect(await page.getByTestId("join-insert-mode").inputValue()).toBe("product");
      expect(await page.getByTestId("join-emit-mode").inputValue()).toBe("final");
      if (process.env.EDDY_SCREENSHOT) await page.screenshot({ path: process.env.EDDY_SCREENSHOT });

      await page.getByRole("button", { name: "make orders_by_customer side 0" }).click();
      await expect.poll(() => sides.innerText()).toBe("side 0 ← orders_by_customer\nside 1 ← customers_by_id");
      await expect.poll(items).toEqual(["side 0 orders_by_customer", "side 1 customers_by_id↑"]);
      await page.getByTestId("join-emit-mode").selectOption("running");
      await expect.poll(() => node(page, "customer_orders").getAttribute("class")).not.toContain("has-problem");
    } finally {
      await context.close();
    }
  });
});
