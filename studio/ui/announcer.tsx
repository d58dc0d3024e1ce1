/**
 * A polite live region: what the keyboard did (a step added, a connection made or refused, the
 * step the arrows moved to) is read out by screen readers and shown to tests.
 */

import { useStore } from "zustand";
import { createStore } from "zustand/vanilla";

const announcements = createStore<{ text: string }>(() => ({ text: "" }));

/** Says `text` to screen readers (and replaces what was said before). */
export function announce(text: string): void {
  announcements.setState({ text });
}

export function Announcer() {
  const text = useStore(announcements, (state) => state.text);
  return (
    <div className="visually-hidden" role="status" aria-live="polite" data-testid="announcer">
      {text}
    </div>
  );
}
