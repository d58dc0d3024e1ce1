/**
 * The run panel: simulated-run controls (clock, speed, workers, recovery; run, pause, stop, crash,
 * resume, clear state), the capture steps' output (capped, freezable), and the flow's problems and
 * the run's error, each linked to its step.
 */

import { useEffect, useRef, useState } from "react";
import { useReactFlow } from "@xyflow/react";
import { runPlan } from "../state/runPlan.js";
import { useEditor, useEditorStore } from "./editorContext.js";
import { isActiveStatus, setFrozen, useLive, visibleOutput } from "./live.js";
import { run, runSettingsStore, SPEEDS, useRunSettings } from "./runController.js";

function RunControls() {
  const doc = useEditor((state) => state.doc);
  const hasProblems = useEditor((state) => state.problems.errors.length > 0);
  const notRunCount = useEditor((state) => runPlan(state.doc).notRun.size);
  const status = useLive((state) => state.status);
  const resumedFrom = useLive((state) => state.resumedFrom);
  const epoch = useLive((state) => state.epoch);
  const virtualTime = useLive((state) => state.virtualTime);
  const stuck = useLive((state) => state.stuck);
  const settings = useRunSettings((state) => state);
  const [stored, setStored] = useState<string>("");
  const active = isActiveStatus(status);
  const canResume = settings.recovery && !active && (status === "crashed" || status === "stopped" || status === "failed");

  useEffect(() => {
    if (!settings.recovery || active) return;
    let cancelled = false;
    void run.inspectState(doc).then(
      (state) => !cancelled && setStored(state.exists ? `stored state: a resume starts at epoch ${state.resumeEpoch ?? 0}` : "no stored state"),
      () => !cancelled && setStored(""),
    );
    return () => {
      cancelled = true;
    };
  }, [settings.recovery, active, status, doc]);

  return (
    <section aria-label="Run">
      <h3>Simulated run</h3>
      <div className="run-controls">
        <button type="button" className="primary" data-testid="run" disabled={active} onClick={() => void run.start(doc)} title="Run the flow on screen, in the browser (Ctrl+Enter)">
          ▶ Run
        </button>
        {status === "paused" ? (
          <button type="button" data-testid="unpause" onClick={run.unpause}>
            Continue
          </button>
        ) : (
          <button type="button" data-testid="pause" disabled={status !== "running"} onClick={run.pause}>
            Pause
          </button>
        )}
        <button type="button" data-testid="stop" disabled={!active} onClick={run.stop} title="Stop at the next epoch boundary">
          Stop
        </button>
        <button type="button" className="danger" data-testid="crash" disabled={!active} onClick={run.crash} title="Kill the worker now, as a crash would">
          Crash
        </button>
        <button type="button" data-testid="resume" disabled={!canResume} onClick={() => void run.resume(doc)} title="Start a new worker that resumes from the snapshots in IndexedDB">
          Resume
        </button>
      </div>
      <div className="run-controls">
        <label>
          clock{" "}
          <select aria-label="clock" value={settings.clockKind} disabled={active} onChange={(event) => runSettingsStore.setState({ clockKind: event.target.value as "virtual" | "system" })}>
            <option value="virtual">virtual</option>
            <option value="system">system</option>
          </select>
        </label>
        {settings.clockKind === "virtual" && (
          <label>
            speed{" "}
            <select aria-label="speed" data-testid="speed" value={String(settings.speed)} onChange={(event) => run.setSpeed(Number(event.target.value))}>
              {SPEEDS.map((speed) => (
                <option key={speed.label} value={String(speed.value)}>
                  {speed.label}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          workers{" "}
          <select aria-label="workers" data-testid="workers" value={settings.workers} disabled={active} onChange={(event) => runSettingsStore.setState({ workers: Number(event.target.value) })}>
            {[1, 2, 3, 4].map((count) => (
              <option key={count}>{count}</option>
            ))}
          </select>
        </label>
        <label title="Store snapshots in IndexedDB at each epoch close, so a crashed run can resume">
          <input type="checkbox" data-testid="recovery" checked={settings.recovery} disabled={active} onChange={(event) => runSettingsStore.setState({ recovery: event.target.checked })} /> recovery
        </label>
      </div>
      <div>
        status:{" "}
        <span className={`run-status ${status}`} data-testid="run-status">
          {status}
        </span>
        {epoch !== undefined && <span> · epoch {epoch}</span>}
        {virtualTime !== undefined && settings.clockKind === "virtual" && <span> · t = {new Date(virtualTime).toISOString().slice(11, 23)}</span>}
      </div>
      {stuck !== undefined && (
        <div className="stuck-call" data-testid="stuck-call">
          {stuck}
        </div>
      )}
      {resumedFrom !== undefined && <div data-testid="resumed-from">resumed from epoch {resumedFrom}</div>}
      {settings.recovery && (
        <div className="run-controls" style={{ marginTop: 6 }}>
          <span data-testid="stored-state" style={{ color: "var(--muted)" }}>
            {stored}
          </span>
          <button type="button" data-testid="clear-state" disabled={active} onClick={() => void run.clearState(doc).then(() => setStored("no stored state"))}>
            Clear stored state
          </button>
        </div>
      )}
      {hasProblems && <div style={{ color: "var(--warn)", marginTop: 6 }}>The flow has problems; a run reports the first one.</div>}
      {notRunCount > 0 && (
        <div style={{ color: "var(--muted)", marginTop: 6 }} data-testid="not-run-count">
          {notRunCount === 1 ? "1 step does not run" : `${notRunCount} steps do not run`} (dimmed on the canvas): disabled, not connected, with problems, or fed only by such steps.
        </div>
      )}
    </section>
  );
}

/** Lines rendered at most (the newest); the page keeps more, and Freeze view holds them still. */
const OUTPUT_RENDERED = 500;

function OutputView() {
  const kept = useLive(visibleOutput);
  const output = kept.length > OUTPUT_RENDERED ? kept.slice(kept.length - OUTPUT_RENDERED) : kept;
  const total = useLive((state) => state.outputTotal);
  const frozen = useLive((state) => state.frozen !== undefined);
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView({ block: "end" });
  }, [output]);
  return (
    <section aria-label="Output">
      <h3 style={{ display: "flex", gap: 8, alignItems: "center" }}>
        Output <span style={{ textTransform: "none" }}>({total.toLocaleString("en-US")} lines{output.length < total ? `, the last ${output.length} shown` : ""})</span>
        <button type="button" data-testid="freeze" onClick={() => setFrozen(!frozen)} title="Freeze what is shown; the run goes on">
          {frozen ? "Unfreeze view" : "Freeze view"}
        </button>
      </h3>
      <div className="output" data-testid="output">
        {output.map((entry) =>
          entry.kind === "marker" ? (
            <div className="marker" key={entry.seq} data-testid="output-marker">
              — {entry.text} —
            </div>
          ) : (
            <div className="line" key={entry.seq} data-epoch={entry.value.epoch} data-step={entry.value.stepId}>
              <span className="meta">
                {entry.value.stepId} e{entry.value.epoch} w{entry.value.worker}
              </span>
              <span className="text">{entry.value.line}</span>
            </div>
          ),
        )}
        <div ref={end} />
      </div>
    </section>
  );
}

function ProblemsView() {
  const store = useEditorStore();
  const flow = useReactFlow();
  const problems = useEditor((state) => state.problems);
  const error = useLive((state) => state.error);
  const focus = (stepId: string | undefined) => {
    if (stepId === undefined) return;
    store.getState().select([stepId]);
    void flow.fitView({ nodes: [{ id: stepId }], duration: 300, maxZoom: 1.2 });
  };
  const all = [...problems.flow, ...[...problems.byStep.values()].flat()];
  return (
    <section aria-label="Problems" style={{ borderRight: "none" }}>
      {error && (
        <>
          <h3>Run error</h3>
          <div className="error-box" data-testid="run-error" onClick={() => focus(error.stepId)}>
            {error.stepId !== undefined && <strong>{`step "${error.stepId}"${error.worker !== undefined ? `, worker ${error.worker}` : ""}: `}</strong>}
            {error.message}
            {error.location !== undefined && <span data-testid="run-error-location">{`\n  ${error.location}`}</span>}
            {error.item !== undefined && `\non item: ${error.item}`}
          </div>
        </>
      )}
      <h3>Problems ({all.length})</h3>
      <ul className="problems" data-testid="problems">
        {all.map((problem, index) => (
          <li key={index} className={problem.severity === "warning" ? "warning" : undefined} onClick={() => focus(problem.stepId)}>
            {problem.severity === "warning" && <strong>skipped in runs: </strong>}
            {problem.message} <span className="path">{problem.path}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function RunPanel() {
  return (
    <div className="run">
      <RunControls />
      <OutputView />
      <ProblemsView />
    </div>
  );
}
