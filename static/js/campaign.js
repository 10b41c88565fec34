// A campaign's visits per day (ECharts) against its dates (shaded), from json_script data.
(function () {
  "use strict";

  var numbers = window.ChannelHubNumbers || { count: String, axis: String };

  function shade(labels, inside, name) {
    var first = inside.indexOf(true);
    var last = inside.lastIndexOf(true);
    if (first < 0) {
      return [];
    }
    return [[{ name: name, xAxis: labels[first] }, { xAxis: labels[last] }]];
  }

  function start() {
    var source = document.getElementById("campaign-data");
    var el = document.getElementById("chart-campaign-days");
    if (!source || !el || !window.echarts) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 24, top: 40, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: data.labels },
      yAxis: { type: "value", minInterval: 1, axisLabel: { formatter: numbers.axis } },
      series: [
        {
          id: "visits",
          name: data.text.visits,
          type: "bar",
          data: data.visits,
          tooltip: { valueFormatter: numbers.count },
          markArea: {
            itemStyle: { color: "rgba(16, 133, 72, 0.08)" },
            data: shade(data.labels, data.inside, data.text.dates),
          },
        },
        {
          id: "valid_visits",
          name: data.text.valid_visits,
          type: "bar",
          data: data.valid_visits,
          tooltip: { valueFormatter: numbers.count },
        },
      ],
    });
    window.addEventListener("resize", function () {
      chart.resize();
    });
    document.documentElement.setAttribute("data-campaign-chart-ready", "1");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
