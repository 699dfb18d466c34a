// Draws every report figure from its JSON (plotly.js is loaded once from /static) and makes
// figures whose points carry URLs clickable: a branch opens its page, a visit its audit.
(function () {
  "use strict";
  var config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["toImage"] };
  // On a phone the toolbar would sit over the chart's title, and zooming is a pinch anyway:
  // none there; on a desktop it shows on hover only.
  config.displayModeBar = window.matchMedia("(max-width: 640px)").matches ? false : "hover";
  // Plotly's own words and month names in the page's language (web/plotly_locale.py)
  var locale = document.getElementById("plotly-locale");
  if (locale) {
    var lang = locale.getAttribute("data-lang");
    config.locale = lang;
    config.locales = {};
    config.locales[lang] = JSON.parse(locale.textContent);
  }
  var CHAR = 7.5; // px per character of a 12–15 px label, near enough for wrapping

  function wrapWords(text, perLine) {
    var lines = [], line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > perLine) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) { lines.push(line); }
    return lines;
  }

  function shorten(label, chars) {
    return label.length <= chars ? label : label.slice(0, chars - 1).replace(/\s+\S*$/, "") + "…";
  }

  // On a phone: a long title wraps instead of running off the chart, and the labels of
  // horizontal bars wrap onto narrower lines so the bars keep some width.
  function fitToPhone(fig, layout, width) {
    if (!width || width >= 560) { return; }
    var title = layout.title && layout.title.text;
    if (title && title.length * CHAR > width - 30) {
      var lines = wrapWords(title, Math.floor((width - 30) / CHAR));
      layout.title.text = lines.join("<br>");
      layout.margin = layout.margin || {};
      layout.margin.t = (layout.margin.t || 50) + 18 * (lines.length - 1);
    }
    // A bar's label (a section's name) wraps onto up to three lines instead of being cut; only
    // a longer one (a whole question) ends in "…" (hover and the table beside show it whole).
    var wrapped = false;
    var axis = layout.yaxis;
    layout.margin = layout.margin || {};
    if (axis && axis.ticktext) {
      var chars = Math.max(12, Math.floor(width * 0.4 / CHAR));
      axis.ticktext = axis.tickvals.map(function (label) {
        var lines = wrapWords(String(label), chars);
        if (lines.length > 3) { lines = lines.slice(0, 3); lines[2] = shorten(lines[2] + " …", chars); }
        return lines.map(function (line) { return shorten(line, chars + 4); }).join("<br>");
      });
      // each category as tall as its label's lines (15 px a line), at least as before
      var before = ((layout.height || 380) - (layout.margin.t || 50) - (layout.margin.b || 50)) /
        axis.tickvals.length;
      var rows = axis.ticktext.reduce(function (sum, text) {
        return sum + Math.max(before, 15 * text.split("<br>").length + 12);
      }, 0);
      layout.height = Math.round(rows + (layout.margin.t || 50) + (layout.margin.b || 50));
      wrapped = true;
    }
    // A legend between the title and the plot wraps to more rows on a phone: room for it.
    if (layout.showlegend && layout.legend && layout.legend.orientation === "h") {
      layout.margin.t = (layout.margin.t || 50) + 36;
      if (wrapped) { layout.height += 36; }
    }
  }
  document.querySelectorAll(".plot[data-figure]").forEach(function (el) {
    var fig = JSON.parse(el.getAttribute("data-figure"));
    var layout = fig.layout || {};
    layout.autosize = true;
    delete layout.width;
    fitToPhone(fig, layout, el.clientWidth);
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
