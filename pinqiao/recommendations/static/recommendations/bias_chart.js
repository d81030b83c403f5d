// ALG-1 bias report charts: one bar chart per surface from the report's json_script data.
// Loaded as a static file (the CSP forbids inline scripts), after the vendored ECharts.
(function () {
  "use strict";
  var source = document.getElementById("bias-data");
  if (!source || typeof window.echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  data.surfaces.forEach(function (surface) {
    var element = document.getElementById("chart-" + surface.key);
    if (!element || surface.categories.length === 0) { return; }
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      aria: { enabled: true },
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { data: ["曝光比", "投递率比"] },
      grid: { left: 44, right: 16, top: 40, bottom: 100 },
      xAxis: { type: "category", data: surface.categories, axisLabel: { interval: 0, rotate: 45 } },
      yAxis: { type: "value", min: 0, name: "相对最优群体" },
      series: [
        {
          name: "曝光比", type: "bar", data: surface.exposure, itemStyle: { color: "#0a6e5c" },
          markLine: {
            silent: true, symbol: "none", lineStyle: { color: "#b42318", type: "dashed" },
            label: { position: "insideEndTop", formatter: "4/5" }, data: [{ yAxis: data.threshold }]
          }
        },
        { name: "投递率比", type: "bar", data: surface.apply, itemStyle: { color: "#f5b400" } }
      ]
    });
    element.setAttribute("data-rendered", "true");
    window.addEventListener("resize", function () { chart.resize(); });
  });
}());
