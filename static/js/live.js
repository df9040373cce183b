// Keeps a room in step with the server. htmx's ws extension does the swapping; this file adds
// what attributes cannot: the sequence check (a gap asks for a snapshot), heartbeats and a
// watchdog, reconnecting after any close (soon, then every 1–2 s), and the "reconnecting…" state.
(function () {
  "use strict";
  // A participant's heartbeat keeps them online: the server counts a presence unrefreshed for
  // 25 s as offline (PRESENCE_TIMEOUT_SECONDS), two beats and more. The console's and the
  // projector's beats sweep the room for participants whose server died (they cannot say
  // goodbye), so they beat more often: such a participant is shown offline within 30 s.
  var SWEEPS = !document.body.classList.contains("room-participant");
  var PING_EVERY_MS = SWEEPS ? 4000 : 10000;
  // A ping unanswered for this long means the socket is dead. Measured from the ping, not from
  // the last frame: a hidden tab's timers may run late, and that is not death.
  var PONG_LIMIT_MS = 10000;
  // A snapshot asked for and not here after this long: the socket is unwell, and a new one
  // starts with a snapshot. Never a second resync meanwhile: the server renders one per socket
  // at a time and drops the others, so asking again would only cost it.
  var RESYNC_PATIENCE_MS = 10000;
  var FORBIDDEN = 4403;             // the server refuses this browser for good
  var SELF_RETRY = [1006, 1011, 1012, 1013]; // the extension retries these by itself
  // The extension's own backoff ("full-jitter") doubles up to 64 s: a server restarted after
  // ten seconds was seen up to a minute later. A failed attempt costs a closed port nothing,
  // so retry soon, then every 1–2 s for as long as it takes; the jitter spreads a room that
  // lost its server at once over a second instead of one burst.
  var RETRY_FIRST_MS = 250;
  var RETRY_CAP_MS = 2000;

  var lastSeq = 0;
  var lastPrivateSeq = 0; // this participant's own view of a private board, pushed alone
  var socket = null;   // the current raw WebSocket
  var wrapper = null;  // the extension's socket interface (send, reconnect)
  var lastHeard = Date.now();
  var resyncPending = false;
  var resyncTimer = null;
  var pingSentAt = 0;
  var beatTimer = null;
  var watchdogTimer = null;
  var bestRoundTrip = Infinity;
  var offline = !navigator.onLine;
  var retryTimer = null;

  // The sequence number the page was rendered at.
  var marker = document.getElementById("live-seq");
  if (marker) lastSeq = Number(marker.dataset.seq || 0);

  // Shared with timer.js: server clock minus this clock, in ms (from the best heartbeat).
  window.GyakusanClock = { offset: null };

  // The extension reads this at every retry (retryCount is 0 after each open socket).
  htmx.config.wsReconnectDelay = function (retryCount) {
    var ceiling = Math.min(RETRY_CAP_MS, RETRY_FIRST_MS * Math.pow(2, retryCount));
    return ceiling / 2 + Math.random() * ceiling / 2;
  };

  // Keep hold of the raw socket so that we can close it when the network goes away.
  htmx.createWebSocket = function (url) {
    socket = new WebSocket(url, []);
    socket.binaryType = htmx.config.wsBinaryType;
    return socket;
  };

  function setState(state) {
    document.body.dataset.connection = state;
    var badge = document.getElementById("connection");
    if (badge) badge.dataset.state = state;
  }

  // "Connecting…" only before the page was first online: a page that lost its socket says
  // "Reconnecting…" (and shows its banner) until it is back, not again at every retry.
  function connecting() {
    if (document.body.dataset.connection !== "offline") setState("connecting");
  }

  function send(payload) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(payload));
  }

  function awaitingPong() {
    return pingSentAt > lastHeard && Date.now() - pingSentAt > PONG_LIMIT_MS;
  }

  function ping() {
    pingSentAt = Date.now();
    send({ type: "ping" });
    clearTimeout(watchdogTimer);
    watchdogTimer = setTimeout(watchdog, PONG_LIMIT_MS);
  }

  // A dead connection can take a minute to report its close: do not wait for it.
  function watchdog() {
    if (!socket || socket.readyState !== WebSocket.OPEN) return; // its close is on its way
    if (lastHeard >= pingSentAt) return; // answered: a timer that ran late is no death
    setState("offline");
    lastHeard = Date.now();
    reconnect(true);
  }

  // The next heartbeat is timed from the answer to the last one: a message event, not a timer.
  // Chrome runs a hidden tab's timers once a minute (after 5 minutes hidden, or sooner) only
  // when each was set from another timer's callback, five deep; these never are, so a laptop
  // with the room in a background tab stays online. Jittered, so that a room that reconnected
  // at once does not beat in step.
  function nextBeat() {
    clearTimeout(beatTimer);
    beatTimer = setTimeout(ping, PING_EVERY_MS * (0.9 + 0.2 * Math.random()));
  }

  function askForSnapshot() {
    if (resyncPending || !socket || socket.readyState !== WebSocket.OPEN) return;
    resyncPending = true;
    send({ type: "resync" });
    clearTimeout(resyncTimer);
    resyncTimer = setTimeout(function () {
      if (resyncPending) reconnect(true);
    }, RESYNC_PATIENCE_MS);
  }

  function snapshotSettled() {
    resyncPending = false;
    clearTimeout(resyncTimer);
  }

  function reconnect(evenIfOpen) {
    clearTimeout(retryTimer);
    if (offline || !wrapper) return;
    if (!evenIfOpen && socket && socket.readyState === WebSocket.OPEN && !awaitingPong()) return;
    if (socket) {
      // The old socket may still be closing: its late close must not tear down the new one.
      socket.onclose = null;
      socket.onerror = null;
      try { socket.close(4000, "replaced"); } catch (e) { /* already closed */ }
    }
    connecting();
    wrapper.reconnect();
  }

  document.addEventListener("htmx:wsConnecting", connecting);

  document.addEventListener("htmx:wsOpen", function (event) {
    wrapper = event.detail.socketWrapper;
    snapshotSettled(); // every new socket starts with a snapshot
    lastHeard = Date.now();
    setState("online");
    clearTimeout(beatTimer); // the old socket's
    ping(); // measures the clock offset straight away, and starts the beat
  });

  document.addEventListener("htmx:wsClose", function (event) {
    var closed = event.detail.event;
    if (closed.target !== socket) return; // an old socket, already replaced
    snapshotSettled(); // its answer will not come; the next socket's snapshot will
    setState("offline");
    if (closed.code === FORBIDDEN) {
      setState("refused"); // this browser is no longer in the room: rejoin
      return;
    }
    if (SELF_RETRY.indexOf(closed.code) === -1) {
      clearTimeout(retryTimer);
      retryTimer = setTimeout(reconnect, htmx.config.wsReconnectDelay(2));
    }
  });

  // The heartbeat's answer says how far the room is. Behind it, and still behind a moment
  // later (a push may be on its way), this page stopped hearing pushes (a socket dropped from
  // its groups stays open and answers): it takes a snapshot.
  var CATCH_UP_GRACE_MS = 2000;
  function catchUpTo(latest) {
    if (latest <= lastSeq) return;
    setTimeout(function () { if (lastSeq < latest) askForSnapshot(); }, CATCH_UP_GRACE_MS);
  }

  document.addEventListener("htmx:wsBeforeMessage", function (event) {
    lastHeard = Date.now();
    var message = event.detail.message;
    if (message.indexOf('<template id="live-pong"') === 0) {
      event.preventDefault();
      var roundTrip = Date.now() - pingSentAt;
      var serverNow = Number(/data-server-now="(\d+)"/.exec(message)[1]);
      var latest = /data-seq="(\d+)"/.exec(message);
      if (latest) catchUpTo(Number(latest[1]));
      if (pingSentAt && roundTrip <= bestRoundTrip) {
        bestRoundTrip = roundTrip;
        window.GyakusanClock.offset = serverNow - (pingSentAt + roundTrip / 2);
      }
      nextBeat();
      return;
    }
    var head = /^<div id="live-seq(-private)?" data-seq="(\d+)"(?: data-from="(\d+)")?( data-snapshot)?/.exec(message);
    if (!head) return;
    var seq = Number(head[2]);
    var from = head[3] ? Number(head[3]) : seq; // a push may carry a run of events
    if (head[1]) {           // my own view of a private board
      if (seq < lastSeq || seq < lastPrivateSeq) {
        // Overtaken by a newer shared push: it may draw an older board over a newer one.
        event.preventDefault();
        askForSnapshot();
      } else {
        lastPrivateSeq = seq;
      }
      return;
    }
    if (head[4]) {           // a snapshot: the whole current state
      lastSeq = seq;
      lastPrivateSeq = seq;
      snapshotSettled();
      replayWaiting();
      return;
    }
    if (seq <= lastSeq) {    // already shown (a snapshot overtook it)
      event.preventDefault();
      return;
    }
    if (from > lastSeq + 1) { // one before it is missing: wait for it a moment
      event.preventDefault();
      waitForMissing(from, seq, message);
      return;
    }
    lastSeq = seq;
    replayWaiting();
  });

  // Pushes that came ahead of one still missing. Two servers (or two writes committed at once)
  // may deliver out of order: the missing one usually follows within milliseconds, and then
  // these are shown after it, in order. Only a push still missing after GAP_PATIENCE_MS was
  // lost: then a snapshot.
  var GAP_PATIENCE_MS = 1500;
  var waiting = [];
  var gapTimer = null;

  function waitForMissing(from, seq, message) {
    waiting.push({ from: from, seq: seq, message: message });
    if (gapTimer) return;
    gapTimer = setTimeout(function () {
      gapTimer = null;
      if (!waiting.length) return;
      waiting = [];
      askForSnapshot();
    }, GAP_PATIENCE_MS);
  }

  // Once a push is shown, the next waiting one that follows on from it goes through the
  // extension as if it had just arrived (after this message's swap is over).
  function replayWaiting() {
    if (!waiting.length) return;
    setTimeout(function () {
      waiting = waiting.filter(function (push) { return push.seq > lastSeq; });
      waiting.sort(function (a, b) { return a.from - b.from; });
      var next = waiting[0];
      if (next && next.from <= lastSeq + 1 && socket) {
        waiting.shift();
        socket.dispatchEvent(new MessageEvent("message", { data: next.message }));
      }
      if (!waiting.length) {
        clearTimeout(gapTimer);
        gapTimer = null;
      }
    }, 0);
  }

  // A push that changes one note addresses it, or its list, by id. Not there: this page is not
  // what the server thinks it is (it missed something), so it takes a snapshot. A note to
  // remove that is not there (data-gone) is already as it should be.
  document.body.addEventListener("htmx:oobErrorNoTarget", function (event) {
    var content = event.detail.content;
    if (content && content.hasAttribute && content.hasAttribute("data-change")) askForSnapshot();
  });

  // A note made again that this page already shows (its push came twice, or a reload had it):
  // it is redrawn in its place, its tools kept, not added a second time.
  document.body.addEventListener("htmx:oobBeforeSwap", function (event) {
    var fragment = event.detail.fragment;
    if (!event.detail.target.classList.contains("note-list")) return; // a note changed in place
    var made = fragment && fragment.querySelector && fragment.querySelector(":scope > .note[id]");
    if (!made || fragment.firstElementChild !== made) return;
    var shown = document.getElementById(made.id);
    if (!shown) return;
    event.detail.shouldSwap = false;
    var tools = shown.querySelector(".note-tools");
    var slot = made.querySelector(".note-tools");
    if (tools && slot) slot.replaceWith(tools);
    shown.replaceWith(made);
  });

  // A note moved to another list comes as a slot in its new place, then as the note itself,
  // swapped by id. The slot is filled with the note this page shows (moved, not redrawn: an
  // editor open in it keeps its text and, where the browser can move without detaching, its
  // focus) before the note's own swap redraws it there.
  function fillSlots() {
    var slots = document.querySelectorAll("[data-slot-for]");
    for (var i = 0; i < slots.length; i++) {
      var slot = slots[i];
      var note = document.getElementById("note-" + slot.getAttribute("data-slot-for"));
      if (!note) continue; // not on this page: see htmx:wsAfterMessage
      var list = slot.parentNode;
      try {
        if (list.moveBefore) list.moveBefore(note, slot);
        else list.insertBefore(note, slot);
      } catch (e) {
        list.insertBefore(note, slot);
      }
      slot.remove();
    }
  }
  document.body.addEventListener("htmx:oobAfterSwap", fillSlots);
  document.addEventListener("htmx:wsAfterMessage", function () {
    var unfilled = document.querySelectorAll("[data-slot-for]");
    if (!unfilled.length) return;
    // A note moved that this page never had: it missed something.
    for (var i = 0; i < unfilled.length; i++) unfilled[i].remove();
    askForSnapshot();
  });

  window.addEventListener("offline", function () {
    offline = true;
    setState("offline");
    if (socket) socket.close(4001, "offline");
  });
  window.addEventListener("online", function () {
    offline = false;
    reconnect();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && socket && socket.readyState > WebSocket.OPEN) reconnect();
  });
})();
