/* Operations centre charts (ECharts) and commune map (Leaflet, no tiles: just the polygons). Each reads the
   page's JSON endpoint; the page's tables carry the same figures for readers without JavaScript. */
(function () {
  "use strict";
  var fmt = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
  }

  function seriesChart(el) {
    if (!window.echarts) return;
    getJSON(el.dataset.url).then(function (data) {
      var chart = window.echarts.init(el);
      var unit = data.indicator.unit_label || "";
      chart.setOption({
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? data.labels.no_data : fmt.format(v) + " " + unit; } },
        legend: { data: [data.labels.value, data.labels.target] },
        grid: { left: 60, right: 20, top: 40, bottom: 40 },
        xAxis: { type: "category", data: data.series.map(function (p) { return p.label; }) },
        yAxis: { type: "value", name: unit },
        series: [
          { name: data.labels.value, type: "line", symbol: "circle", symbolSize: 7, connectNulls: false,
            data: data.series.map(function (p) { return p.value; }) },
          { name: data.labels.target, type: "line", step: "end", symbol: "none", lineStyle: { type: "dashed" },
            data: data.series.map(function (p) { return p.target; }) }
        ]
      });
      window.addEventListener("resize", function () { chart.resize(); });
    }).catch(function () {});
  }

  // Sequential blues (colour-blind safe); the status words are in the table and the tooltip.
  var SCALE = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];

  function communeMap(el) {
    if (!window.L) return;
    Promise.all([getJSON(el.dataset.geo), getJSON(el.dataset.url)]).then(function (results) {
      var geo = results[0], data = results[1], byCode = {};
      data.children.forEach(function (c) { byCode[c.code] = c; });
      var values = data.children.map(function (c) { return c.value; }).filter(function (v) { return v != null; });
      var lo = Math.min.apply(null, values), hi = Math.max.apply(null, values);
      function colour(v) {
        if (v == null) return "#d9d9d9";
        var i = hi > lo ? Math.min(SCALE.length - 1, Math.floor((v - lo) / (hi - lo) * SCALE.length)) : SCALE.length - 1;
        return SCALE[i];
      }
      var map = window.L.map(el, { attributionControl: false, zoomSnap: 0.25 });
      var layer = window.L.geoJSON(geo, {
        style: function (f) {
          var c = byCode[f.properties.code];
          return { color: "#555", weight: 1, fillOpacity: 0.85, fillColor: colour(c && c.value) };
        },
        onEachFeature: function (f, l) {
          var c = byCode[f.properties.code];
          var text = f.properties.name + ": " + (c && c.value != null ? fmt.format(c.value) + " " + (data.indicator.unit_label || "") + " — " + c.status : data.labels.no_data);
          l.bindTooltip(text);
          l.on("click", function () {
            var url = new URL(window.location.href);
            url.searchParams.set("don-vi", f.properties.code);
            window.location.href = url.toString();
          });
        }
      }).addTo(map);
      if (layer.getBounds().isValid()) map.fitBounds(layer.getBounds());
      var legend = window.L.control({ position: "bottomright" });
      legend.onAdd = function () {
        var div = window.L.DomUtil.create("div", "ioc-legend");
        if (!values.length) { div.textContent = data.labels.no_data; return div; }
        SCALE.forEach(function (c, i) {
          var from = lo + (hi - lo) * i / SCALE.length, to = lo + (hi - lo) * (i + 1) / SCALE.length;
          var row = document.createElement("div"), sw = document.createElement("i");
          sw.style.background = c;
          row.appendChild(sw);
          row.appendChild(document.createTextNode(fmt.format(from) + " – " + fmt.format(to)));
          div.appendChild(row);
        });
        return div;
      };
      legend.addTo(map);
    }).catch(function () {});
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(seriesChart);
    document.querySelectorAll("[data-map]").forEach(communeMap);
  });
})();
