// Lists (common/lists.py): the header checkbox ticks or clears every row's checkbox.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.hasAttribute("data-select-all")) return;
    var name = box.getAttribute("data-select-all");
    var scope = box.form || document;
    scope.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (row) {
      row.checked = box.checked;
    });
  });
})();
