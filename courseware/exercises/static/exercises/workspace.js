// Progressive enhancement for the exercise workspace: htmx does not swap error responses by
// default, but a refused check (413 too large, 429 busy or rate-limited) carries a message the
// learner must see, so those responses are swapped into the feedback region like any other.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if ((status === 413 || status === 429 || status === 403) && event.detail.target &&
        event.detail.target.closest("#feedback, #assist, #draft-status")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
