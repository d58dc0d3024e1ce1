/** The flow format's name and newest version: constants, apart from the schema (zod) so that compiling a checked flow needs no zod. */

/** The newest format version this Eddy reads. */
export const FLOW_FORMAT_VERSION = 1;

/** The value of the `format` field of every flow file. */
export const FLOW_FORMAT = "eddy.flow";
