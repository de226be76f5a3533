// Draws a close plan as a frappe-gantt timeline: every <div data-plan-timeline="id-of-json">,
// on load and after HTMX swaps. Read-only: nothing on the chart changes the plan, the step list
// beside it does. frappe-gantt is loaded on first need so pages without a plan do not pay for it.
(function () {
  if (window.tandemPlanTimeline) return; // the panel's HTMX swaps bring this script back
  window.tandemPlanTimeline = true;

  var loading = null;

  function escape(text) {
    // frappe-gantt writes task names and popups as HTML: step titles are user text.
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function loadGantt(chart) {
    if (window.Gantt) return Promise.resolve();
    if (loading) return loading;
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = chart.dataset.ganttCss;
    document.head.appendChild(css);
    loading = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = chart.dataset.ganttJs;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
    return loading;
  }

  function dayText(iso) {
    var parts = iso.split("-");
    var date = new Date(+parts[0], +parts[1] - 1, +parts[2]);
    return date.toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" });
  }

  function popup(ctx) {
    var task = ctx.task;
    if (task.is_close) {
      ctx.set_title("Target close");
      ctx.set_subtitle(escape(dayText(task.start)));
      ctx.set_details("");
      return;
    }
    ctx.set_title(escape(task.label));
    ctx.set_subtitle(escape(task.state + (task.blocked ? " · blocked" : "") + " · " + task.side + (task.owner ? " · " + task.owner : "")));
    var span = task.start === task.end ? "due " + dayText(task.end) : dayText(task.start) + " – due " + dayText(task.end);
    ctx.set_details(escape(span));
  }

  function draw(chart) {
    var source = document.getElementById(chart.dataset.planTimeline);
    if (!source || chart.dataset.drawn) return;
    chart.dataset.drawn = "1";
    var data = JSON.parse(source.textContent);
    var tasks = data.tasks.map(function (task) {
      return Object.assign({}, task, { label: task.name, name: escape(task.name) });
    });
    tasks.push({
      id: "target-close", name: "Target close", label: "Target close", start: data.close, end: data.close,
      progress: 0, dependencies: "", custom_class: "tl-close", is_close: true,
    });
    var first = tasks.reduce(function (min, t) { return t.start < min ? t.start : min; }, data.close);
    var span = (Date.parse(data.close) - Date.parse(first)) / 86400000;
    var byWeek = span > 70;
    var highlight = {};
    highlight["var(--g-weekend-highlight-color)"] = "weekend";
    highlight["rgba(213, 94, 0, 0.18)"] = [{ date: data.close, name: "Target close" }];
    new Gantt(chart, tasks, {
      readonly: true,
      readonly_dates: true,
      readonly_progress: true,
      popup_on: "click",
      popup: popup,
      view_mode: byWeek ? "Week" : "Day",
      column_width: byWeek ? 90 : (chart.clientWidth < 500 ? 20 : 26), // more days on a phone
      bar_height: 22,
      padding: 12,
      upper_header_height: 28,
      lower_header_height: 24,
      today_button: false,
      view_mode_select: false,
      infinite_padding: false,
      scroll_to: first,
      holidays: highlight,
      language: "en",
    });
    chart.classList.add("drawn");
  }

  function drawAll(root) {
    var charts = (root || document).querySelectorAll("[data-plan-timeline]");
    if (!charts.length) return;
    loadGantt(charts[0]).then(function () {
      charts.forEach(draw);
    }).catch(function (error) {
      if (window.console) console.error(error);
      charts.forEach(function (chart) {
        chart.textContent = "The timeline could not load; the steps are listed below.";
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  } else {
    drawAll(document);
  }
  document.addEventListener("htmx:afterSettle", function () { drawAll(document); });
})();
