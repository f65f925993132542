// Progressive enhancement for the exercise workspace.
(function () {
  "use strict";
  // htmx does not swap error responses by default, but a refused check (413 too large, 429 busy or
  // rate-limited, 403 locked) carries a message the learner must see: swap it like any other answer.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if ((status === 413 || status === 429 || status === 403) && event.detail.target &&
        event.detail.target.closest("#feedback, #assist, #draft-status")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // Any other failure of a check (a request too large for the server to read, a server error, no
  // network) must not pass silently: say so. The learner's text stays in the editor either way.
  function explain(target, text) {
    if (!target || target.id !== "feedback") return;
    var message = document.createElement("p");
    message.className = "feedback wrong";
    message.setAttribute("role", "alert");
    message.textContent = text;
    target.replaceChildren(message);
    target.focus();
  }
  // The Check button is disabled while the check runs, so focus would fall to <body>: move it to the
  // result instead (the live region announces the verdict).
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "feedback") target.focus({ preventScroll: false });
  });
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    if (status === 413 || status === 429 || status === 403) return;
    explain(event.detail.target, status === 400
      ? "The server could not read your files (they may be too large). Your text is still in the editor."
      : "The check failed on the server (HTTP " + status + "). Your text is still in the editor; please try again.");
  });
  document.addEventListener("htmx:sendError", function (event) {
    explain(event.detail.target, "The server could not be reached. Your text is still in the editor; please try again.");
  });
})();
