/* browser_check.js - run inside report.html by tests/browser.sh in headless
 * Chromium (the page is copied and this script added after the page's
 * own). It checks what a reader does with the page: every chart drawn,
 * hovering shows a value and its time, dragging zooms the time axis and
 * a double-click undoes it, the table sorts and filters; and that the page
 * raised no error. The verdicts go into a pre element, #browser-check, which
 * --dump-dom prints. */
(function () {
  "use strict";
  var out = [], failed = 0;
  function check(ok, what) {
    out.push((ok ? "ok " : "not ok ") + what);
    if (!ok) failed++;
  }
  function mouse(target, type, x, y) {
    target.dispatchEvent(new MouseEvent(type, { clientX: x, clientY: y, bubbles: true, cancelable: true }));
  }
  var errors = window.__plErrors || [];
  check(errors.length === 0, "no script error" + (errors.length ? ": " + errors.join("; ") : ""));
  var figs = document.querySelectorAll("figure.chart"), want = Number(document.body.dataset.wantCharts || -1);
  if (want >= 0) check(figs.length === want, figs.length + " charts, " + want + " expected");
  check((window.perfleakCharts || []).length === figs.length, "a chart object for every figure");
  Array.prototype.forEach.call(figs, function (fig) {
    var id = fig.id, svg = fig.querySelector("svg.pl-chart");
    check(!!svg, id + ": drawn as SVG");
    if (!svg) return;
    var line = svg.querySelector("polyline.pl-mean"), pts = line ? line.getAttribute("points").split(" ") : [];
    check(pts.length >= 2, id + ": a line of " + pts.length + " points");
    var bad = pts.filter(function (p) { return !/^-?[0-9.]+,-?[0-9.]+$/.test(p); });
    check(bad.length === 0, id + ": every point is a number pair" + (bad.length ? " (" + bad[0] + ")" : ""));
    var ticks = svg.querySelectorAll("text.pl-tick");
    check(ticks.length >= 4, id + ": " + ticks.length + " axis labels");
    var hit = svg.querySelector("rect.pl-hit"), r = hit.getBoundingClientRect();
    check(r.width > 100 && r.height > 100, id + ": plot area " + Math.round(r.width) + "x" + Math.round(r.height));
    /* hover in the middle: a value with its time */
    mouse(hit, "mousemove", r.left + r.width / 2, r.top + r.height / 2);
    var tip = fig.querySelector(".pl-tip");
    var shown = tip && tip.style.display !== "none", text = tip ? tip.textContent : "";
    check(shown, id + ": hovering shows a tooltip");
    check(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(UTC[+-]\d\d:\d\d\)/.test(text), id + ": the tooltip has a time: " + text);
    check(/\d( [A-Za-z]+|%)/.test(text.replace(/^.*?\)/, "")), id + ": the tooltip has a value: " + text);
    var cross = svg.querySelector("line.pl-cross");
    check(cross && cross.getAttribute("visibility") === "visible", id + ": a line marks the time hovered");
    mouse(hit, "mouseleave", 0, 0);
    check(tip.style.display === "none", id + ": the tooltip goes with the pointer");
    /* drag from 30 % to 60 % of the width: the axis shows that part */
    var x0 = Number(svg.dataset.x0), x1 = Number(svg.dataset.x1);
    mouse(hit, "mousedown", r.left + r.width * 0.3, r.top + 20);
    mouse(hit, "mousemove", r.left + r.width * 0.45, r.top + 20);
    mouse(hit, "mouseup", r.left + r.width * 0.6, r.top + 20);
    var z = fig.querySelector("svg.pl-chart"), z0 = Number(z.dataset.x0), z1 = Number(z.dataset.x1);
    var wantW = (x1 - x0) * 0.3;
    check(Math.abs((z1 - z0) - wantW) < wantW * 0.05 && z0 > x0 && z1 < x1,
          id + ": dragging zooms to " + Math.round(z1 - z0) + " s of " + Math.round(x1 - x0));
    var reset = fig.querySelector(".pl-bar button");
    check(reset && !reset.disabled, id + ": 'Whole log' is offered when zoomed");
    z.querySelector("rect.pl-hit").dispatchEvent(new MouseEvent("dblclick", { bubbles: true }));
    var u = fig.querySelector("svg.pl-chart");
    check(Number(u.dataset.x0) === x0 && Number(u.dataset.x1) === x1 && reset.disabled,
          id + ": a double-click shows the whole log again");
  });
  /* what a chart with a limit must show */
  var lim = document.querySelectorAll("figure.chart line.pl-limit");
  var wantLim = Number(document.body.dataset.wantLimits || 0);
  check(lim.length === wantLim, lim.length + " limit lines, " + wantLim + " expected");
  Array.prototype.forEach.call(lim, function (l) {
    var svg = l.ownerSVGElement, notes = Array.prototype.map.call(svg.querySelectorAll("text.pl-note"),
      function (t) { return t.textContent; }).join(" | ");
    check(!!svg.querySelector("line.pl-proj"), svg.parentNode.parentNode.id + ": the trend is projected");
    check(/reaches (it|the limit) on \d{4}-\d\d-\d\d \d\d:\d\d/.test(notes), "the chart dates the limit: " + notes);
  });
  /* free memory running out: the projection and the date it reaches zero */
  var zeros = Array.prototype.filter.call(document.querySelectorAll("figure.chart text.pl-note"), function (t) {
    return /^reaches zero on \d{4}-\d\d-\d\d \d\d:\d\d$/.test(t.textContent);
  });
  var wantZero = Number(document.body.dataset.wantZero || 0);
  check(zeros.length === wantZero, zeros.length + " charts dated where they reach zero, " + wantZero + " expected");
  zeros.forEach(function (t) {
    check(!!t.ownerSVGElement.querySelector("line.pl-proj"), "a chart running out is projected");
  });
  /* the counter table */
  var table = document.getElementById("counter-table");
  check(!!table, "a counter table");
  if (table) {
    var rows = function () { return Array.prototype.slice.call(table.tBodies[0].rows); };
    var n = rows().length, heads = table.tHead.rows[0].cells, maxCol = -1;
    Array.prototype.forEach.call(heads, function (th, i) { if (/^Max/.test(th.textContent)) maxCol = i; });
    check(maxCol > 0, "the table has a Max column");
    check(!document.getElementById("counter-tools").hidden, "the filter is shown");
    heads[maxCol].querySelector("button").click();
    var vals = rows().map(function (r) { return Number(r.cells[maxCol].dataset.v); });
    var sorted = vals.every(function (v, i) { return i === 0 || isNaN(v) || vals[i - 1] >= v; });
    check(sorted && heads[maxCol].getAttribute("aria-sort") === "descending", "a click sorts by Max, largest first");
    heads[maxCol].querySelector("button").click();
    vals = rows().map(function (r) { return Number(r.cells[maxCol].dataset.v); });
    sorted = vals.every(function (v, i) { return i === 0 || isNaN(v) || isNaN(vals[i - 1]) || vals[i - 1] <= v; });
    check(sorted && heads[maxCol].getAttribute("aria-sort") === "ascending", "a second click sorts smallest first");
    var filter = document.getElementById("counter-filter"), word = document.body.dataset.filterWord || "bytes";
    filter.value = word;
    filter.dispatchEvent(new Event("input"));
    var vis = rows().filter(function (r) { return !r.hidden; });
    var match = rows().filter(function (r) {
      return r.cells[1].querySelector("code").textContent.toLowerCase().indexOf(word) >= 0;
    });
    check(vis.length === match.length && vis.length > 0 && vis.length < n,
          "filtering on '" + word + "' shows " + vis.length + " of " + n + " rows");
    check(/of \d+ counters/.test(document.getElementById("counter-shown").textContent), "the filter says how many it shows");
    filter.value = "";
    filter.dispatchEvent(new Event("input"));
    check(rows().every(function (r) { return !r.hidden; }), "clearing the filter shows every row");
  }
  /* the page's frame: title, contents, what ran */
  check(/^perfleak: /.test(document.title) && document.title.length > 20, "the title says what and where: " + document.title);
  check(document.querySelectorAll("nav.toc a").length >= 3, "a table of contents");
  var broken = Array.prototype.filter.call(document.querySelectorAll("nav.toc a"), function (a) {
    return !document.getElementById(a.getAttribute("href").slice(1));
  });
  check(broken.length === 0, "every contents link has its target");
  var run = document.getElementById("run");
  check(run && /perfleak \d+\.\d+\.\d+/.test(run.textContent) && /perfleak analyze/.test(run.textContent),
        "the page says which perfleak ran and how");
  out.push("browser-check: " + (out.length - failed) + " passed, " + failed + " failed");
  var pre = document.createElement("pre");
  pre.id = "browser-check";
  pre.textContent = out.join("\n");
  document.body.appendChild(pre);
})();
