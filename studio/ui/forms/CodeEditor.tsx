/**
 * A CodeMirror 6 editor for a function (JavaScript, checked with the runner's own function check:
 * the error shows at its line and column as you type), for JSON values, or for items (a JSON array
 * or JSON lines: samples, list inputs). Brackets close themselves, and a closing bracket typed on
 * the blank line before the one auto-closing put there steps over it (studio/state/brackets.ts).
 * It keeps its own text undo; the studio's undo shortcuts leave it alone while it has focus.
 */

import { useEffect, useRef } from "react";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { javascript } from "@codemirror/lang-javascript";
import { bracketMatching, indentOnInput, syntaxHighlighting, defaultHighlightStyle } from "@codemirror/language";
import { linter, lintGutter, type Diagnostic } from "@codemirror/lint";
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { Compartment, EditorState, Prec } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, placeholder as placeholderExtension } from "@codemirror/view";
import { oneDark } from "@codemirror/theme-one-dark";
import { checkFunctionSource } from "../../../engine/host/index.js";
import { findJsonSyntaxError } from "../../../engine/host/index.js";
import { typeOverClosing } from "../../state/brackets.js";
import { parseItems } from "../../state/sampleItems.js";
import { isDark } from "../theme.js";
import { useColorMode } from "../theme.js";

export type CodeLanguage = "function" | "json" | "items";

export interface CodeEditorProps {
  value: string;
  onChange: (text: string) => void;
  language: CodeLanguage;
  label: string;
  testId?: string;
  placeholder?: string;
}

function positionOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf("\n", offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(text.length, offset + Math.max(0, column - 1));
}

/** A closing bracket typed before the one auto-closing left on the next line steps over it. */
const typeOverClosingBracket = Prec.high(
  EditorView.inputHandler.of((view, from, to, text) => {
    if (from !== to || view.state.selection.ranges.length !== 1 || !")]}".includes(text) || text.length !== 1) return false;
    const over = typeOverClosing(view.state.doc.toString(), from, text);
    if (!over) return false;
    view.dispatch({ changes: { from: over.deleteFrom, to: over.deleteTo }, selection: { anchor: over.cursor }, scrollIntoView: true, userEvent: "input.type" });
    return true;
  }),
);

function diagnose(language: CodeLanguage, text: string): Diagnostic[] {
  if (language === "function") {
    const check = checkFunctionSource(text);
    if (check.ok) return [];
    const from = positionOf(text, check.line ?? 1, check.column ?? 1);
    return [{ from, to: Math.min(text.length, from + 1), severity: "error", message: check.message ?? "not a function" }];
  }
  if (language === "items") {
    const parsed = parseItems(text);
    if (parsed.ok) return [];
    const from = positionOf(text, parsed.line, parsed.column);
    return [{ from, to: Math.min(text.length, from + 1), severity: "error", message: parsed.message }];
  }
  try {
    JSON.parse(text);
    return [];
  } catch (error) {
    const found = findJsonSyntaxError(text);
    const from = Math.min(text.length, found?.offset ?? 0);
    return [{ from, to: Math.min(text.length, from + 1), severity: "error", message: found?.message ?? String(error) }];
  }
}

export function CodeEditor({ value, onChange, language, label, testId, placeholder }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const theme = useRef(new Compartment());
  /** True while the text is replaced from outside (undo, another panel), which is not an edit. */
  const syncing = useRef(false);
  const dark = isDark(useColorMode());

  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          history(),
          indentOnInput(),
          bracketMatching(),
          closeBrackets(),
          typeOverClosingBracket,
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          ...(language === "items" ? [] : [javascript()]),
          lintGutter(),
          linter((v) => diagnose(language, v.state.doc.toString()), { delay: 250 }),
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ "aria-label": label, ...(testId !== undefined && { "data-testid": testId }) }),
          ...(placeholder !== undefined ? [placeholderExtension(placeholder)] : []),
          theme.current.of(dark ? oneDark : []),
          EditorView.updateListener.of((update) => {
            if (update.docChanged && !syncing.current) onChangeRef.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor is created once per field; value changes from outside are applied below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [language]);

  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      syncing.current = true;
      try {
        editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
      } finally {
        syncing.current = false;
      }
    }
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: theme.current.reconfigure(dark ? oneDark : []) });
  }, [dark]);

  return <div className="code-field" ref={host} />;
}
