/**
 * The sizes of the studio's panels around the canvas: the palette (left), the properties panel
 * (right) and the run panel (bottom), the side panels collapsible, and whether the minimap shows.
 * The user's choices are kept (`readPanelChoices` reads them back, field by field); what is drawn is
 * `panelsFor(choices, viewport)`: the choices fitted to the window so that the canvas always keeps
 * at least MIN_CANVAS. On a small window (or a large browser zoom) the side panels start collapsed.
 */

export type SidePanelName = "palette" | "side";

export interface SidePanelChoice {
  readonly width: number;
  readonly collapsed: boolean;
}

export interface PanelChoices {
  readonly palette: SidePanelChoice;
  readonly side: SidePanelChoice;
  /** The run panel's height. */
  readonly runHeight: number;
  readonly minimap: boolean;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** Width of a collapsed side panel (its strip with the button that opens it). */
export const COLLAPSED_WIDTH = 28;
export const TOOLBAR_HEIGHT = 44;
/** The canvas is never squeezed below this by the panels. */
export const MIN_CANVAS: Size = { width: 240, height: 150 };
export const LIMITS = {
  palette: { min: 130, max: 360 },
  side: { min: 240, max: 760 },
  runHeight: { min: 96, max: 720 },
} as const;
/** Below this window width, side panels start collapsed. */
export const NARROW_WIDTH = 760;

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * The choices of someone who has chosen nothing, for a window of this size.
 *
 * @example
 * defaultPanelChoices({ width: 1024, height: 700 }); // palette 180, side 287, run 238 px, minimap on
 * defaultPanelChoices({ width: 512, height: 350 }).palette.collapsed; // true
 */
export function defaultPanelChoices(viewport: Size): PanelChoices {
  const narrow = viewport.width < NARROW_WIDTH;
  return {
    palette: { width: 180, collapsed: narrow },
    side: { width: clamp(Math.round(viewport.width * 0.28), 260, 400), collapsed: narrow },
    runHeight: clamp(Math.round(viewport.height * 0.34), 110, 260),
    minimap: true,
  };
}

function readSide(value: unknown, fallback: SidePanelChoice, limits: { min: number; max: number }): SidePanelChoice {
  if (typeof value !== "object" || value === null) return fallback;
  const { width, collapsed } = value as { width?: unknown; collapsed?: unknown };
  return {
    width: typeof width === "number" && Number.isFinite(width) ? clamp(Math.round(width), limits.min, limits.max) : fallback.width,
    collapsed: typeof collapsed === "boolean" ? collapsed : fallback.collapsed,
  };
}

/** Choices read back from storage (any JSON value): each well-formed field is kept, the others are the defaults. */
export function readPanelChoices(stored: unknown, viewport: Size): PanelChoices {
  const defaults = defaultPanelChoices(viewport);
  if (typeof stored !== "object" || stored === null) return defaults;
  const value = stored as Record<string, unknown>;
  const runHeight = value.runHeight;
  return {
    palette: readSide(value.palette, defaults.palette, LIMITS.palette),
    side: readSide(value.side, defaults.side, LIMITS.side),
    runHeight: typeof runHeight === "number" && Number.isFinite(runHeight) ? clamp(Math.round(runHeight), LIMITS.runHeight.min, LIMITS.runHeight.max) : defaults.runHeight,
    minimap: typeof value.minimap === "boolean" ? value.minimap : defaults.minimap,
  };
}

/** What is drawn: widths of the palette and side panel (COLLAPSED_WIDTH when collapsed) and the run panel's height, in CSS pixels. */
export interface PanelSizes {
  readonly palette: number;
  readonly side: number;
  readonly runHeight: number;
}

/**
 * The choices fitted to a window: when the side panels would leave the canvas narrower than
 * MIN_CANVAS, the properties panel gives way first, then the palette (never below their minimum);
 * the run panel leaves the canvas at least MIN_CANVAS high when it can.
 *
 * @example
 * panelsFor(defaultPanelChoices({ width: 512, height: 350 }), { width: 512, height: 350 }); // { palette: 28, side: 28, runHeight: 119 }
 */
export function panelsFor(choices: PanelChoices, viewport: Size): PanelSizes {
  let palette = choices.palette.collapsed ? COLLAPSED_WIDTH : choices.palette.width;
  let side = choices.side.collapsed ? COLLAPSED_WIDTH : choices.side.width;
  let excess = palette + side + MIN_CANVAS.width - viewport.width;
  if (excess > 0 && !choices.side.collapsed) {
    const give = Math.min(excess, side - LIMITS.side.min);
    side -= give;
    excess -= give;
  }
  if (excess > 0 && !choices.palette.collapsed) palette -= Math.min(excess, palette - LIMITS.palette.min);
  const roomForRun = viewport.height - TOOLBAR_HEIGHT - MIN_CANVAS.height;
  const runHeight = Math.max(LIMITS.runHeight.min, Math.min(choices.runHeight, roomForRun));
  return { palette, side, runHeight };
}

/** The choices with one side panel resized (and opened), within its limits. */
export function resizeSide(choices: PanelChoices, panel: SidePanelName, width: number): PanelChoices {
  const limits = LIMITS[panel];
  return { ...choices, [panel]: { width: clamp(Math.round(width), limits.min, limits.max), collapsed: false } };
}

/** The choices with one side panel collapsed or opened again (at its width). */
export function toggleSide(choices: PanelChoices, panel: SidePanelName): PanelChoices {
  return { ...choices, [panel]: { ...choices[panel], collapsed: !choices[panel].collapsed } };
}

/** The choices with the run panel at this height, within its limits. */
export function resizeRun(choices: PanelChoices, height: number): PanelChoices {
  return { ...choices, runHeight: clamp(Math.round(height), LIMITS.runHeight.min, LIMITS.runHeight.max) };
}

/**
 * The minimap's size for a canvas of this size: about a fifth of its width (100 to 200 px wide, 3:4),
 * and none at all on a canvas too small to spare the room.
 *
 * @example
 * minimapSize({ width: 1000, height: 700 }); // { width: 200, height: 150 }
 * minimapSize({ width: 450, height: 190 }); // undefined
 */
export function minimapSize(canvas: Size): Size | undefined {
  if (canvas.width < 400 || canvas.height < 260) return undefined;
  const width = clamp(Math.round(canvas.width * 0.2), 100, 200);
  return { width, height: Math.round(width * 0.75) };
}
