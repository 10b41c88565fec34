// 报备 form: the phone field's hint and placeholder follow the chosen project's phone mode
// (each project <option> carries data-phone-mode: "full" or "masked" 前三后四).
(function () {
  "use strict";
  var PLACEHOLDERS = { full: "13812341234", masked: "13812341234 / 138****1234" };

  function follow(select) {
    var form = select.form;
    var option = select.options[select.selectedIndex];
    var mode = option ? option.getAttribute("data-phone-mode") : null;
    var hint = form && form.querySelector("[data-testid=phone-hint]");
    var phone = form && form.querySelector("input[name=phone]");
    if (!mode || !phone) {
      return;
    }
    phone.setAttribute("placeholder", PLACEHOLDERS[mode] || PLACEHOLDERS.full);
    if (hint && hint.getAttribute("data-phone-hint-" + mode)) {
      hint.textContent = hint.getAttribute("data-phone-hint-" + mode);
      hint.setAttribute("data-mode", mode);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var select = document.querySelector("select[name=project]");
    if (!select) {
      return;
    }
    follow(select);
    select.addEventListener("change", function () {
      follow(select);
    });
  });
})();
