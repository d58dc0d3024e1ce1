/**
 * Validation, pass 5: the `additionalProperties` of Kafka inputs and outputs. Every name must be one
 * the input (or the output) knows (engine/configs/kafkaProperties.ts), and every value given as text must fit its property;
 * a value from `{ "$env": NAME }` is checked when the flow is compiled, once it is known. Secrets
 * are never shown. Runs no code and connects to nothing.
 */

import { KAFKA_INPUT_PROPERTIES, KAFKA_OUTPUT_PROPERTIES, kafkaPropertyNameProblem, kafkaPropertyValueProblem } from "../configs/kafkaProperties.js";
import { Context, isObject } from "./validateContext.js";

export function kafkaProblems(context: Context): void {
  context.steps?.forEach((step, index) => {
    if (!isObject(step)) return;
    for (const block of ["input", "output"] as const) {
      const config = step[block];
      if (!isObject(config) || config.type !== "kafka") continue;
      blockProblems(context, index, block, config.additionalProperties);
    }
  });
}

function blockProblems(context: Context, index: number, block: "input" | "output", properties: unknown): void {
  if (!isObject(properties)) return;
  const table = block === "input" ? KAFKA_INPUT_PROPERTIES : KAFKA_OUTPUT_PROPERTIES;
  {
    for (const [name, value] of Object.entries(properties)) {
      const path = ["steps", index, block, "additionalProperties", name];
      const unknown = kafkaPropertyNameProblem(name, table);
      if (unknown !== undefined) {
        context.add("FLOW_INVALID_VALUE", path, `${context.owner(path)}: ${unknown}`);
        continue;
      }
      if (typeof value !== "string") continue; // an $env reference, or a type the schema pass reports
      const wrong = kafkaPropertyValueProblem(name, value, table);
      if (wrong !== undefined) context.add("FLOW_INVALID_VALUE", path, `${context.owner(path)}: ${wrong}`);
    }
  }
}
