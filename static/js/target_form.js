// The new-target form: show only the picker of the chosen subject type (team, person or
// partner). Without this script every picker shows and the server reads the one that applies.
(function () {
  "use strict";
  function sync(form) {
    var type = form.querySelector('select[name="subject_type"]');
    if (!type) return;
    form.querySelectorAll("[data-subject-for]").forEach(function (box) {
      box.hidden = box.getAttribute("data-subject-for") !== type.value;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll('form[data-testid="target-form"]').forEach(sync);
  });
  document.addEventListener("change", function (event) {
    if (event.target instanceof HTMLSelectElement && event.target.name === "subject_type") {
      sync(event.target.form);
    }
  });
})();
