// Numbers as the page's language writes them, for charts (ECharts labels and tooltips):
// money 72,770,000.00, counts 12,345, axis ticks short (7,277万 in Chinese, 72.8M in English).
// Loaded (defer) by base.html before any page script, which finds it as window.ChannelHubNumbers.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "zh-hans";
  var locale = /^zh/i.test(lang) ? "zh-CN" : "en";

  function formatter(options) {
    try {
      return new Intl.NumberFormat(locale, options);
    } catch (error) {
      return new Intl.NumberFormat("en", options);
    }
  }

  var money = formatter({ minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var count = formatter({ maximumFractionDigits: 0 });
  var compact = formatter({ notation: "compact", maximumFractionDigits: 1 });

  function number(value) {
    var n = Number(value);
    return isFinite(n) ? n : 0;
  }

  window.ChannelHubNumbers = {
    money: function (value) { return money.format(number(value)); },
    count: function (value) { return count.format(number(value)); },
    // An axis tick: whole numbers up to 9,999 as they are, larger ones short.
    axis: function (value) {
      var n = number(value);
      return Math.abs(n) < 10000 ? count.format(n) : compact.format(n);
    },
  };
})();
