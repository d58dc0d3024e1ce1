/** `eddy/flow`: flow definition files (DESIGN section 7), read, validated and compiled to dataflows. */

export * from "../flow/index.js";
