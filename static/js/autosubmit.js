// Submit a form as soon as one of its <select data-autosubmit> changes (the language switch).
// Replaces inline onchange="..." handlers, which the Content-Security-Policy forbids.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
      if (typeof field.form.requestSubmit === "function") {
        field.form.requestSubmit();
      } else {
        field.form.submit();
      }
    }
  });
})();
