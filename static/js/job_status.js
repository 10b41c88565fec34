// The approvals page: follow a queued compute until it is done. The job status partial
// (incentives/partials/compute_job.html) carries data-job-poll="<url>" while the job is queued
// or running; it is fetched again every few seconds and swapped in. Once it comes back done,
// the page reloads so the list, totals and coverage show the computed month.
(function () {
  "use strict";
  var INTERVAL_MS = 2000;
  var MAX_FAILURES = 30;

  function follow(box, failures) {
    window.setTimeout(function () {
      fetch(box.getAttribute("data-job-poll"), {
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html.trim();
          var next = holder.firstElementChild;
          if (!next) return;
          box.replaceWith(next);
          if (next.hasAttribute("data-job-poll")) {
            follow(next, 0);
          } else {
            window.location.reload();
          }
        })
        .catch(function () {
          if (failures + 1 < MAX_FAILURES) follow(box, failures + 1);
        });
    }, INTERVAL_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-job-poll]").forEach(function (box) {
      follow(box, 0);
    });
  });
})();
