// ANA-4 charts: the salary index (quartile bands with the median) and the hiring trend, each
// from its page's json_script data. Loaded as a static file after the vendored ECharts (the
// CSP forbids inline scripts); the table beside each chart carries the same figures.
(function () {
  "use strict";
  if (typeof window.echarts === "undefined") { return; }

  function mount(id) {
    var element = document.getElementById(id);
    if (!element) { return null; }
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    window.addEventListener("resize", function () { chart.resize(); });
    return { element: element, chart: chart };
  }

  var salary = document.getElementById("salary-data");
  var salaryBox = document.getElementById("salary-chart");
  if (salary && salaryBox) {
    salaryBox.style.height = Math.max(220, JSON.parse(salary.textContent).labels.length * 36 + 60) + "px";
  }
  var salaryChart = salary && mount("salary-chart");
  if (salaryChart) {
    var s = JSON.parse(salary.textContent);
    var band = s.p75.map(function (high, i) { return high - s.p25[i]; });
    salaryChart.chart.setOption({
      aria: { enabled: true },
      animation: false,
      tooltip: {
        trigger: "axis",
        formatter: function (items) {
          var i = items[0].dataIndex;
          return s.labels[i] + "<br>下四分位 " + s.p25[i] + " 元<br>中位数 " + s.median[i] +
            " 元<br>上四分位 " + s.p75[i] + " 元";
        }
      },
      grid: { left: 96, right: 24, top: 24, bottom: 32 },
      xAxis: { type: "value", name: "元/月" },
      yAxis: { type: "category", data: s.labels, inverse: true },
      series: [
        { name: "下四分位", type: "bar", stack: "q", data: s.p25, itemStyle: { color: "transparent" } },
        { name: "四分位区间", type: "bar", stack: "q", data: band, itemStyle: { color: "#9fd3c7" } },
        { name: "中位数", type: "scatter", data: s.median, symbol: "diamond", symbolSize: 12,
          itemStyle: { color: "#0a6e5c" } }
      ]
    });
    salaryChart.element.setAttribute("data-rendered", "true");
  }

  // A suppressed month (null) is a gap in the line, never a number.
  function gaps(values) {
    return (values || []).map(function (v) { return v === null ? "-" : v; });
  }

  var trend = document.getElementById("trend-data");
  var trendChart = trend && mount("trend-chart");
  if (trendChart) {
    var t = JSON.parse(trend.textContent);
    trendChart.chart.setOption({
      aria: { enabled: true },
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { data: ["新发布职位", "投递人次", "招聘人数", "入职人数"] },
      grid: { left: 48, right: 48, top: 40, bottom: 32 },
      xAxis: { type: "category", data: t.months },
      yAxis: [{ type: "value", name: "职位" }, { type: "value", name: "人数" }],
      series: [
        { name: "新发布职位", type: "line", data: t.postings, itemStyle: { color: "#0a6e5c" } },
        { name: "投递人次", type: "line", data: gaps(t.applications), itemStyle: { color: "#3b6fb6" } },
        { name: "招聘人数", type: "bar", yAxisIndex: 1, data: t.headcount, itemStyle: { color: "#f5b400" } },
        { name: "入职人数", type: "bar", yAxisIndex: 1, data: gaps(t.hires), itemStyle: { color: "#b5533c" } }
      ]
    });
    trendChart.element.setAttribute("data-rendered", "true");
  }
}());
