/**
 * The child that verifies a file store starts without NODE_EXTRA_CA_CERTS (Node would parse
 * certificates before anything runs, about 100 ms, for a child that makes no TLS connection),
 * and with everything else of the parent's environment.
 */

import { describe, expect, it } from "vitest";
import { verifierEnvironment } from "../../node-runner/recovery/verifyInChild.js";

describe("verifierEnvironment", () => {
  it("drops NODE_EXTRA_CA_CERTS and keeps the rest", () => {
    const parent = { PATH: "/usr/bin", NODE_OPTIONS: "--max-old-space-size=512", NODE_EXTRA_CA_CERTS: "/etc/ssl/extra.pem", EDDY_X: "1" };
    expect(verifierEnvironment(parent)).toEqual({ PATH: "/usr/bin", NODE_OPTIONS: "--max-old-space-size=512", EDDY_X: "1" });
    expect(parent.NODE_EXTRA_CA_CERTS).toBe("/etc/ssl/extra.pem");
  });

  it("keeps an environment without it as it is", () => {
    expect(verifierEnvironment({ HOME: "/home/eddy" })).toEqual({ HOME: "/home/eddy" });
  });
});
