// S8: tick the countdowns to each request's next deadline (the server renders the first value).
(function () {
  var units = document.documentElement.lang && document.documentElement.lang.indexOf("zh") === 0
    ? { d: "天", h: "小时", m: "分", s: "秒", up: "已到期" } : { d: "d", h: "h", m: "m", s: "s", up: "time is up" };
  function render(el) {
    var left = Math.floor((new Date(el.dataset.deadline) - new Date()) / 1000);
    if (left <= 0) { el.textContent = units.up; return; }
    var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
    var parts = [];
    if (d) parts.push(d + units.d);
    if (d || h) parts.push(h + units.h);
    parts.push(m + units.m);
    if (!d && !h) parts.push(s + units.s);
    el.textContent = parts.join(" ");
  }
  function tick() { document.querySelectorAll("[data-deadline]").forEach(render); }
  tick();
  setInterval(tick, 1000);
})();
