// Live monitoring (ANA-2): poll the feed every few seconds and redraw the figures, the
// per-minute chart, the latest postings and the anomalies without reloading the page.
(function () {
  "use strict";
  var config = document.getElementById("live-config");
  var first = document.getElementById("live-data");
  if (!config || !first) { return; }
  var element = document.getElementById("chart-per-minute");
  var chart = null;
  if (element && typeof window.echarts !== "undefined") {
    chart = window.echarts.init(element, null, { renderer: "svg" });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function text(id, value) {
    var node = document.getElementById(id);
    if (node) { node.textContent = value; }
  }

  function link(href, label) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = label;
    return a;
  }

  function draw(data) {
    text("live-at", data.at.slice(11, 19));
    text("live-published-today", data.published_today);
    text("live-published-hour", data.published_last_hour);
    text("live-orgs-today", data.orgs_today);
    text("live-decisions", data.decisions.pass + " / " + data.decisions.review + " / " + data.decisions.reject);
    var latest = document.getElementById("live-latest");
    latest.replaceChildren();
    if (data.latest.length === 0) {
      var none = document.createElement("li");
      none.className = "muted";
      none.textContent = "近 1 小时没有新发布。";
      latest.appendChild(none);
    }
    data.latest.forEach(function (p) {
      var li = document.createElement("li");
      li.appendChild(link(p.url, p.title));
      li.appendChild(document.createTextNode(" · " + p.organisation + " · " + p.at));
      latest.appendChild(li);
    });
    var box = document.getElementById("live-anomalies");
    box.replaceChildren();
    if (data.anomalies.length === 0) {
      var calm = document.createElement("p");
      calm.className = "muted";
      calm.textContent = "当前没有异常。";
      box.appendChild(calm);
    }
    data.anomalies.forEach(function (a) {
      var div = document.createElement("div");
      div.className = "anomaly";
      var strong = document.createElement("strong");
      strong.textContent = a.title;
      div.appendChild(strong);
      div.appendChild(document.createTextNode("：" + a.detail));
      div.appendChild(document.createElement("br"));
      div.appendChild(link(a.objects_url, "查看相关对象"));
      if (a.subject) {
        div.appendChild(document.createTextNode(" · "));
        div.appendChild(link(a.risk_url, a.risk_score === null ? "风险评分：尚未评分"
          : "风险评分 " + a.risk_score + "（" + a.risk_level + "）"));
      }
      box.appendChild(div);
    });
    if (chart) {
      chart.setOption({
        aria: { enabled: true }, animation: false, tooltip: { trigger: "axis" },
        grid: { left: 40, right: 16, top: 20, bottom: 30 },
        xAxis: { type: "category", data: data.per_minute.minutes },
        yAxis: { type: "value", min: 0, minInterval: 1 },
        series: [{ name: "发布职位", type: "bar", data: data.per_minute.counts }]
      });
    }
  }

  function poll() {
    fetch(config.dataset.feed, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) { draw(data); text("live-status", ""); })
      .catch(function () { text("live-status", "暂时无法刷新，稍后自动重试。"); });
  }

  draw(JSON.parse(first.textContent));
  window.setInterval(poll, parseInt(config.dataset.interval, 10) || 5000);
}());
