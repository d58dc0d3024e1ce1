/**
 * Validation, pass 5: the `additionalProperties` of Kafka inputs. Every name must be one the input
 * knows (engine/configs/kafkaProperties.ts), and every value given as text must fit its property;
 * a value from `{ "$env": NAME }` is checked when the flow is compiled, once it is known. Secrets
 * are never shown. Runs no code and connects to nothing.
 */

import { kafkaPropertyNameProblem, kafkaPropertyValueProblem } from "../configs/kafkaProperties.js";
import { Context, isObject } from "./validateContext.js";

export function kafkaProblems(context: Context): void {
  context.steps?.forEach((step, index) => {
    if (!isObject(step) || !isObject(step.input) || step.input.type !== "kafka") return;
    const properties = step.input.additionalProperties;
    if (!isObject(properties)) return;
    for (const [name, value] of Object.entries(properties)) {
      const path = ["steps", index, "input", "additionalProperties", name];
      const unknown = kafkaPropertyNameProblem(name);
      if (unknown !== undefined) {
        context.add("FLOW_INVALID_VALUE", path, `${context.owner(path)}: ${unknown}`);
        continue;
      }
      if (typeof value !== "string") continue; // an $env reference, or a type the schema pass reports
      const wrong = kafkaPropertyValueProblem(name, value);
      if (wrong !== undefined) context.add("FLOW_INVALID_VALUE", path, `${context.owner(path)}: ${wrong}`);
    }
  });
}
