// One htmx error convention for the whole site (the htmx-config meta tag in base.html decides what swaps):
//   2xx                      the answer, swapped into the target;
//   409 413 422 429          refused (too late, too large, unreadable, too many or busy): the server sends the
//                            fragment that says why, with what the learner typed, and it is swapped like 2xx;
//   any other status         nothing is swapped; this script says what failed next to the form (or element)
//   and no connection        that sent the request, and that the learner's input is still there, since the
//                            page was not changed. The message goes when a later request from it succeeds.
(function () {
  "use strict";
  var CLASS = "request-error";

  function anchor(elt) {
    return (elt && elt.closest && elt.closest("form")) || elt;
  }

  function messageFor(anchorElt, create) {
    var next = anchorElt && anchorElt.nextElementSibling;
    if (next && next.classList.contains(CLASS)) return next;
    if (!create || !anchorElt || !anchorElt.parentNode) return null;
    var box = document.createElement("p");
    box.className = CLASS;
    box.setAttribute("role", "alert");
    anchorElt.insertAdjacentElement("afterend", box);
    return box;
  }

  function describe(xhr) {
    var status = xhr ? xhr.status : 0;
    var retry = xhr && parseInt(xhr.getResponseHeader("Retry-After") || "", 10);
    var kept = " Nothing was changed and what you entered is still here.";
    if (!status) return "The server could not be reached (no connection)." + kept + " Try again when you are back online.";
    if (status === 503) {
      return "The server is unavailable for a moment (HTTP 503)." + kept +
        (retry > 0 ? " Try again in " + retry + " seconds." : " Try again shortly.");
    }
    if (status === 400) return "The server could not read what was sent (it may be too large)." + kept;
    if (status === 403) return "This was refused (HTTP 403): your session may have expired. Reload the page, then try again.";
    if (status === 404) return "This is no longer available (HTTP 404). Reload the page.";
    if (status >= 500) return "Something went wrong on the server (HTTP " + status + ")." + kept + " Please try again.";
    return "The server could not accept this (HTTP " + status + ")." + kept;
  }

  function show(event) {
    var target = anchor(event.detail.elt);
    var box = messageFor(target, true);
    if (box) box.textContent = describe(event.detail.xhr);
  }

  document.addEventListener("htmx:responseError", show);
  document.addEventListener("htmx:sendError", show);
  document.addEventListener("htmx:timeout", show);
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.successful) return;
    var box = messageFor(anchor(event.detail.elt), false);
    if (box) box.remove();
  });
})();
