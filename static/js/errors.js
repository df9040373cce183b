// Says so when an action was refused (409: "the timer is not running", "not your note" …) or
// could not be sent: htmx swaps nothing for those, and a silent button looks broken.
(function () {
  "use strict";
  var hideTimer = null;
  function show(text) {
    var toast = document.getElementById("toast");
    if (!toast || !text) return;
    toast.textContent = text;
    toast.hidden = false;
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () { toast.hidden = true; }, 5000);
  }
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var plain = (xhr.getResponseHeader("Content-Type") || "").indexOf("text/html") === -1;
    show(plain && xhr.responseText.length < 300 ? xhr.responseText : document.getElementById("toast").dataset.failed);
  });
  document.addEventListener("htmx:sendError", function () {
    show(document.getElementById("toast").dataset.unsent);
  });
})();
