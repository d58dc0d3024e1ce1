/** Light, dark or the system's choice; remembered in localStorage and applied as a class on <html>. */

import { createStore } from "zustand/vanilla";
import { useStore } from "zustand";

export type ColorMode = "light" | "dark" | "system";

const KEY = "eddy-studio-color-mode";

function stored(): ColorMode {
  const value = globalThis.localStorage?.getItem(KEY);
  return value === "light" || value === "dark" ? value : "system";
}

export const themeStore = createStore<{ mode: ColorMode }>(() => ({ mode: stored() }));

export function useColorMode(): ColorMode {
  return useStore(themeStore, (state) => state.mode);
}

/** Whether the page is dark now (the system's preference when the mode is "system"). */
export function isDark(mode: ColorMode): boolean {
  if (mode !== "system") return mode === "dark";
  return globalThis.matchMedia?.("(prefers-color-scheme: dark)").matches ?? false;
}

export function applyColorMode(mode: ColorMode): void {
  document.documentElement.classList.toggle("dark", isDark(mode));
}

/** light → dark → system → light. */
export function cycleColorMode(): void {
  const next: ColorMode = { light: "dark", dark: "system", system: "light" }[themeStore.getState().mode] as ColorMode;
  localStorage.setItem(KEY, next);
  themeStore.setState({ mode: next });
  applyColorMode(next);
}
