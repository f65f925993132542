// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Code editors: Tab inserts two spaces; Escape then Tab leaves the field, so focus is never trapped.
  var escaped = new WeakSet();
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (!(el instanceof HTMLTextAreaElement) || !el.classList.contains("code-editor")) return;
    if (event.key === "Escape") { escaped.add(el); return; }
    if (event.key !== "Tab" || event.shiftKey || event.ctrlKey || event.altKey || event.metaKey) return;
    if (escaped.has(el)) { escaped.delete(el); return; }
    event.preventDefault();
    var start = el.selectionStart, end = el.selectionEnd;
    el.setRangeText("  ", start, end, "end");
    el.dispatchEvent(new Event("input", { bubbles: true }));
  });
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (el instanceof HTMLTextAreaElement && el.classList.contains("code-editor")) updateGutter(el);
  });
  document.addEventListener("scroll", function (event) {
    var el = event.target;
    if (el instanceof HTMLTextAreaElement && el.classList.contains("code-editor")) {
      var gutter = document.getElementById(el.id + "-gutter");
      if (gutter) gutter.scrollTop = el.scrollTop;
    }
  }, true);
  function updateGutter(el) {
    var gutter = document.getElementById(el.id + "-gutter");
    if (!gutter) return;
    var lines = el.value.split("\n").length, out = [];
    for (var i = 1; i <= lines; i++) out.push(i);
    gutter.textContent = out.join("\n");
  }
  function init() {
    document.querySelectorAll("textarea.code-editor").forEach(updateGutter);
  }
  // A page that is one step of a sequence (the next question, the results) starts at its heading, not at the
  // site menu. Not the `autofocus` attribute: Chromium defers it and may apply it after an htmx swap has
  // already moved focus to the feedback.
  document.addEventListener("DOMContentLoaded", function () {
    var heading = document.querySelector("h1[data-step-heading]");
    if (heading && (!document.activeElement || document.activeElement === document.body)) heading.focus();
  });
  document.addEventListener("DOMContentLoaded", init);
  // Copy buttons (join code and link): shown only where the clipboard can be written; the text stays selectable.
  document.addEventListener("DOMContentLoaded", function () {
    if (!navigator.clipboard) return;
    document.querySelectorAll("button.copy-button[data-copy]").forEach(function (button) {
      button.hidden = false;
    });
  });
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("button.copy-button[data-copy]") : null;
    if (!button) return;
    var source = document.querySelector(button.dataset.copy);
    var status = document.getElementById("copy-status");
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      if (status) status.textContent = "Copied: " + source.textContent.trim();
    }, function () {
      if (status) status.textContent = "Copying failed: select the text and copy it by hand.";
    });
  });
  document.addEventListener("htmx:afterSettle", init);
})();
