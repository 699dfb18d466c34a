// "Download PDF" with a sign of life: a head-office PDF takes seconds (charts, then layout),
// so the button says it is being prepared, counts the seconds, and the file arrives as a
// normal download. Without JavaScript the link downloads the PDF all the same.
(function () {
  "use strict";
  function filenameOf(response, fallback) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename="([^"]+)"/.exec(header);
    return match ? match[1] : fallback;
  }

  document.querySelectorAll("a[data-pdf]").forEach(function (link) {
    var label = link.textContent;
    var status = document.getElementById(link.getAttribute("data-status"));
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
      };
      fetch(link.href, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          // Signed out meanwhile: the request ends on the login page, not on a PDF.
          var type = response.headers.get("Content-Type") || "";
          if (type.indexOf("application/pdf") !== 0) { throw new Error(type.split(";")[0]); }
          var name = filenameOf(response, "report.pdf");
          return response.blob().then(function (blob) {
            var url = URL.createObjectURL(blob);
            var save = document.createElement("a");
            save.href = url;
            save.download = name;
            document.body.appendChild(save);
            save.click();
            save.remove();
            window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
            done();
          });
        })
        .catch(function (error) {
          done();
          status.textContent = link.getAttribute("data-failed") + " (" + error.message + ")";
        });
    });
  });
})();
