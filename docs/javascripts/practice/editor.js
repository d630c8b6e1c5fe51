// The code editor of code exercises: CodeMirror 6 with Python highlighting, loaded only when a
// page shows a code exercise. Tab is left to the browser, so the keyboard can always leave the
// editor (indent with Ctrl+] / Ctrl+[ or spaces; Enter keeps the indentation).
import { basicSetup, EditorView } from "codemirror";
import { python } from "@codemirror/lang-python";
import { keymap } from "@codemirror/view";

/** An editor in `parent` holding `doc`; Ctrl/Cmd+Enter calls `onSubmit`. */
export function createEditor(parent, doc, { label, describedBy, onSubmit }) {
  const view = new EditorView({
    parent,
    doc,
    extensions: [
      keymap.of([{ key: "Mod-Enter", run: () => { onSubmit(); return true; } }]),
      basicSetup,
      python(),
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
