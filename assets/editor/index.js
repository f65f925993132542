// The exercise editor enhancement: each textarea.code-editor becomes a CodeMirror 6 editor when JavaScript runs.
// The textarea stays in the form (hidden) and is kept in sync, so the form, htmx and the draft autosave work as
// before; without JavaScript the textarea is the editor. Built by `make assets` into static/js/editor.js.
import { indentWithTab } from "@codemirror/commands";
import { json } from "@codemirror/lang-json";
import { python } from "@codemirror/lang-python";
import { yaml } from "@codemirror/lang-yaml";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { setDiagnostics } from "@codemirror/lint";
import { EditorView, keymap } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { hcl } from "codemirror-lang-hcl";
import { tags as t } from "@lezer/highlight";

const views = new Map(); // textarea id -> EditorView

// Token colours from the site's palette, which passes WCAG AA in the light and the dark scheme alike
// (CodeMirror's default colours do not on a dark background).
const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.operatorKeyword, t.bool, t.null, t.atom], color: "var(--accent)" },
  { tag: [t.propertyName, t.definition(t.propertyName), t.attributeName], color: "var(--fg)", fontWeight: "600" },
  { tag: [t.string, t.special(t.string), t.regexp], color: "var(--warn)" },
  { tag: [t.number, t.integer, t.float], color: "var(--accent)" },
  { tag: [t.comment, t.lineComment, t.blockComment], color: "var(--muted)", fontStyle: "italic" },
  { tag: [t.typeName, t.className, t.tagName, t.labelName, t.function(t.variableName)], color: "var(--accent)" },
  { tag: t.invalid, color: "var(--bad)" },
]);

// The site's colours (custom properties inherit into the shadow root), light and dark alike.
const theme = EditorView.theme({
  "&": {
    border: "1px solid var(--muted)",
    borderRadius: "var(--radius)",
    minHeight: "18rem",
    maxHeight: "70vh",
    fontSize: ".9rem",
    background: "var(--bg)",
    color: "var(--fg)",
  },
  "&.cm-focused": { outline: "3px solid var(--focus)", outlineOffset: "1px" },
  ".cm-scroller": { fontFamily: "var(--mono)", lineHeight: "1.5" },
  ".cm-gutters": { background: "var(--surface)", color: "var(--muted)", borderRight: "1px solid var(--border)" },
  ".cm-activeLine": { background: "color-mix(in srgb, var(--accent) 5%, transparent)" },
  ".cm-activeLineGutter": { background: "color-mix(in srgb, var(--accent) 14%, transparent)", color: "var(--fg)" },
  ".cm-cursor": { borderLeftColor: "var(--fg)" },
});

function languageFor(path) {
  if (/\.ya?ml$/i.test(path)) return [yaml()];
  if (/\.json$/i.test(path)) return [json()];
  if (/\.(tf|hcl)$/i.test(path)) return [hcl()];
  if (/\.py$/i.test(path)) return [python()];
  return [];
}

function enhance(textarea) {
  if (views.has(textarea.id)) return;
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  const path = label ? label.textContent.trim() : "";
  const container = textarea.closest(".editor") || textarea.parentElement;
  const host = document.createElement("div");
  host.className = "cm-host";
  container.after(host);
  // Inside a shadow root CodeMirror's styles go into a constructed style sheet, not a <style> element, so the
  // page's Content-Security-Policy (style-src 'self', no inline styles) stays as it is.
  const root = host.attachShadow({ mode: "open" });
  const view = new EditorView({
    root,
    parent: root,
    doc: textarea.value,
    extensions: [
      basicSetup,
      theme,
      syntaxHighlighting(highlight),
      keymap.of([indentWithTab]),
      ...languageFor(path),
      EditorView.contentAttributes.of({
        "aria-label": path ? `Editor for ${path}` : "Code editor",
        "aria-describedby": "editor-help",
        tabindex: "0", // already in the tab order as contenteditable; said explicitly so checkers see it too
      }),
      EditorView.updateListener.of((update) => {
        if (!update.docChanged) return;
        textarea.value = update.state.doc.toString();
        textarea.dispatchEvent(new Event("input", { bubbles: true }));
      }),
    ],
  });
  container.hidden = true; // the textarea stays in the form and is submitted as before
  views.set(textarea.id, view);
}

// The last check's findings, read from the feedback, become diagnostics at their lines.
function showFindings() {
  views.forEach((view, id) => {
    const index = id.replace(/^file-/, "");
    const section = document.getElementById(`result-file-${index}`);
    const diagnostics = [];
    if (section) {
      section.querySelectorAll(".finding").forEach((finding) => {
        const link = finding.querySelector('a[href*="-L-"]');
        const line = link ? parseInt(link.getAttribute("href").split("-L-").pop(), 10) : NaN;
        if (!line || line > view.state.doc.lines) return;
        const at = view.state.doc.line(line);
        const severity = finding.classList.contains("severity-error-border") ? "error" : "warning";
        const message = Array.from(finding.querySelectorAll("p")).slice(1).map((p) => p.textContent.trim()).join(" ");
        diagnostics.push({ from: at.from, to: at.to, severity, message });
      });
    }
    view.dispatch(setDiagnostics(view.state, diagnostics));
  });
}

// "Line N" links in the feedback move the cursor to that line of the editor.
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[href*="-L-"]') : null;
  if (!link) return;
  const match = /^#result-file-(\d+)-L-(\d+)$/.exec(link.getAttribute("href") || "");
  const view = match && views.get(`file-${match[1]}`);
  if (!view) return;
  const number = Math.min(parseInt(match[2], 10), view.state.doc.lines);
  const line = view.state.doc.line(number);
  event.preventDefault();
  view.dispatch({ selection: { anchor: line.from }, effects: EditorView.scrollIntoView(line.from, { y: "center" }) });
  view.focus();
});

function init() {
  document.querySelectorAll("textarea.code-editor").forEach(enhance);
  showFindings();
}

document.addEventListener("DOMContentLoaded", init);
document.addEventListener("htmx:afterSettle", init);
