// Live sessions: conditional polling, a local countdown display and the host's keyboard shortcuts. The server
// is the authority: it enforces every deadline and refuses illegal actions; this file only saves bandwidth,
// ticks the seconds between polls and turns a key into a click.
(function () {
  "use strict";
  // Send the fragment's ETag back so an unchanged session costs a 304 with no body.
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (event.detail.verb === "get" && elt && elt.dataset && elt.dataset.etag) {
      event.detail.headers["If-None-Match"] = elt.dataset.etag;
    }
  });
  // A 304 means "nothing changed": keep the page (and whatever the learner is typing) as it is. Refusals (409,
  // 422, 429) and failures follow the site's one error convention (base.html's htmx-config, js/errors.js).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.status === 304) {
      event.detail.shouldSwap = false;
      event.detail.isError = false;
    }
  });
  // A button pressed while a poll is in flight must win without aborting the poll (htmx logs every abort as
  // an error): no poll starts while an action is in flight, and a poll that started before the latest action
  // is not swapped in (its state is older than the action's answer).
  var actionsInFlight = 0, actions = 0;
  function isPoll(detail) {
    return detail.requestConfig && detail.requestConfig.verb === "get" && detail.elt && detail.elt.id === "live-stage";
  }
  function isAction(detail) {
    return detail.requestConfig && detail.requestConfig.verb === "post" && detail.elt && detail.elt.closest &&
      detail.elt.closest("#live-stage");
  }
  // Requests are told apart by their xhr: after an outerHTML swap htmx fires afterRequest on <body>.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var detail = event.detail;
    if (!detail.xhr) return;
    if (isPoll(detail)) {
      if (actionsInFlight) event.preventDefault();
      else detail.xhr.liveActionsSeen = actions;
    } else if (isAction(detail)) {
      detail.xhr.liveAction = true;
      actionsInFlight += 1;
      actions += 1;
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.xhr && event.detail.xhr.liveAction) actionsInFlight = Math.max(0, actionsInFlight - 1);
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.liveActionsSeen !== undefined && (actionsInFlight || xhr.liveActionsSeen !== actions)) {
      event.detail.shouldSwap = false;
    }
  });
  var started = Date.now();
  function stamp() {
    started = Date.now();
    document.querySelectorAll("[data-seconds-left]").forEach(function (el) {
      el.dataset.startLeft = el.dataset.secondsLeft;
    });
  }
  function tick() {
    var paused = document.querySelector(".live-stage.state-paused");
    document.querySelectorAll("[data-seconds-left]").forEach(function (el) {
      if (paused) return;
      var base = parseInt(el.dataset.startLeft || el.dataset.secondsLeft, 10);
      if (isNaN(base)) return;
      var left = Math.max(0, base - Math.floor((Date.now() - started) / 1000));
      el.textContent = left + " s";
      el.classList.toggle("live-urgent", left <= 5);
    });
  }
  // The host's keyboard shortcuts: a letter clicks the button that carries it (aria-keyshortcuts), so only the
  // actions legal in the current state can fire, exactly as if the host had clicked. Never while typing, never
  // with a modifier (the browser's own shortcuts), never a held key's repeats, never while an action is on its way
  // (two quick presses of N must not skip a question).
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.repeat || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var key = (event.key || "").toLowerCase();
    if (!/^[a-z]$/.test(key) || actionsInFlight) return;
    var stage = document.querySelector("#live-stage[data-shortcuts]");
    var button = stage && stage.querySelector('.live-controls button[aria-keyshortcuts="' + key + '"]');
    if (!button || button.disabled) return;
    event.preventDefault();
    button.click();
  });
  // On the projector's reveal, bring the footgun's line into view inside the code's own scrolling region.
  function showKeyLine() {
    document.querySelectorAll(".live-code-region").forEach(function (region) {
      var line = region.querySelector(".is-key");
      if (!line) return;
      var top = line.getBoundingClientRect().top - region.getBoundingClientRect().top + region.scrollTop;
      region.scrollTop = Math.max(0, top - region.clientHeight / 3);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    stamp();
    showKeyLine();
    window.setInterval(tick, 250);
  });
  document.addEventListener("htmx:afterSettle", function () {
    stamp();
    showKeyLine();
  });
})();
