// The summary's bar chart, drawn from the table on the page (the table stays: it is the accessible form).
(function () {
  "use strict";
  var box = document.getElementById("programme-chart");
  var table = document.getElementById("programme-tasks");
  if (!box || !table || !window.echarts) { return; }
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-label]"));
  if (!rows.length) { return; }
  box.hidden = false;
  var chart = window.echarts.init(box);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: [table.dataset.dueLabel || "", table.dataset.doneLabel || ""] },
    grid: { left: 8, right: 8, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: rows.map(function (r) { return r.dataset.label; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: table.dataset.dueLabel, type: "bar", data: rows.map(function (r) { return +r.dataset.due; }), itemStyle: { color: "#c9c4bb" } },
      { name: table.dataset.doneLabel, type: "bar", data: rows.map(function (r) { return +r.dataset.done; }), itemStyle: { color: "#a4161a" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
