/**
 * The panel choices of this browser (studio/state/panels.ts), kept in localStorage: only what the
 * user changed is stored, so what they never touched keeps following the window's size. The window
 * size is tracked here too, for `panelsFor`.
 */

import { useEffect } from "react";
import { createStore } from "zustand/vanilla";
import { useStore } from "zustand";
import { readPanelChoices, type PanelChoices, type Size } from "../state/panels.js";

const KEY = "eddy-studio-panels";

function readStored(): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(globalThis.localStorage?.getItem(KEY) ?? "null");
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function windowSize(): Size {
  return { width: globalThis.innerWidth ?? 1280, height: globalThis.innerHeight ?? 800 };
}

interface LayoutState {
  /** What the user chose, as stored. */
  stored: Record<string, unknown>;
  window: Size;
}

export const layoutStore = createStore<LayoutState>(() => ({ stored: readStored(), window: windowSize() }));

/** The choices now: the stored ones, the defaults for this window size for the rest. */
export function currentChoices(state: LayoutState = layoutStore.getState()): PanelChoices {
  return readPanelChoices(state.stored, state.window);
}

export function usePanelChoices(): { choices: PanelChoices; window: Size } {
  const stored = useStore(layoutStore, (state) => state.stored);
  const size = useStore(layoutStore, (state) => state.window);
  return { choices: readPanelChoices(stored, size), window: size };
}

/** Applies a change to the choices and keeps the fields it changed. */
export function changePanels(change: (choices: PanelChoices) => PanelChoices): void {
  const state = layoutStore.getState();
  const before = currentChoices(state);
  const after = change(before);
  const stored = { ...state.stored };
  for (const key of Object.keys(after) as (keyof PanelChoices)[]) {
    if (JSON.stringify(after[key]) !== JSON.stringify(before[key])) stored[key] = after[key];
  }
  layoutStore.setState({ stored });
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify(stored));
  } catch {
    // not kept across visits; the layout still changes now
  }
}

/** Keeps the store's window size current while mounted. */
export function useTrackWindowSize(): void {
  useEffect(() => {
    const update = () => layoutStore.setState({ window: windowSize() });
    update();
    window.addEventListener("resize", update);
    return () => window.removeEventListener("resize", update);
  }, []);
}
