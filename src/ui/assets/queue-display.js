/* global fetch */
// The queue's TV display: asks the server for the latest calls every 2 seconds, redraws the page
// without reloading and plays a short chime (Web Audio, no sound file) when a new ticket is
// called. Without this script the page reloads itself every 5 seconds (a <noscript> refresh).
(function () {
  "use strict";
  var root = document.getElementById("queue-display");
  if (!root || !window.fetch) return;
  var feed = root.getAttribute("data-feed");
  var version = root.getAttribute("data-version") || "";
  var soundButton = document.getElementById("queue-sound");
  var AudioCtx = window.AudioContext || window.webkitAudioContext;
  var audio = null;
  var chimes = 0;
  var POLL_MS = 2000;

  function byId(id) {
    return document.getElementById(id);
  }

  function setText(id, text) {
    var el = byId(id);
    if (el && el.textContent !== text) el.textContent = text;
  }

  // Browsers start sound only after someone touches the page (a kiosk started with an autoplay
  // flag needs nobody): until then a button offers to turn it on.
  function startAudio() {
    if (!AudioCtx) return;
    try {
      if (!audio) audio = new AudioCtx();
      if (audio.state === "suspended") audio.resume().then(showSoundButton, showSoundButton);
    } catch {
      audio = null;
    }
    showSoundButton();
  }

  function showSoundButton() {
    if (!soundButton) return;
    soundButton.hidden = !!audio && audio.state === "running";
  }

  function chime() {
    chimes += 1;
    root.setAttribute("data-chimes", String(chimes));
    if (!audio || audio.state !== "running") return;
    var now = audio.currentTime;
    // Two falling tones, like a station's "ding-dong".
    [
      [880, 0],
      [659.25, 0.32],
    ].forEach(function (tone) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = tone[0];
      gain.gain.setValueAtTime(0.0001, now + tone[1]);
      gain.gain.exponentialRampToValueAtTime(0.4, now + tone[1] + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + tone[1] + 0.6);
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start(now + tone[1]);
      osc.stop(now + tone[1] + 0.65);
    });
  }

  function render(data) {
    setText("queue-now-number", String(data.now.number));
    setText("queue-now-pc", data.now.pc);
    setText("queue-now-ur", data.now.ur);
    setText("queue-now-en", data.now.en);
    var list = byId("queue-calls");
    if (list) {
      var items = document.createDocumentFragment();
      data.calls.forEach(function (c) {
        var li = document.createElement("li");
        li.className = c.active ? "active" : "done";
        var num = document.createElement("span");
        num.className = "num";
        num.textContent = String(c.number);
        var pc = document.createElement("span");
        pc.className = "pc";
        pc.textContent = c.pc;
        li.appendChild(num);
        li.appendChild(pc);
        li.title = c.ur + " · " + c.en;
        items.appendChild(li);
      });
      list.textContent = "";
      list.appendChild(items);
    }
    var waiting = byId("queue-waiting");
    if (waiting) {
      var spans = waiting.getElementsByTagName("span");
      if (spans.length >= 2) {
        if (spans[0].textContent !== data.waiting_text.ur) spans[0].textContent = data.waiting_text.ur;
        if (spans[1].textContent !== data.waiting_text.en) spans[1].textContent = data.waiting_text.en;
      }
    }
  }

  function poll() {
    fetch(feed, { headers: { accept: "application/json" }, cache: "no-store", credentials: "same-origin" })
      .then(function (res) {
        return res.ok ? res.json() : null;
      })
      .then(function (data) {
        if (!data) return;
        var isNew = data.version && data.version !== version;
        version = data.version;
        root.setAttribute("data-version", version);
        render(data);
        if (isNew && data.calls.length && data.calls[0].active) chime();
      })
      .catch(function () {
        /* the network came and went: the next poll tries again */
      })
      .then(function () {
        window.setTimeout(poll, POLL_MS);
      });
  }

  if (soundButton) {
    soundButton.hidden = false;
    soundButton.addEventListener("click", startAudio);
  }
  document.addEventListener("keydown", startAudio);
  document.addEventListener("pointerdown", startAudio);
  window.setTimeout(poll, POLL_MS);
})();
