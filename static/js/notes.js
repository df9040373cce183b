// Writing and grouping notes. Three things attributes cannot do:
// 1. Enter posts a note, except while a Japanese IME is composing (Enter then confirms the
//    conversion) or with Shift (a new line).
// 2. What is being typed survives a step change, a reconnect or a reload: composers keep a
//    draft in sessionStorage, restored whenever a composer is (re)drawn, cleared once posted.
// 3. Drag and drop (SortableJS, touch too) for whoever groups a board: drop a note onto
//    another note or into a group; the "Move to…" menu on each note does the same by keyboard.
// 4. A note's controls. Pushes carry a note as everyone sees it; this page holds its controls
//    once (#note-tools) and gives them to the notes this viewer may change: their own (kind,
//    points, edit, delete) and, on a revealed board they group, every note's "Move to…".
(function () {
  "use strict";
  var DRAFT = "gyakusan.draft.";

  // --- 1. Enter posts, IME-aware ---------------------------------------------------------
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || !field.matches || !field.matches("[data-enter-submits]")) return;
    if (event.isComposing || event.keyCode === 229 || event.shiftKey) return;
    event.preventDefault();
    if (field.value.trim()) field.form.requestSubmit();
  });

  // --- Ids made here ----------------------------------------------------------------------
  // Anything created carries an id made by this browser. Boards are rendered once for
  // everyone, so the id cannot come with the form: it is minted once per draft and kept with
  // it (sessionStorage, so a reload keeps it too). Posting the same draft again, after an
  // answer that never arrived, sends the same id and the server answers with what the first
  // post made: a retry never duplicates. Only a post that went through frees the id.
  // crypto.randomUUID needs https; getRandomValues works on a LAN address too.
  var DRAFT_ID = "gyakusan.draft-id.";

  function newId() {
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 256).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20),
      hex.slice(20)].join("-");
  }

  function draftId(key) {
    var id = sessionStorage.getItem(DRAFT_ID + key);
    if (!id) {
      id = newId();
      sessionStorage.setItem(DRAFT_ID + key, id);
    }
    return id;
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    var data = event.detail.formData;
    if (form.matches && form.matches("form[data-draft]") && data && data.has("id")) {
      data.set("id", draftId(form.dataset.draft));
    }
  });

  // --- 2. Drafts ---------------------------------------------------------------------------
  // Saved on every keystroke; taken out of storage the moment a note is posted (so a redrawn
  // composer never brings back a posted text), and put back if the post did not go through.
  var posting = {};

  function fields(form) { return form.querySelectorAll("[data-draft-field]"); }

  function readForm(form) {
    var draft = {};
    fields(form).forEach(function (f) { draft[f.name] = f.type === "checkbox" ? f.checked : f.value; });
    return draft;
  }

  function fillForm(form, draft) {
    fields(form).forEach(function (f) {
      if (!(f.name in draft)) return;
      if (f.type === "checkbox") f.checked = draft[f.name];
      else if (!f.value) f.value = draft[f.name];
    });
  }

  function restoreDrafts() {
    document.querySelectorAll("form[data-draft]").forEach(function (form) {
      var draft = JSON.parse(sessionStorage.getItem(DRAFT + form.dataset.draft) || "null");
      if (draft) fillForm(form, draft);
    });
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-draft]");
    if (!form || !document.body.contains(form)) return;
    sessionStorage.setItem(DRAFT + form.dataset.draft, JSON.stringify(readForm(form)));
  });

  // Which draft each request posts: a composer that went through is swapped out before
  // htmx:afterRequest fires (htmx then fires it on the body), so the form is no guide there.
  var requests = new WeakMap();

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches("form[data-draft]")) return;
    requests.set(event.detail.xhr, form.dataset.draft);
    posting[form.dataset.draft] = readForm(form);
    sessionStorage.removeItem(DRAFT + form.dataset.draft);
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var key = requests.get(event.detail.xhr);
    if (!key) return;
    var sent = event.detail.successful && event.detail.xhr.responseText.indexOf("composer-sent") >= 0;
    var draft = posting[key];
    delete posting[key];
    var current = document.querySelector('form[data-draft="' + key + '"]');
    if (sent) {
      sessionStorage.removeItem(DRAFT_ID + key); // the next draft creates something new
      // A push may have redrawn the composer meanwhile (with the text): empty it.
      if (current) fields(current).forEach(function (f) {
        if (f.type === "checkbox") f.checked = false; else f.value = "";
      });
    } else if (draft) {
      sessionStorage.setItem(DRAFT + key, JSON.stringify(draft));
      if (current) fillForm(current, draft);
    }
  });

  // --- 3. Drag and drop ----------------------------------------------------------------------
  function canGroup(board) {
    if (board.classList.contains("board-can-group")) return true;
    var me = document.body.dataset.me;
    return board.classList.contains("board-revealed") && me && board.dataset.owner === me;
  }

  function pointOf(event) {
    var touch = event && event.changedTouches && event.changedTouches[0];
    return touch || event;
  }

  function noteUnder(event, dragged) {
    var point = pointOf(event);
    if (!point || point.clientX === undefined) return null;
    var hits = document.elementsFromPoint(point.clientX, point.clientY);
    for (var i = 0; i < hits.length; i++) {
      var note = hits[i].closest && hits[i].closest(".note");
      if (note && note !== dragged) return note;
    }
    return null;
  }

  function move(note, values) {
    htmx.ajax("POST", urlFor(note, "moveUrl"), { source: note, values: values, swap: "none" });
  }

  function setupBoards() {
    if (!window.Sortable) return;
    document.querySelectorAll(".board").forEach(function (board) {
      if (!canGroup(board)) return;
      board.querySelectorAll(".note-list").forEach(function (list) {
        if (list.dataset.sortable) return;
        list.dataset.sortable = "1";
        var cell = list.closest("[data-cell]");
        Sortable.create(list, {
          group: board.dataset.kind + (board.dataset.kind === "customer" && cell ? ":" + cell.dataset.cell : ""),
          forceFallback: true, // mouse and touch events: the same on every device (and in tests)
          fallbackTolerance: 4,
          draggable: ".note",
          filter: "form, select, input, button",
          preventOnFilter: false,
          onEnd: function (evt) {
            var note = evt.item;
            var target = noteUnder(evt.originalEvent, note);
            if (target) {
              move(note, { onto: target.dataset.note }); // joins that note (a new group if need be)
            } else if (evt.to.dataset.drop === "group") {
              if (evt.to !== evt.from) move(note, { target: evt.to.dataset.group });
            } else if (evt.from.dataset.drop === "group") {
              move(note, { target: "out" });
            }
          },
        });
      });
    });
  }

  // --- 4. Note tools ------------------------------------------------------------------------
  var TOOLS = document.getElementById("note-tools");

  function urlFor(note, name) {
    return TOOLS.dataset[name].replace(TOOLS.dataset.placeholder, note.dataset.note);
  }

  function mayChange(note) {
    return note.dataset.author === document.body.dataset.me;
  }

  function mayMove(board) {
    return board.classList.contains("board-revealed") && canGroup(board);
  }

  // The tools from the template, with this note's id wherever the template has the placeholder.
  function build(note, board) {
    var tools = TOOLS.content.cloneNode(true);
    var placeholder = TOOLS.dataset.placeholder;
    tools.querySelectorAll("*").forEach(function (element) {
      Array.prototype.forEach.call(element.attributes, function (attribute) {
        if (attribute.value.indexOf(placeholder) >= 0) {
          element.setAttribute(attribute.name, attribute.value.split(placeholder).join(note.dataset.note));
        }
      });
    });
    if (!mayChange(note)) tools.querySelector(".note-actions").remove();
    else if (board.dataset.kind === "customer") tools.querySelector(".points-form").remove();
    if (mayChange(note) && board.dataset.kind !== "customer_problems") {
      tools.querySelector(".note-edit-parts").remove(); // only a customer problem has three parts
    }
    if (!mayMove(board)) tools.querySelector(".note-move").remove();
    return tools;
  }

  // What the tools show follows the note: a push redraws the note, and the tools, kept through
  // it, are brought in line with it (an editor being typed in keeps what is typed).
  function sync(note, slot) {
    var assumption = note.dataset.assumption === "true";
    var kind = slot.querySelector(".note-kind-form");
    if (kind) {
      kind.querySelector("[name=is_assumption]").value = assumption ? "false" : "true";
      kind.classList.toggle("is-assumption", assumption);
    }
    slot.querySelectorAll(".points-button").forEach(function (button) {
      var on = button.dataset.points === note.dataset.points;
      button.classList.toggle("points-on", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.value = on ? "" : button.dataset.points; // pressed again: the points are taken back
    });
    var editor = slot.querySelector(".note-edit");
    if (editor && !editor.open) {
      editor.querySelector("textarea").value = note.dataset.text;
      ["influence", "situation"].forEach(function (part) {
        var field = editor.querySelector("[name=" + part + "]");
        if (field) field.value = note.dataset[part] || "";
      });
    }
    var move = slot.querySelector(".note-move select");
    if (move) {
      move.value = ""; // a move made is shown by where the note is now, not by the menu
      var out = move.querySelector("option[value=out]");
      out.hidden = out.disabled = !note.dataset.group;
    }
  }

  function decorate(note) {
    var slot = note.querySelector(".note-tools");
    var board = note.closest(".board");
    if (!slot || !board || !TOOLS) return;
    // What this viewer may do with the note; a reveal or a new grouper changes it.
    var may = [mayChange(note), mayMove(board)].join();
    var editing = slot.querySelector(".note-edit[open]");
    if (slot.dataset.may !== may && !editing) {
      slot.textContent = "";
      if (may !== "false,false") {
        slot.appendChild(build(note, board));
        htmx.process(slot);
      }
      slot.dataset.may = may;
    }
    sync(note, slot);
  }

  // "Move to…" lists the groups the note may join as the board is now: built when it is opened,
  // so no push has to carry every group in every note.
  function groupChoices(select) {
    var note = select.closest(".note");
    var board = note.closest(".board");
    var unnamed = select.dataset.unnamed;
    select.querySelectorAll("option[data-group]").forEach(function (option) { option.remove(); });
    board.querySelectorAll(".note-group").forEach(function (group) {
      var cell = group.closest(".grid-cell");
      if (group.dataset.group === note.dataset.group) return;
      if (cell && cell.dataset.cell !== note.dataset.cell) return;
      var option = document.createElement("option");
      option.value = group.dataset.group;
      option.dataset.group = group.dataset.group;
      var name = group.querySelector(".group-name").textContent.trim() || unnamed;
      var count = group.querySelector(".note-list").querySelectorAll(".note").length;
      option.textContent = name + " (" + count + ")";
      select.appendChild(option);
    });
  }

  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches(".note-move select")) groupChoices(event.target);
  });
  document.addEventListener("mousedown", function (event) {
    if (event.target.matches && event.target.matches(".note-move select")) groupChoices(event.target);
  });

  // A saved edit closes its editor (the push brings the new text).
  document.addEventListener("htmx:afterRequest", function (event) {
    var editor = event.detail.elt.closest && event.detail.elt.closest(".note-edit");
    if (editor && event.detail.successful) editor.open = false;
  });

  function decorateAll() { document.querySelectorAll(".note").forEach(decorate); }

  function refresh() { restoreDrafts(); setupBoards(); decorateAll(); }
  document.addEventListener("DOMContentLoaded", refresh);
  document.addEventListener("htmx:afterSettle", refresh);
  document.addEventListener("htmx:wsAfterMessage", refresh);
})();
