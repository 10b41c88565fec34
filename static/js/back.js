// Error pages: "Previous page" goes back in the history when the visitor came from one of our
// pages; otherwise the link's own href (the home page) applies. Replaces an inline onclick (CSP).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a[data-back]") : null;
    if (!link) {
      return;
    }
    var fromHere = document.referrer && document.referrer.indexOf(window.location.origin + "/") === 0;
    if (fromHere && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
