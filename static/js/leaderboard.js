// Leaderboard bar chart (排行榜): data comes from the page's json_script, never inline code.
(function () {
  "use strict";

  function draw() {
    var el = document.getElementById("leaderboard-chart");
    var source = document.getElementById("leaderboard-data");
    if (!el || !source || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var mine = data.mine;
    // Separators as the page's language writes them (static/js/numbers.js).
    var numbers = window.ChannelHubNumbers || { money: String, count: String, axis: String };
    var valueText = data.money ? numbers.money : numbers.count;
    var bars = data.values.map(function (value, index) {
      var color = "#9ca3af";
      if (data.eligible[index]) {
        color = "#0172ad";
      }
      if (index === mine) {
        color = "#d97706";
      }
      return { value: Number(value), itemStyle: { color: color } };
    });
    // Canvas renderer: it styles through the CSSOM, which the page's CSP allows.
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: valueText },
      xAxis: {
        type: "category",
        data: data.labels,
        axisLabel: { interval: 0, rotate: data.labels.length > 6 ? 40 : 0 }
      },
      yAxis: { type: "value", minInterval: 1, axisLabel: { formatter: numbers.axis } },
      series: [{ name: data.title, type: "bar", data: bars, barMaxWidth: 48 }]
    });
    el.setAttribute("data-rendered", "true");
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
