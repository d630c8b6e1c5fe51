// The code editor of code exercises: CodeMirror 6 with Python highlighting, loaded only when a
// page shows a code exercise. Tab is left to the browser, so the keyboard can always leave the
// editor (indent with Ctrl+] / Ctrl+[ or spaces; Enter keeps the indentation).
import { basicSetup, EditorView } from "codemirror";
import { python } from "@codemirror/lang-python";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { keymap } from "@codemirror/view";
import { tags as t } from "@lezer/highlight";

// Python in the colours of the site's code blocks (Material's --md-code-hl-* variables, which
// change with the colour scheme and read at 4.5:1 or more in both), not CodeMirror's own light
// ones, which are unreadable on the dark scheme.
const siteColours = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword, t.operatorKeyword, t.modifier],
    color: "var(--md-code-hl-keyword-color)" },
  { tag: [t.string, t.special(t.string), t.escape], color: "var(--md-code-hl-string-color)" },
  { tag: [t.number, t.bool, t.null], color: "var(--md-code-hl-number-color)" },
  { tag: [t.comment, t.lineComment], color: "var(--md-code-hl-comment-color)", fontStyle: "italic" },
  { tag: [t.function(t.variableName), t.function(t.propertyName), t.function(t.definition(t.variableName)),
          t.definition(t.className)], color: "var(--md-code-hl-function-color)" },
  { tag: [t.operator, t.arithmeticOperator, t.compareOperator, t.bitwiseOperator, t.updateOperator,
          t.definitionOperator, t.derefOperator], color: "var(--md-code-hl-operator-color)" },
  { tag: [t.punctuation, t.separator, t.paren, t.squareBracket, t.brace], color: "var(--md-code-hl-punctuation-color)" },
  { tag: t.meta, color: "var(--md-code-hl-special-color)" },
]);

/** An editor in `parent` holding `doc`; Ctrl/Cmd+Enter calls `onSubmit`. */
export function createEditor(parent, doc, { label, describedBy, onSubmit }) {
  const view = new EditorView({
    parent,
    doc,
    extensions: [
      keymap.of([{ key: "Mod-Enter", run: () => { onSubmit(); return true; } }]),
      basicSetup,
      python(),
      syntaxHighlighting(siteColours), // wins over basicSetup's default style, a fallback only
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ "aria-label": label, "aria-describedby": describedBy }),
    ],
  });
  return {
    get value() { return view.state.doc.toString(); },
    set value(text) { view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }); },
    focus() { view.focus(); },
  };
}
