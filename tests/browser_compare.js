/* browser_compare.js - run inside perfleak compare's report.html by
 * tests/browser.sh in headless Chromium, as browser_check.js is in
 * analyze's. It checks what a reader of a before/after page sees: the
 * verdicts in a table whose rows link to their sections, each section
 * with its overlay chart drawn at a readable size and labelled with hours
 * since each capture began and both rates, nothing wider than the window,
 * and no error. The verdicts go into #browser-check for --dump-dom. */
(function () {
  "use strict";
  var out = [], failed = 0;
  function check(ok, what) {
    out.push((ok ? "ok " : "not ok ") + what);
    if (!ok) failed++;
  }
  var errors = window.__plErrors || [];
  check(errors.length === 0, "no script error" + (errors.length ? ": " + errors.join("; ") : ""));
  var want = Number(document.body.dataset.wantCharts || -1), verdict = document.body.dataset.wantVerdict || "";
  var rows = document.querySelectorAll("#verdict-table tbody tr");
  check(rows.length === want, rows.length + " verdict rows, " + want + " expected");
  if (rows.length)
    check(rows[0].cells[0].textContent.trim().toLowerCase() === verdict,
          "the first verdict is " + rows[0].cells[0].textContent.trim() + ", " + verdict + " expected");
  Array.prototype.forEach.call(rows, function (r, i) {
    var a = r.querySelector("a"), target = a && document.getElementById(a.getAttribute("href").slice(1));
    check(!!target, "row " + (i + 1) + " links to its section");
    var v = r.cells[0].getBoundingClientRect();
    check(v.width > 20 && getComputedStyle(r.cells[0]).fontWeight >= 600, "row " + (i + 1) + ": the verdict stands out");
  });
  var figs = document.querySelectorAll("section.comparison figure.chart");
  check(figs.length === want, figs.length + " charts, " + want + " expected");
  Array.prototype.forEach.call(figs, function (fig, i) {
    var svg = fig.querySelector("svg"), r = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
    check(r.width >= 600 && r.height >= 300, "chart " + (i + 1) + " drawn at " + Math.round(r.width) + "x" + Math.round(r.height));
    var text = svg ? svg.textContent : "";
    check(/hours since each capture began/.test(text), "chart " + (i + 1) + ": the axis counts hours since each capture began");
    check(/before: /.test(text) && /after: /.test(text), "chart " + (i + 1) + ": both captures in the legend");
    check(/\d h/.test(text), "chart " + (i + 1) + ": hour ticks");
  });
  check(document.documentElement.scrollWidth <= window.innerWidth + 1,
        "nothing wider than the window (" + document.documentElement.scrollWidth + " of " + window.innerWidth + ")");
  check(/^perfleak compare/.test(document.title) && /compared|No culprit/.test(document.title),
        "the title says what was compared: " + document.title);
  var run = document.getElementById("run");
  check(run && /perfleak compare/.test(run.textContent), "the page says how perfleak ran");
  out.push("browser-check: " + (out.length - failed) + " passed, " + failed + " failed");
  var pre = document.createElement("pre");
  pre.id = "browser-check";
  pre.textContent = out.join("\n");
  document.body.appendChild(pre);
})();
