// Coverage over time: reads the JSON endpoint named by the chart box; the table beside it has the same data.
(function () {
  "use strict";
  var box = document.getElementById("coverage-chart");
  if (!box || !window.echarts || !window.fetch) { return; }
  fetch(box.getAttribute("data-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var chart = window.echarts.init(box);
      chart.setOption({
        tooltip: { trigger: "axis" },
        grid: { left: 48, right: 16, top: 24, bottom: 32 },
        xAxis: { type: "category", data: data.series.map(function (p) { return p.date; }) },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value} %" } },
        series: [{ type: "line", name: data.name, data: data.series.map(function (p) { return p.coverage; }),
          lineStyle: { width: 3 }, itemStyle: { color: "#a4161a" }, connectNulls: true }]
      });
      window.addEventListener("resize", function () { chart.resize(); });
    })
    .catch(function () { /* the table is still there */ });
})();
