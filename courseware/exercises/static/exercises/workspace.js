// Progressive enhancement for the exercise workspace. Failed requests are explained by js/errors.js (site-wide).
(function () {
  "use strict";
  // The Check button is disabled while the check runs, so focus would fall to <body>: move it to the
  // result instead (the live region announces the verdict).
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "feedback") target.focus({ preventScroll: false });
  });
})();
