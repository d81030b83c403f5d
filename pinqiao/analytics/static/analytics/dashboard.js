// Operations dashboard charts (ANA-1): one ECharts chart per table of the page's json_script
// data. Suppressed cells arrive as null and are drawn as gaps, never as a number; the same
// figures are in the <table> under each chart. Loaded as a static file (no inline scripts).
(function () {
  "use strict";
  var source = document.getElementById("analytics-data");
  if (!source || typeof window.echarts === "undefined") { return; }
  var tables = JSON.parse(source.textContent);
  Object.keys(tables).forEach(function (name) {
    var table = tables[name];
    var element = document.getElementById("chart-" + name);
    if (!element) { return; }
    var category = table.columns[0].key;
    var measures = table.columns.slice(1).filter(function (c) { return c.key !== "rate"; });
    var option = { aria: { enabled: true }, animation: false, tooltip: { trigger: "axis" } };
    if (table.kind === "funnel") {
      option.tooltip = { trigger: "item" };
      option.series = [{
        type: "funnel", sort: "none", left: "10%", width: "80%", label: { formatter: "{b}" },
        data: table.rows.map(function (row) {
          return { name: row.stage + "：" + (row.value === null ? "<5" : row.value),
                   value: row.value === null ? 0 : row.value };
        })
      }];
    } else {
      option.legend = { type: "scroll", top: 0 };
      option.grid = { left: 48, right: 16, top: 40, bottom: table.kind === "bar" ? 90 : 40 };
      option.xAxis = { type: "category", data: table.rows.map(function (row) { return row[category]; }),
                       axisLabel: table.kind === "bar" ? { interval: 0, rotate: 40 } : {} };
      option.yAxis = { type: "value", min: 0 };
      option.series = measures.map(function (column) {
        return { name: column.label, type: table.kind === "bar" ? "bar" : "line",
                 connectNulls: false,
                 data: table.rows.map(function (row) { return row[column.key] === null ? "-" : row[column.key]; }) };
      });
    }
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option);
    element.setAttribute("data-rendered", "true");
    window.addEventListener("resize", function () { chart.resize(); });
  });
}());
