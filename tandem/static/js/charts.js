// Draws every <canvas data-chart="id-of-json"> with Chart.js, on load and after HTMX swaps.
// The configuration comes from core/charts.py; "tandem" keys carry what JSON cannot (formatters).
(function () {
  function moneyFormat(currency) {
    try {
      return new Intl.NumberFormat(undefined, {
        style: "currency", currency: currency || "USD", notation: "compact", maximumFractionDigits: 1,
      });
    } catch (e) {
      return new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });
    }
  }

  function build(config) {
    const extra = config.tandem || {};
    delete config.tandem;
    const options = Object.assign({ responsive: true, maintainAspectRatio: false }, config.options || {});
    const valueAxis = extra.horizontal ? "x" : "y";
    const labelAxis = extra.horizontal ? "y" : "x";
    options.scales = options.scales || {};
    if (config.type === "bar" || config.type === "line") {
      options.scales[valueAxis] = Object.assign({ beginAtZero: true }, options.scales[valueAxis] || {});
      options.scales[labelAxis] = Object.assign({}, options.scales[labelAxis] || {});
      if (extra.stacked) {
        options.scales[valueAxis].stacked = true;
        options.scales[labelAxis].stacked = true;
      }
      if (extra.horizontal) options.indexAxis = "y";
      const format = extra.money ? moneyFormat(extra.currency) : null;
      options.scales[valueAxis].ticks = Object.assign({
        callback: function (value) {
          if (format) return format.format(value);
          return extra.unit ? value + " " + extra.unit : value;
        },
      }, options.scales[valueAxis].ticks || {});
      options.plugins = options.plugins || {};
      options.plugins.tooltip = Object.assign({
        callbacks: {
          label: function (item) {
            const one = function (value) {
              return format ? format.format(value) : (extra.unit ? value + " " + extra.unit : value);
            };
            // A floating bar (a Span in core/charts.py) reads as its range, not its end.
            const shown = Array.isArray(item.raw)
              ? one(item.raw[0]) + "–" + one(item.raw[1])
              : one(extra.horizontal ? item.parsed.x : item.parsed.y);
            return (item.dataset.label ? item.dataset.label + ": " : "") + shown;
          },
        },
      }, options.plugins.tooltip || {});
    }
    config.options = options;
    return config;
  }

  function draw(root) {
    if (typeof Chart === "undefined") return;
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      const source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      canvas.dataset.drawn = "1";
      new Chart(canvas, build(JSON.parse(source.textContent)));
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
