// The dashboard's charts (ECharts), drawn from the figures the page passes with json_script.
// Every chart has its data table next to it in the page; this script only draws.
(function () {
  "use strict";

  function number(value) {
    var n = Number(value);
    return isFinite(n) ? n : 0;
  }

  // Separators as the page's language writes them (static/js/numbers.js).
  var numbers = window.ChannelHubNumbers || {
    money: String,
    count: String,
    axis: String,
  };

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) {
      return null;
    }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    window.addEventListener("resize", function () {
      chart.resize();
    });
    return chart;
  }

  function daysChart(data) {
    var days = data.days;
    var text = data.text;
    draw("chart-days", {
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 64, top: 40, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: days.labels },
      yAxis: [
        {
          type: "value",
          minInterval: 1,
          name: text.valid_visits,
          axisLabel: { formatter: numbers.axis },
        },
        {
          type: "value",
          name: text.signing_amount,
          position: "right",
          axisLabel: { formatter: numbers.axis },
        },
      ],
      series: [
        {
          id: "valid_visits",
          name: text.valid_visits,
          type: "bar",
          data: days.valid_visits,
          tooltip: { valueFormatter: numbers.count },
        },
        {
          id: "signings",
          name: text.signings,
          type: "bar",
          data: days.signings,
          tooltip: { valueFormatter: numbers.count },
        },
        {
          id: "signing_amount",
          name: text.signing_amount,
          type: "line",
          yAxisIndex: 1,
          data: days.signing_amount.map(number),
          tooltip: { valueFormatter: numbers.money },
        },
      ],
    });
  }

  function funnelChart(data) {
    draw("chart-funnel", {
      animation: false,
      tooltip: { trigger: "item", valueFormatter: numbers.count },
      series: [
        {
          id: "funnel",
          type: "funnel",
          sort: "none",
          minSize: "10%",
          left: "5%",
          width: "90%",
          label: {
            show: true,
            position: "inside",
            formatter: function (item) {
              return numbers.count(item.value);
            },
          },
          data: data.funnel,
        },
      ],
      legend: { bottom: 0, type: "scroll" },
    });
  }

  function attainmentChart(data) {
    var attainment = data.attainment;
    if (!attainment.labels.length) {
      return;
    }
    draw("chart-attainment", {
      animation: false,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
      grid: { left: 8, right: 48, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value", name: "%", axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: attainment.labels, inverse: true },
      series: [
        {
          id: "attainment",
          name: data.text.attainment,
          type: "bar",
          data: attainment.percent.map(number),
          label: { show: true, position: "right", formatter: "{c}%" },
          markLine: {
            symbol: "none",
            label: { formatter: data.text.target, position: "end" },
            lineStyle: { type: "dashed", color: "#b91c1c" },
            data: [{ xAxis: 100 }],
          },
        },
      ],
    });
  }

  function start() {
    var source = document.getElementById("dashboard-data");
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    daysChart(data);
    funnelChart(data);
    attainmentChart(data);
    document.documentElement.setAttribute("data-dashboard-ready", "1");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
