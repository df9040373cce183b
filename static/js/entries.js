// The Refine proposal's lists and its editor. Four things attributes cannot do:
// 1. The editor dialog opens when an editor is loaded into it, and closes once the save went
//    through (204); a refused save (someone else saved first) stays open with both texts.
// 2. The summary's sentence follows the slot being typed, live, in the editor's preview.
// 3. After a keyboard move (↑ / ↓) or a red toggle, the push redraws the list: focus goes back
//    to the same control of the same entry, so the keyboard can keep moving it.
// 4. Drag and drop (SortableJS, touch too) by the handle: the entry goes right after the one
//    now before it; the server applies it to the order of the moment.
(function () {
  "use strict";

  // --- 1. The editor dialog ------------------------------------------------------------------
  function editor() { return document.getElementById("editor"); }

  document.addEventListener("htmx:afterSwap", function (event) {
    var dialog = editor();
    if (!dialog || event.detail.target !== dialog) return;
    if (!dialog.open) dialog.showModal();
    var field = dialog.querySelector("input:not([type=hidden]), textarea");
    if (field) {
      field.focus();
      if (field.setSelectionRange) field.setSelectionRange(field.value.length, field.value.length);
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var dialog = editor();
    if (dialog && dialog.contains(event.detail.elt) && event.detail.xhr.status === 204) dialog.close();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-close-editor]");
    if (button && editor()) editor().close();
  });

  document.addEventListener("close", function (event) {
    if (event.target === editor()) editor().innerHTML = "";
  }, true);

  // --- 2. The live preview ---------------------------------------------------------------------
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("[data-preview-slot]")) return;
    var mark = field.form.querySelector('.editor-preview [data-slot="' + field.dataset.previewSlot + '"]');
    if (!mark) return;
    mark.textContent = field.value.trim() || field.dataset.blank;
    mark.classList.toggle("slot-empty", !field.value.trim());
  });

  // --- 3. Focus after a keyboard move ----------------------------------------------------------
  var refocus = null;
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-refocus]");
    if (button) refocus = { id: button.id, until: Date.now() + 5000 };
  });

  function restoreFocus() {
    if (!refocus || Date.now() > refocus.until) { refocus = null; return; }
    if (document.activeElement && document.activeElement !== document.body) return;
    var button = document.getElementById(refocus.id);
    if (!button) return;
    if (button.disabled) {
      // Moved to an end: its other move button is the one to press next.
      button = button.parentNode.querySelector("[data-refocus]:not([disabled])") || button;
    }
    button.focus();
    refocus = null;
  }

  // --- 4. Drag and drop ------------------------------------------------------------------------
  function setupLists() {
    if (!window.Sortable) return;
    document.querySelectorAll("ol.entries-editable").forEach(function (list) {
      if (list.dataset.sortable) return;
      list.dataset.sortable = "1";
      Sortable.create(list, {
        handle: ".entry-handle",
        draggable: ".entry",
        forceFallback: true, // mouse and touch events alike, on every device
        fallbackTolerance: 4,
        onEnd: function (evt) {
          if (evt.oldIndex === evt.newIndex) return;
          var entry = evt.item;
          var before = entry.previousElementSibling;
          htmx.ajax("POST", entry.dataset.moveUrl, {
            source: entry,
            values: { after: before && before.dataset.entry ? before.dataset.entry : "" },
            swap: "none",
          });
        },
      });
    });
  }

  function refresh() { setupLists(); restoreFocus(); }
  document.addEventListener("DOMContentLoaded", refresh);
  document.addEventListener("htmx:afterSettle", refresh);
  document.addEventListener("htmx:wsAfterMessage", refresh);
})();
