/* browser_fleet.js - run inside perfleak fleet's report.html by
 * tests/browser.sh in headless Chromium, as browser_check.js is in
 * analyze's. It checks what an operations reader sees: the card drawn at a
 * readable size, the recurring culprits in a table whose server lists
 * open, the servers with findings, the logs not read, nothing wider than
 * the window, and no error. The verdicts go into #browser-check. */
(function () {
  "use strict";
  var out = [], failed = 0;
  function check(ok, what) {
    out.push((ok ? "ok " : "not ok ") + what);
    if (!ok) failed++;
  }
  var errors = window.__plErrors || [];
  check(errors.length === 0, "no script error" + (errors.length ? ": " + errors.join("; ") : ""));
  var d = document.body.dataset;
  var wantGroups = Number(d.wantCharts), wantServers = Number(d.wantLimits), wantBad = Number(d.wantZero);
  var rows = document.querySelectorAll("#recurring-table tbody tr");
  check(rows.length === wantGroups, rows.length + " recurring culprits, " + wantGroups + " expected");
  Array.prototype.forEach.call(rows, function (r, i) {
    var det = r.querySelector("details"), n = Number(r.cells[2].textContent);
    check(n >= 2, "culprit " + (i + 1) + " recurs on " + n + " servers");
    if (det) {
      det.open = true;
      var names = det.textContent.replace(/^\s*\d+ servers/, "").split(",");
      check(names.length === n && det.getBoundingClientRect().height > 20,
            "culprit " + (i + 1) + ": its " + names.length + " servers shown when opened");
    } else {
      check(false, "culprit " + (i + 1) + " has a server list");
    }
  });
  var fig = document.querySelector("#fleet-chart svg"), r = fig ? fig.getBoundingClientRect() : { width: 0, height: 0 };
  check(!wantGroups || (r.width >= 600 && r.height >= 150), "the card drawn at " + Math.round(r.width) + "x" + Math.round(r.height));
  check(!wantGroups || (fig && / of \d+/.test(fig.textContent)), "the card says on how many of the servers");
  var servers = document.querySelectorAll("#servers-table tbody tr");
  check(servers.length === wantServers, servers.length + " servers with findings, " + wantServers + " expected");
  var bad = document.querySelectorAll("#unreadable li");
  check(bad.length === wantBad, bad.length + " logs not read listed, " + wantBad + " expected");
  check(document.documentElement.scrollWidth <= window.innerWidth + 1,
        "nothing wider than the window (" + document.documentElement.scrollWidth + " of " + window.innerWidth + ")");
  check(/^perfleak fleet: \d+ servers/.test(document.title), "the title says the fleet: " + document.title);
  out.push("browser-check: " + (out.length - failed) + " passed, " + failed + " failed");
  var pre = document.createElement("pre");
  pre.id = "browser-check";
  pre.textContent = out.join("\n");
  document.body.appendChild(pre);
})();
