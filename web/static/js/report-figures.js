// Draws every report figure from its JSON (plotly.js is loaded once from /static) and makes
// figures whose points carry URLs clickable: a branch opens its page, a visit its audit.
(function () {
  "use strict";
  var config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["toImage"] };
  document.querySelectorAll(".plot[data-figure]").forEach(function (el) {
    var fig = JSON.parse(el.getAttribute("data-figure"));
    var layout = fig.layout || {};
    layout.autosize = true;
    delete layout.width;
    window.Plotly.newPlot(el, fig.data, layout, config).then(function () {
      if (layout.meta && layout.meta.links) {
        el.on("plotly_click", function (event) {
          var url = event.points[0] && event.points[0].customdata;
          if (typeof url === "string" && url.charAt(0) === "/") { window.location.href = url; }
        });
      }
    });
  });
})();
