/**
 * The Kafka broker's jars: Kafka 3.9.1's runtime classpath from Maven Central, resolved by
 * `mvn dependency:copy-dependencies` on ci/kafka/pom.xml into .kafka/libs/ (57 jars, 46 MB), and
 * fetched again only when the POM changes (.kafka/libs/.stamp holds the POM's hash). A fetch goes
 * to a fresh directory that is renamed into place, so two runs fetching at once cannot mix jars.
 *
 * Java 17 and Maven come from the system; when one is missing, `requireJava`/`requireMaven` throw
 * with the command that installs it (scripts/install-kafka-peers.sh does both on Debian).
 */

import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const KAFKA_VERSION = "3.9.1";
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const KAFKA_CONFIG_DIR = join(REPO_ROOT, "ci/kafka");
/** The cache: jars in libs/, and the broker that `npm run kafka start` runs, in broker/. */
export const KAFKA_HOME = join(REPO_ROOT, ".kafka");
export const KAFKA_LIBS = join(KAFKA_HOME, "libs");

const POM = join(KAFKA_CONFIG_DIR, "pom.xml");
const FETCH_TIMEOUT_MS = 10 * 60_000;
const INSTALL_HINT =
  "On Debian or Ubuntu: bash scripts/install-kafka-peers.sh (it runs apt-get install openjdk-17-jre-headless maven); " +
  "elsewhere install a JDK 17 and Maven 3 so that `java` and `mvn` are on the PATH.";

/** Why the broker harness refused or failed, for callers that react to one kind (e.g. a busy port). */
export type KafkaHarnessErrorKind = "missing-tool" | "fetch-failed" | "port-busy" | "already-running" | "start-failed" | "not-our-broker";

export class KafkaHarnessError extends Error {
  override readonly name = "KafkaHarnessError";
  constructor(
    readonly kind: KafkaHarnessErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** The first line of `java -version`; throws a KafkaHarnessError saying how to install Java when there is none. */
export function requireJava(): string {
  const result = spawnSync("java", ["-version"], { encoding: "utf8", timeout: 30_000 });
  if (result.error !== undefined || result.status !== 0) {
    throw new KafkaHarnessError("missing-tool", `The Kafka broker needs Java 17 (\`java -version\` failed: ${result.error?.message ?? result.stderr.trim()}). ${INSTALL_HINT}`);
  }
  return result.stderr.split("\n")[0] ?? "";
}

export function requireMaven(): void {
  const result = spawnSync("mvn", ["-v"], { encoding: "utf8", timeout: 60_000 });
  if (result.error !== undefined || result.status !== 0) {
    throw new KafkaHarnessError("missing-tool", `Fetching Kafka's jars needs Maven (\`mvn -v\` failed: ${result.error?.message ?? result.stderr.trim()}). ${INSTALL_HINT}`);
  }
}

function pomStamp(): string {
  return `${createHash("sha256").update(readFileSync(POM)).digest("hex").slice(0, 16)}\n`;
}

/** True when .kafka/libs/ holds the jars of the current POM. */
export function jarsAreFetched(): boolean {
  const stamp = join(KAFKA_LIBS, ".stamp");
  return existsSync(stamp) && readFileSync(stamp, "utf8") === pomStamp();
}

export interface FetchResult {
  readonly libsDir: string;
  /** False when the cache was already up to date. */
  readonly fetched: boolean;
  readonly ms: number;
}

/** Makes .kafka/libs/ hold the jars of ci/kafka/pom.xml, running Maven only when it does not yet. */
export async function fetchKafkaJars(log: (line: string) => void = () => {}): Promise<FetchResult> {
  const started = performance.now();
  if (jarsAreFetched()) return { libsDir: KAFKA_LIBS, fetched: false, ms: performance.now() - started };
  requireMaven();
  mkdirSync(KAFKA_HOME, { recursive: true });
  const fresh = join(KAFKA_HOME, `libs.fetch-${process.pid}-${Date.now()}`);
  log(`fetching Kafka ${KAFKA_VERSION}'s jars with Maven into ${KAFKA_LIBS} (once per POM change)`);
  try {
    await runMaven(["-B", "-q", "-f", POM, "dependency:copy-dependencies", "-DincludeScope=runtime", `-DoutputDirectory=${fresh}`]);
    if (!readdirSync(fresh).some((name) => /^kafka_2\.13-.*\.jar$/.test(name))) {
      throw new KafkaHarnessError("fetch-failed", `Maven ran but ${fresh} holds no kafka_2.13 jar`);
    }
    writeFileSync(join(fresh, ".stamp"), pomStamp());
    install(fresh);
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
  return { libsDir: KAFKA_LIBS, fetched: true, ms: performance.now() - started };
}

/** Renames `fresh` to .kafka/libs/; when another run got there first with the same POM, keeps theirs. */
function install(fresh: string): void {
  if (existsSync(KAFKA_LIBS)) {
    if (jarsAreFetched()) return;
    const old = `${KAFKA_LIBS}.old-${process.pid}-${Date.now()}`;
    renameSync(KAFKA_LIBS, old);
    rmSync(old, { recursive: true, force: true });
  }
  try {
    renameSync(fresh, KAFKA_LIBS);
  } catch (error) {
    if (!jarsAreFetched()) throw error;
  }
}

function runMaven(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("mvn", args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const timer = setTimeout(() => child.kill("SIGKILL"), FETCH_TIMEOUT_MS);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new KafkaHarnessError("fetch-failed", `could not run mvn: ${error.message}. ${INSTALL_HINT}`));
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else {
        const why = signal === "SIGKILL" ? `did not finish within ${FETCH_TIMEOUT_MS / 60_000} minutes` : `exited with ${code ?? signal}`;
        reject(new KafkaHarnessError("fetch-failed", `mvn dependency:copy-dependencies ${why} (Maven Central must be reachable). Its output:\n${output.trim()}`));
      }
    });
  });
}
