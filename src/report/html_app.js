/* html_app.js - what makes report.html interactive, inlined into the page
 * by the build: charts drawn as SVG from the data in #perfleak-data
 * (hover for a value and its time, drag to zoom the time axis,
 * double-click or "Whole log" to undo), and the counter table sorted by a
 * click on a heading and filtered as one types. Plain ES2017, no library;
 * the page works without it (each chart is also in a <noscript>). */
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var data;
  try {
    data = JSON.parse(document.getElementById("perfleak-data").textContent);
  } catch (e) {
    return;
  }
  /* the offset times are shown at: the page's, or a chart's own when its
   * machine's differs (several servers in one report) */
  var OFFMIN = data.offset, OFF = OFFMIN * 60; /* minutes, seconds east of UTC */
  function useOffset(c) {
    OFFMIN = typeof c.offset === "number" ? c.offset : data.offset;
    OFF = OFFMIN * 60;
  }

  /* ---- numbers and times, worded as the C reports word them ---- */
  var BYTES = { bytes: 1, KB: 1024, MB: 1048576 };
  var COUNTS = { handles: 1, threads: 1, processes: 1, entries: 1, objects: 1 };
  function sig3(v) {
    var a = Math.abs(v);
    return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
  }
  function fmtValue(v, unit) {
    if (v === null || !isFinite(v)) return "";
    if (unit in BYTES) {
      var b = v * BYTES[unit], a = Math.abs(b), names = ["bytes", "KB", "MB", "GB", "TB", "PB"], i = 0;
      while (a >= 1024 && i < names.length - 1) { a /= 1024; b /= 1024; i++; }
      return i === 0 ? Math.round(b) + " bytes" : sig3(b) + " " + names[i];
    }
    if (unit in COUNTS) {
      var r = Math.abs(v) >= 100 || Number.isInteger(v) ? Math.round(v).toString() : sig3(v);
      return r + " " + unit;
    }
    if (unit === "%") return sig3(v) + "%";
    if (unit === "/s") return sig3(v) + "/s";
    if (unit === "s") return sig3(v) + " s";
    return Math.abs(v) >= 1e6 ? v.toExponential(2) : sig3(v);
  }
  /* counter units per unit shown: 1024^k for sizes, else 1 */
  function unitDiv(v, unit) {
    if (!(unit in BYTES)) return 1;
    var d = 1 / BYTES[unit];
    while (v / d >= 1024 && d < Math.pow(1024, 5)) d *= 1024;
    return d;
  }
  var SIZE_NAMES = ["bytes", "KB", "MB", "GB", "TB", "PB"];
  /* an axis label: every tick in the same unit, with the digits the step needs */
  function fmtTick(v, div, step, unit) {
    var s = step / div, dec = s >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(s) - 1e-9));
    var t = (v / div).toFixed(dec);
    if (unit in BYTES) return t + " " + SIZE_NAMES[Math.round(Math.log(div * BYTES[unit]) / Math.log(1024))];
    if (unit in COUNTS || unit === "") return t;
    return t + (unit === "%" ? "%" : unit === "/s" ? "/s" : unit === "s" ? " s" : "");
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function local(t) { return new Date((t + OFF) * 1000); }
  function fmtTime(t, seconds) {
    var d = local(t);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) + " " +
      pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + (seconds ? ":" + pad(d.getUTCSeconds()) : "");
  }
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function offsetText() {
    var m = Math.abs(OFFMIN);
    return "UTC" + (OFFMIN < 0 ? "-" : "+") + pad(Math.floor(m / 60)) + ":" + pad(m % 60);
  }

  /* ---- scales ---- */
  function niceStep(range, n) {
    var raw = range / Math.max(1, n), p = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
  }
  var TSTEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
                86400, 172800, 604800, 1209600, 2592000];
  function timeTicks(t0, t1, maxTicks) {
    var step = TSTEPS[TSTEPS.length - 1], i, ticks = [];
    for (i = 0; i < TSTEPS.length; i++)
      if ((t1 - t0) / TSTEPS[i] <= maxTicks) { step = TSTEPS[i]; break; }
    /* ticks fall on the local clock's round numbers */
    var first = Math.ceil((t0 + OFF) / step) * step - OFF;
    for (var t = first; t <= t1 + 1e-6 && ticks.length < 200; t += step) ticks.push(t);
    return { step: step, ticks: ticks };
  }

  function el(name, attrs, parent) {
    var e = document.createElementNS(SVGNS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  /* ---- one chart ---- */
  function Chart(fig, c) {
    this.fig = fig;
    this.c = c;
    this.n = c.t.length;
    this.full = [c.x0, c.x1];
    this.view = this.full.slice();
    var self = this;
    this.box = document.createElement("div");
    this.box.className = "pl-box";
    this.tip = document.createElement("div");
    this.tip.className = "pl-tip";
    this.tip.style.display = "none";
    this.bar = document.createElement("div");
    this.bar.className = "pl-bar";
    this.reset = document.createElement("button");
    this.reset.type = "button";
    this.reset.textContent = "Whole log";
    this.reset.disabled = true;
    this.reset.addEventListener("click", function () { self.zoom(self.full[0], self.full[1]); });
    var hint = document.createElement("span");
    hint.className = "pl-hint";
    hint.textContent = "Drag across the chart to zoom in on a time; double-click to see the whole log.";
    this.bar.appendChild(this.reset);
    this.bar.appendChild(hint);
    fig.insertBefore(this.bar, fig.firstChild);
    fig.insertBefore(this.box, this.bar.nextSibling);
    this.box.appendChild(this.tip);
    this.draw();
    window.addEventListener("resize", function () { self.draw(); });
  }

  Chart.prototype.zoom = function (a, b) {
    this.view = [a, b];
    this.reset.disabled = a === this.full[0] && b === this.full[1];
    this.draw();
  };

  /* the index of the bucket whose middle is nearest t */
  Chart.prototype.nearest = function (t) {
    var c = this.c, lo = 0, hi = this.n - 1;
    while (hi - lo > 1) {
      var mid = (lo + hi) >> 1;
      if (c.t[mid] < t) lo = mid; else hi = mid;
    }
    return Math.abs(c.t[lo] - t) <= Math.abs(c.t[hi] - t) ? lo : hi;
  };

  Chart.prototype.draw = function () {
    useOffset(this.c);
    var c = this.c, W = Math.max(320, this.box.clientWidth || 800), H = 320;
    var L = 78, R = 16, T = 14, B = 44, pw = W - L - R, ph = H - T - B;
    var x0 = this.view[0], x1 = this.view[1], i;
    if (x1 <= x0) x1 = x0 + 1;
    /* the value range of what is in view, with the trend and the limit
     * when they are in view too */
    var lo = Infinity, hi = -Infinity;
    for (i = 0; i < this.n; i++) {
      if (c.t1[i] < x0 || c.t0[i] > x1) continue;
      lo = Math.min(lo, c.min[i]);
      hi = Math.max(hi, c.max[i]);
    }
    if (c.trend) {
      lo = Math.min(lo, c.trend[1], c.trend[3]);
      hi = Math.max(hi, c.trend[1], c.trend[3]);
    }
    /* the limit is in view with the end of the log, as on the PNG chart */
    if (c.limit && !c.limit.zero && (!c.trend || x1 >= c.trend[2])) {
      lo = Math.min(lo, c.limit.v);
      hi = Math.max(hi, c.limit.v);
    }
    if (!isFinite(lo)) { lo = 0; hi = 1; }
    hi += (hi - lo) * 0.04; /* room above the highest line, the limit's too */
    if (hi === lo) { hi = lo + Math.max(1, Math.abs(lo) * 0.1); lo -= (hi - lo) / 2; }
    /* ticks at round numbers of the unit they are shown in (MB, GB) */
    var div = unitDiv(Math.max(Math.abs(lo), Math.abs(hi)), c.unit);
    var vstep = niceStep((hi - lo) / div, 5) * div;
    lo = Math.floor(lo / vstep) * vstep;
    hi = Math.ceil(hi / vstep) * vstep;
    function px(t) { return L + (t - x0) / (x1 - x0) * pw; }
    function py(v) { return T + ph - (v - lo) / (hi - lo) * ph; }
    this.px = px;
    this.py = py;
    this.geom = { L: L, T: T, pw: pw, ph: ph, x0: x0, x1: x1 };

    if (this.svg) this.box.removeChild(this.svg);
    var svg = el("svg", { "class": "pl-chart", width: W, height: H, viewBox: "0 0 " + W + " " + H,
                          role: "img", "aria-label": c.title });
    svg.dataset.x0 = x0;
    svg.dataset.x1 = x1;
    el("title", {}, svg).textContent = c.title;
    var defs = el("defs", {}, svg), clip = el("clipPath", { id: c.id + "-clip" }, defs);
    el("rect", { x: L, y: T, width: pw, height: ph }, clip);

    /* grid and axes */
    var g = el("g", { "class": "pl-grid" }, svg), v, tt = timeTicks(x0, x1, Math.max(2, Math.floor(pw / 110)));
    for (v = lo; v <= hi + vstep / 2; v += vstep) {
      el("line", { x1: L, x2: L + pw, y1: py(v), y2: py(v) }, g);
      var lab = el("text", { x: L - 6, y: py(v) + 4, "text-anchor": "end", "class": "pl-tick" }, svg);
      lab.textContent = fmtTick(Math.abs(v) < vstep / 1e6 ? 0 : v, div, vstep, c.unit);
    }
    var lastDay = null;
    tt.ticks.forEach(function (t) {
      el("line", { x1: px(t), x2: px(t), y1: T, y2: T + ph }, g);
      var d = local(t), day = d.getUTCFullYear() * 400 + d.getUTCMonth() * 32 + d.getUTCDate();
      var s = tt.step >= 86400 ? MONTHS[d.getUTCMonth()] + " " + d.getUTCDate() :
        pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + (tt.step < 60 ? ":" + pad(d.getUTCSeconds()) : "");
      el("text", { x: px(t), y: T + ph + 16, "text-anchor": "middle", "class": "pl-tick" }, svg).textContent = s;
      if (tt.step < 86400 && day !== lastDay) {
        el("text", { x: px(t), y: T + ph + 32, "text-anchor": "middle", "class": "pl-tick pl-day" }, svg)
          .textContent = MONTHS[d.getUTCMonth()] + " " + d.getUTCDate() + ", " + d.getUTCFullYear();
        lastDay = day;
      }
    });
    el("text", { x: L + pw, y: T + ph + 32, "text-anchor": "end", "class": "pl-tick" }, svg).textContent = offsetText();
    el("rect", { x: L, y: T, width: pw, height: ph, "class": "pl-frame" }, svg);

    var plot = el("g", { "clip-path": "url(#" + c.id + "-clip)" }, svg);
    /* the min-max band and the mean, broken where the log pauses */
    var gaps = [], typical = 0;
    for (i = 1; i < this.n; i++) gaps.push(c.t0[i] - c.t0[i - 1]);
    if (gaps.length) typical = gaps.slice().sort(function (a, b) { return a - b; })[gaps.length >> 1];
    var runs = [], start = 0;
    for (i = 1; i <= this.n; i++)
      if (i === this.n || (typical > 0 && c.t0[i] - c.t1[i - 1] > 5 * typical)) { runs.push([start, i]); start = i; }
    runs.forEach(function (r) {
      var top = [], bottom = [], line = [], k;
      for (k = r[0]; k < r[1]; k++) {
        top.push(px(c.t0[k]).toFixed(1) + "," + py(c.max[k]).toFixed(1));
        if (c.t1[k] > c.t0[k]) top.push(px(c.t1[k]).toFixed(1) + "," + py(c.max[k]).toFixed(1));
        bottom.unshift(px(c.t0[k]).toFixed(1) + "," + py(c.min[k]).toFixed(1));
        if (c.t1[k] > c.t0[k]) bottom.unshift(px(c.t1[k]).toFixed(1) + "," + py(c.min[k]).toFixed(1));
        line.push(px(c.t[k]).toFixed(1) + "," + py(c.mean[k]).toFixed(1));
      }
      if (!c.exact) el("polygon", { points: top.concat(bottom).join(" "), "class": "pl-band" }, plot);
      if (line.length > 1) el("polyline", { points: line.join(" "), "class": "pl-mean" }, plot);
      else el("circle", { cx: px(c.t[r[0]]), cy: py(c.mean[r[0]]), r: 3, "class": "pl-dot" }, plot);
    });
    if (c.trend) {
      el("line", { x1: px(c.trend[0]), y1: py(c.trend[1]), x2: px(c.trend[2]), y2: py(c.trend[3]),
                   "class": "pl-trend" }, plot);
    }
    if (c.onset !== null && c.onset > c.x0) {
      el("line", { x1: px(c.onset), x2: px(c.onset), y1: T, y2: T + ph, "class": "pl-onset" }, plot);
      el("text", { x: px(c.onset) + 4, y: T + 12, "class": "pl-note" }, plot).textContent =
        "growth since " + fmtTime(c.onset);
    }
    if (c.limit) {
      if (!c.limit.zero) {
        el("line", { x1: L, x2: L + pw, y1: py(c.limit.v), y2: py(c.limit.v), "class": "pl-limit" }, plot);
        el("text", { x: L + 6, y: py(c.limit.v) - 5, "class": "pl-note pl-limit-text" }, plot).textContent =
          "limit " + fmtValue(c.limit.v, c.unit) + " (" + c.limit.source + ")";
      }
      if (c.trend && c.limit.at !== null) {
        /* the projection runs to the wall, or to the edge with the date */
        var te = Math.min(c.limit.at, x1), ye = c.trend[3] + c.trend[4] * (te - c.trend[2]) / 3600;
        el("line", { x1: px(c.trend[2]), y1: py(c.trend[3]), x2: px(te), y2: py(ye), "class": "pl-proj" }, plot);
        /* zero is below the axis' floor: its date goes at the top */
        var reach = el("text", { y: c.limit.zero ? T + 14 : py(c.limit.v) + 16, "class": "pl-note pl-limit-text" }, plot);
        if (c.limit.at <= x1) {
          el("circle", { cx: px(c.limit.at), cy: py(c.limit.v), r: 5, "class": "pl-wall" }, plot);
          reach.setAttribute("x", px(c.limit.at) - 8);
          reach.setAttribute("text-anchor", "end");
          reach.textContent = (c.limit.zero ? "reaches zero on " : "reaches it on ") + fmtTime(c.limit.at);
        } else {
          /* an arrow head at the edge, along the projection */
          var ax = px(te), ay = py(ye), dx = ax - px(c.trend[2]), dy = ay - py(c.trend[3]),
              len = Math.sqrt(dx * dx + dy * dy) || 1, ux = dx / len, uy = dy / len;
          el("polygon", { points: [ax, ay, ax - 12 * ux + 6 * uy, ay - 12 * uy - 6 * ux,
                                   ax - 12 * ux - 6 * uy, ay - 12 * uy + 6 * ux].join(" "),
                          "class": "pl-arrow" }, plot);
          reach.setAttribute("x", L + pw - 8);
          reach.setAttribute("text-anchor", "end");
          reach.textContent = (c.limit.zero ? "reaches zero on " : "reaches the limit on ") + fmtTime(c.limit.at);
        }
      }
    }

    /* hover and zoom */
    var cross = el("line", { y1: T, y2: T + ph, "class": "pl-cross", visibility: "hidden" }, svg);
    var mark = el("circle", { r: 4, "class": "pl-mark", visibility: "hidden" }, svg);
    var sel = el("rect", { y: T, height: ph, width: 0, "class": "pl-sel", visibility: "hidden" }, svg);
    var hit = el("rect", { x: L, y: T, width: pw, height: ph, "class": "pl-hit" }, svg);
    var self = this, drag = null;
    function tAt(ev) {
      var r = svg.getBoundingClientRect(), x = (ev.clientX - r.left) * (W / r.width);
      x = Math.max(L, Math.min(L + pw, x));
      return { x: x, t: x0 + (x - L) / pw * (x1 - x0) };
    }
    hit.addEventListener("mousemove", function (ev) {
      var p = tAt(ev), k = self.nearest(p.t);
      if (drag) {
        sel.setAttribute("x", Math.min(drag.x, p.x));
        sel.setAttribute("width", Math.abs(p.x - drag.x));
        sel.setAttribute("visibility", "visible");
      }
      self.show(k, cross, mark);
    });
    hit.addEventListener("mouseleave", function () {
      cross.setAttribute("visibility", "hidden");
      mark.setAttribute("visibility", "hidden");
      self.tip.style.display = "none";
    });
    hit.addEventListener("mousedown", function (ev) { drag = tAt(ev); ev.preventDefault(); });
    hit.addEventListener("mouseup", function (ev) {
      var p = tAt(ev), d = drag;
      drag = null;
      sel.setAttribute("visibility", "hidden");
      if (d && Math.abs(p.x - d.x) >= 6) self.zoom(Math.min(d.t, p.t), Math.max(d.t, p.t));
    });
    hit.addEventListener("dblclick", function () { self.zoom(self.full[0], self.full[1]); });
    this.svg = svg;
    this.box.insertBefore(svg, this.tip);
  };

  /* the value at bucket k under the pointer, with its time */
  Chart.prototype.show = function (k, cross, mark) {
    useOffset(this.c);
    var c = this.c, x = this.px(c.t[k]), y = this.py(c.mean[k]), g = this.geom;
    if (c.t[k] < g.x0 || c.t[k] > g.x1) return;
    cross.setAttribute("x1", x);
    cross.setAttribute("x2", x);
    cross.setAttribute("visibility", "visible");
    mark.setAttribute("cx", x);
    mark.setAttribute("cy", y);
    mark.setAttribute("visibility", "visible");
    var lines = [fmtTime(c.t[k], true) + " (" + offsetText() + ")"];
    if (c.exact || c.n[k] === 1) {
      lines.push(fmtValue(c.mean[k], c.unit));
    } else {
      lines.push("mean " + fmtValue(c.mean[k], c.unit) + " of " + c.n[k] + " samples");
      lines.push("from " + fmtTime(c.t0[k], true) + " to " + fmtTime(c.t1[k], true));
      lines.push("min " + fmtValue(c.min[k], c.unit) + ", max " + fmtValue(c.max[k], c.unit));
    }
    if (c.trend && c.t[k] >= c.trend[0] && c.t[k] <= c.trend[2])
      lines.push("trend " + fmtValue(c.trend[1] + c.trend[4] * (c.t[k] - c.trend[0]) / 3600, c.unit));
    this.tip.textContent = "";
    lines.forEach(function (s, i) {
      var d = document.createElement(i ? "div" : "strong");
      d.textContent = s;
      this.tip.appendChild(d);
    }, this);
    this.tip.style.display = "block";
    var r = this.svg.getBoundingClientRect(), scale = r.width / Number(this.svg.getAttribute("width"));
    var left = x * scale + 12, tw = this.tip.offsetWidth;
    if (left + tw > r.width) left = x * scale - tw - 12;
    this.tip.style.left = Math.max(0, left) + "px";
    this.tip.style.top = (g.T * scale + 4) + "px";
  };

  var charts = [];
  data.charts.forEach(function (c) {
    var fig = document.getElementById(c.id);
    if (fig) charts.push(new Chart(fig, c));
  });
  window.perfleakCharts = charts; /* for the browser test */

  /* ---- the counter table: sort by a heading, filter as one types ---- */
  var table = document.getElementById("counter-table");
  if (table) {
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    /* the report's order, to break ties in a sort */
    rows.forEach(function (r, i) { r.plOrder = i; });
    var filter = document.getElementById("counter-filter"), verdict = document.getElementById("verdict-filter");
    var shown = document.getElementById("counter-shown");
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "pl-sort";
      while (th.firstChild) b.appendChild(th.firstChild);
      th.appendChild(b);
      b.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "descending" ? 1 : -1, num = th.dataset.type === "num";
        /* the first click puts the largest first (text: A to Z) */
        if (!th.hasAttribute("aria-sort")) dir = num ? -1 : 1;
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
        rows.sort(function (p, q) {
          var a = p.cells[col], b2 = q.cells[col], x, y;
          if (num) {
            x = a.dataset.v === undefined || a.dataset.v === "" ? NaN : Number(a.dataset.v);
            y = b2.dataset.v === undefined || b2.dataset.v === "" ? NaN : Number(b2.dataset.v);
            /* rows without a figure go last either way */
            if (isNaN(x) || isNaN(y)) return isNaN(x) - isNaN(y);
            return (x - y) * dir || p.plOrder - q.plOrder;
          }
          x = a.dataset.v !== undefined ? a.dataset.v : a.textContent;
          y = b2.dataset.v !== undefined ? b2.dataset.v : b2.textContent;
          return x.localeCompare(y) * dir || p.plOrder - q.plOrder;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
    var apply = function () {
      var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean), v = verdict.value, n = 0;
      rows.forEach(function (r) {
        var name = r.cells[1].querySelector("code"), text = (name || r.cells[1]).textContent.toLowerCase();
        var ok = (!v || r.className === "v-" + v) && words.every(function (w) { return text.indexOf(w) >= 0; });
        r.hidden = !ok;
        n += ok;
      });
      shown.textContent = n === rows.length ? "all " + n + " counters" : n + " of " + rows.length + " counters";
    };
    filter.addEventListener("input", apply);
    verdict.addEventListener("change", apply);
    document.getElementById("counter-tools").hidden = false;
    apply();
  }
})();
