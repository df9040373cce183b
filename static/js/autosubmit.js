// <select data-submit-on-change>: choosing an option sends its form (the language switch).
// A static file, not an onchange attribute: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-submit-on-change]") && field.form) field.form.submit();
  });
})();
