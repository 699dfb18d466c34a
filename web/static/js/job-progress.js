// A job the page is waiting for (an import, say): its bar follows the job's progress
// (/api/jobs/{id}) and the page reloads, to show the result, once the job has ended (or, failed,
// shows the page's own note, when it has one). Without JavaScript the page reloads itself
// every few seconds instead.
(function () {
  "use strict";
  var POLL_MS = 1000;
  document.querySelectorAll("progress[data-job-status]").forEach(function (bar) {
    var follow = function () {
      fetch(bar.getAttribute("data-job-status"), { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (job) {
          bar.value = Math.round(job.progress * 100);
          bar.textContent = bar.value + " %";
          // A page that says so itself (data-failed: its note's id) shows its sentence in
          // the reader's language; reloading would only queue the same work again.
          if (job.state === "failed" && bar.hasAttribute("data-failed")) {
            document.getElementById(bar.getAttribute("data-failed")).hidden = false;
            (bar.closest("[role=status]") || bar).hidden = true;
            return;
          }
          if (job.state === "done" || job.state === "failed") {
            window.location.reload();
            return;
          }
          window.setTimeout(follow, POLL_MS);
        })
        .catch(function () { window.setTimeout(follow, POLL_MS * 5); });
    };
    window.setTimeout(follow, POLL_MS);
  });
})();
