// Live PC grid for the front desk: a Server-Sent Events notice whenever a PC changes, then the
// rows are fetched again (rendered by the server, so escaping and forms stay in one place).
// Time left counts down every second between notices. Without this script the page refreshes.
/* global EventSource, fetch */
(function () {
  "use strict";
  var table = document.querySelector("table[data-live]");
  var body = document.getElementById("pc-rows");
  if (!table || !body || typeof EventSource === "undefined") return;
  var offset = Date.parse(table.getAttribute("data-now")) - Date.now();
  var template = body.getAttribute("data-minutes") || "{m}";
  var busy = false;
  var again = false;
  function editing() {
    var a = document.activeElement;
    return a && body.contains(a) && (a.tagName === "INPUT" || a.tagName === "SELECT") && a.value;
  }
  function reload() {
    if (busy) {
      again = true;
      return;
    }
    if (editing()) {
      again = true;
      return;
    }
    busy = true;
    fetch("/staff/pcs/grid", { credentials: "same-origin" })
      .then(function (r) {
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (html !== null) body.innerHTML = html;
        tick();
      })
      .finally(function () {
        busy = false;
        if (again) {
          again = false;
          setTimeout(reload, 200);
        }
      });
  }
  function tick() {
    var now = Date.now() + offset;
    var cells = body.querySelectorAll("[data-ends]");
    for (var i = 0; i < cells.length; i++) {
      var left = Math.max(0, Math.ceil((Date.parse(cells[i].getAttribute("data-ends")) - now) / 60000));
      cells[i].textContent = template.replace("{m}", String(left));
    }
  }
  var source = new EventSource(table.getAttribute("data-live"));
  source.addEventListener("change", function (e) {
    try {
      offset = Date.parse(JSON.parse(e.data).now) - Date.now();
    } catch {
      /* keep the old offset */
    }
    reload();
  });
  setInterval(tick, 1000);
  document.addEventListener("focusout", function () {
    if (again) setTimeout(reload, 300);
  });
})();
