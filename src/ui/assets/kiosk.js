// The kiosk screens: keep the card field focused for the barcode scanner, follow the PC's state
// (so the lock screen notices a session started at the desk), and count down the time left with
// warnings at 5 and 1 minutes. Without JavaScript the pages refresh themselves.
/* global fetch */
(function () {
  "use strict";
  var root = document.querySelector("[data-kiosk]");
  if (!root) return;
  var statusUrl = root.getAttribute("data-status");
  var card = document.getElementById("f-card");
  if (card) {
    card.focus();
    document.addEventListener("click", function (e) {
      if (!e.target.closest("input, button, select")) card.focus();
    });
  }
  var state = root.getAttribute("data-state");
  var endsAt = root.getAttribute("data-ends");
  var offset = Date.parse(root.getAttribute("data-now")) - Date.now();
  var left = document.getElementById("left");
  var warn = document.getElementById("warn");
  var warned = {};
  function tick() {
    if (!endsAt || !left) return;
    var ms = Date.parse(endsAt) - (Date.now() + offset);
    var s = Math.max(0, Math.floor(ms / 1000));
    left.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    [5, 1].forEach(function (m) {
      if (ms <= m * 60000 && ms > 0 && !warned[m] && warn) {
        warned[m] = true;
        warn.hidden = false;
        warn.textContent = (warn.getAttribute("data-text") || "").replace(/\{minutes\}/g, String(m));
      }
    });
  }
  function poll() {
    fetch(statusUrl, { cache: "no-store" })
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(function (s) {
        if (!s) return;
        offset = Date.parse(s.now) - Date.now();
        if (s.state !== state) return window.location.reload();
        endsAt = s.ends_at;
      })
      .catch(function () {});
  }
  setInterval(tick, 1000);
  setInterval(poll, 3000);
  tick();
})();
