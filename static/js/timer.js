// Counts the shared timer down in the browser. The server sends a deadline (or what is left,
// when paused) with its own clock; we correct for this clock's offset so every screen agrees.
// A soft chime plays when the time runs out, unless muted on this device.
(function () {
  "use strict";
  var MUTE_KEY = "gyakusan.muted";
  var LOW_MS = 60000;
  var renderedOffset = 0; // fallback offset from the server time the timer was rendered with
  var lastRemaining = null;
  var audio = null;

  function muted() { return localStorage.getItem(MUTE_KEY) === "1"; }

  // Browsers start audio only after a gesture on the page: make the context on the first one,
  // so that the chime can sound at zero later without any click then.
  function unlockAudio() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === "suspended") audio.resume();
    } catch (e) { /* no audio here */ }
  }
  ["pointerdown", "keydown"].forEach(function (type) {
    document.addEventListener(type, unlockAudio, { once: true, capture: true });
  });

  function offset() {
    var clock = window.GyakusanClock;
    return clock && clock.offset !== null ? clock.offset : renderedOffset;
  }

  function chime() {
    if (muted()) return;
    try {
      unlockAudio();
      [0, 0.28].forEach(function (delay, i) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        var start = audio.currentTime + delay;
        osc.type = "sine";
        osc.frequency.value = i === 0 ? 880 : 660;
        gain.gain.setValueAtTime(0.0001, start);
        gain.gain.exponentialRampToValueAtTime(0.18, start + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.9);
        osc.connect(gain).connect(audio.destination);
        osc.start(start);
        osc.stop(start + 1);
      });
    } catch (e) { /* no audio here: the red display still says it */ }
  }

  function format(ms) {
    var seconds = Math.ceil(Math.max(ms, 0) / 1000);
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }

  function remaining(el) {
    if (el.dataset.state === "running") {
      // Never more than the server said was left when it drew the timer: a clock offset
      // estimated a few milliseconds off must not show 03:01 on a three-minute timer.
      return Math.min(Number(el.dataset.endsAt) - (Date.now() + offset()), Number(el.dataset.remaining));
    }
    return Number(el.dataset.remaining);
  }

  function tick() {
    var el = document.getElementById("timer");
    if (!el) return;
    var left = remaining(el);
    var box = Number(el.dataset.box) || 1;
    el.querySelector(".timer-display").textContent = format(left);
    el.style.setProperty("--progress", Math.max(0, Math.min(100, (left / box) * 100)) + "%");
    var running = el.dataset.state === "running";
    el.classList.toggle("timer-low", running && left > 0 && left <= LOW_MS);
    el.classList.toggle("timer-done", running && left <= 0);
    if (running && lastRemaining !== null && lastRemaining > 0 && left <= 0) chime();
    lastRemaining = running ? left : null;
  }

  function readRenderedClock() {
    var el = document.getElementById("timer");
    if (el && el.dataset.serverNow) renderedOffset = Number(el.dataset.serverNow) - Date.now();
  }

  function setupMute() {
    var button = document.getElementById("mute-toggle");
    if (!button) return;
    function show() {
      var isMuted = muted();
      button.setAttribute("aria-pressed", String(isMuted));
      button.title = isMuted ? button.dataset.labelOff : button.dataset.labelOn;
    }
    button.addEventListener("click", function () {
      localStorage.setItem(MUTE_KEY, muted() ? "0" : "1");
      show();
    });
    show();
  }

  document.addEventListener("htmx:oobAfterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "timer") {
      readRenderedClock();
      tick();
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    readRenderedClock();
    setupMute();
    tick();
    setInterval(tick, 250);
  });
})();
