/* Refreshes document status badges until every document shown is indexed or failed.
 * Elements: [data-status-url] with data-current-status; data-reload-when-final reloads the page
 * (the document page then shows its text or failure reason). No inline script: CSP forbids it. */
(function () {
  "use strict";

  var FINAL = { indexed: true, failed: true };
  var FIRST_DELAY_MS = 2000;
  var MAX_DELAY_MS = 15000;
  var GIVE_UP_AFTER_MS = 30 * 60 * 1000;
  var started = Date.now();
  var delay = FIRST_DELAY_MS;

  function pending() {
    var all = document.querySelectorAll("[data-status-url]");
    return Array.prototype.filter.call(all, function (el) {
      return !FINAL[el.getAttribute("data-current-status")];
    });
  }

  function show(el, data) {
    var badge = el.querySelector(".badge");
    if (badge) {
      badge.className = "badge badge-" + data.status;
      badge.setAttribute("data-status", data.status);
      badge.textContent = data.label;
    }
    el.setAttribute("data-current-status", data.status);
    var row = el.closest("tr");
    var pages = row && row.querySelector('[data-field="page_count"]');
    if (pages && data.page_count !== null && data.page_count !== undefined) {
      pages.textContent = Number(data.page_count).toLocaleString("zh-CN");
    }
  }

  function check(el) {
    return fetch(el.getAttribute("data-status-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      cache: "no-store"
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return false; }
        var changed = data.status !== el.getAttribute("data-current-status");
        if (changed) { show(el, data); }
        return Boolean(data.final && el.hasAttribute("data-reload-when-final"));
      })
      .catch(function () { return false; });
  }

  function poll() {
    var waiting = pending();
    if (!waiting.length || Date.now() - started > GIVE_UP_AFTER_MS) { return; }
    Promise.all(waiting.map(check)).then(function (reloads) {
      if (reloads.indexOf(true) !== -1) {
        window.location.reload();
        return;
      }
      delay = Math.min(Math.round(delay * 1.5), MAX_DELAY_MS);
      window.setTimeout(poll, delay);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (pending().length) { window.setTimeout(poll, FIRST_DELAY_MS); }
  });
})();
