// "Download PDF" with a sign of life. A head-office PDF is made by a worker (a job): the button
// asks for the job, follows its progress on a bar (/api/jobs/{id}) and downloads the result
// when it is done; the same request from another reader meanwhile joins the same job. Other
// PDFs take seconds: the button counts them and the file arrives as a normal download.
// Without JavaScript the link downloads the PDF all the same.
(function () {
  "use strict";
  var POLL_MS = 1000;

  function filenameOf(response, fallback) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename="([^"]+)"/.exec(header);
    return match ? match[1] : fallback;
  }

  function csrfCookie() {
    var found = document.cookie.split("; ").filter(function (c) { return c.indexOf("csrftoken=") === 0; })[0];
    return found ? decodeURIComponent(found.slice("csrftoken=".length)) : "";
  }

  function checked(response) {
    if (!response.ok) { throw new Error(String(response.status)); }
    return response;
  }

  function save(response) {
    // Signed out meanwhile: the request ends on the login page, not on a PDF.
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("application/pdf") !== 0) { throw new Error(type.split(";")[0]); }
    var name = filenameOf(response, "report.pdf");
    return response.blob().then(function (blob) {
      var url = URL.createObjectURL(blob);
      var link = document.createElement("a");
      link.href = url;
      link.download = name;
      document.body.appendChild(link);
      link.click();
      link.remove();
      window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    });
  }

  // The job's PDF: ask for it, follow it on the bar, fetch its result.
  function viaJob(link, bar) {
    var json = function (response) { return checked(response).json(); };
    var follow = function (job) {
      if (bar) { bar.value = Math.round(job.progress * 100); }
      if (job.state === "done") {
        return fetch(job.result_url, { credentials: "same-origin" }).then(checked).then(save);
      }
      if (job.state === "failed") { throw new Error("failed"); }
      return new Promise(function (resolve) { window.setTimeout(resolve, POLL_MS); })
        .then(function () { return fetch(job.status_url, { credentials: "same-origin" }); })
        .then(json)
        .then(follow);
    };
    if (bar) { bar.value = 0; bar.hidden = false; }
    return fetch(link.getAttribute("data-job"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "x-csrftoken": csrfCookie(), "Accept": "application/json" }
    }).then(json).then(follow);
  }

  document.querySelectorAll("a[data-pdf]").forEach(function (link) {
    var label = link.textContent;
    var status = document.getElementById(link.getAttribute("data-status"));
    var bar = link.hasAttribute("data-progress")
      ? document.getElementById(link.getAttribute("data-progress")) : null;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      if (link.getAttribute("aria-busy") === "true") { return; }
      var started = Date.now();
      link.setAttribute("aria-busy", "true");
      status.textContent = "";
      var tick = function () {
        var seconds = Math.round((Date.now() - started) / 1000);
        link.textContent = link.getAttribute("data-busy") + " " + seconds + " s";
      };
      tick();
      var timer = window.setInterval(tick, 1000);
      var done = function () {
        window.clearInterval(timer);
        link.textContent = label;
        link.removeAttribute("aria-busy");
        if (bar) { bar.hidden = true; }
      };
      var made = link.hasAttribute("data-job")
        ? viaJob(link, bar)
        : fetch(link.href, { credentials: "same-origin" }).then(checked).then(save);
      made.then(done).catch(function (error) {
        done();
        // The reader's sentence alone: the technical cause (a status, "failed") is English
        // and theirs to do nothing with; it goes to the console for whoever debugs.
        status.textContent = link.getAttribute("data-failed");
        if (window.console) { window.console.warn("PDF not made:", error.message); }
      });
    });
  });
})();
