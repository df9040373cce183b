// Facilitator keys: → / PageDown for the next step, ← / PageUp for the previous one, so that a
// presentation clicker drives the workshop. Ignored while typing in a field.
(function () {
  "use strict";
  var NEXT = ["ArrowRight", "PageDown"];
  var PREV = ["ArrowLeft", "PageUp"];
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    var id = NEXT.indexOf(event.key) >= 0 ? "step-next" : PREV.indexOf(event.key) >= 0 ? "step-prev" : null;
    var button = id && document.getElementById(id);
    if (!button || button.disabled) return;
    event.preventDefault();
    button.click();
  });
})();
