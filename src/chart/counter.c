/* counter.c - the chart of one counter (samples, min-max band, trend,
 * onset, limit) or of several counters of one unit. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "chart/chart_internal.h"
#include "detect/stats.h"
#include "perfleak/units.h"
#include "util/internal.h"

/* The min-max band and the mean line of a series, broken at gaps. */
static void draw_series_parts(pl_canvas *c, const pl_panel *p, const pl_series *s, pl_rgb line, pl_rgb band,
                              double width, int parts)
{
    const pl_bucket *b = pl_series_buckets(s);
    size_t nb = pl_series_bucket_count(s), i, j, start, n = 0;
    double typical, *gaps;
    if (!nb)
        return;
    /* A gap is a pause longer than five typical bucket spacings. */
    if (!(gaps = malloc(nb * sizeof *gaps))) {
        c->oom = 1;
        return;
    }
    for (i = 1, j = 0; i < nb; i++) {
        if (b[i].n && b[i - 1].n)
            gaps[j++] = pl_chart_secs(b[i].t0 - b[i - 1].t0);
    }
    typical = j ? pl_select(gaps, j, j / 2) : 0;
    free(gaps);
    for (start = 0; start < nb;) {
        size_t end;
        while (start < nb && !b[start].n)
            start++;
        if (start >= nb)
            break;
        for (end = start + 1; end < nb; end++) {
            if (!b[end].n)
                continue;
            if (typical > 0 && pl_chart_secs(b[end].t0 - pl_bucket_t1(&b[end - 1])) > 5 * typical)
                break;
        }
        /* band */
        if (parts & 1) {
        c->pl.filltype(c->p, 1);
        pl_chart_fill(c, band);
        pl_chart_pen(c, band);
        c->pl.flinewidth(c->p, 0.5);
        n = 0;
        for (i = start; i < end; i++) {
            if (!b[i].n)
                continue;
            if (n++ == 0)
                c->pl.fmove(c->p, pl_chart_px(p, pl_chart_secs(b[i].t0)), pl_chart_py(p, b[i].max));
            c->pl.fcont(c->p, pl_chart_px(p, pl_chart_secs(b[i].t0)), pl_chart_py(p, b[i].max));
            if (b[i].span != 0)
                c->pl.fcont(c->p, pl_chart_px(p, pl_chart_secs(pl_bucket_t1(&b[i]))), pl_chart_py(p, b[i].max));
        }
        for (i = end; i-- > start;) {
            if (!b[i].n)
                continue;
            if (b[i].span != 0)
                c->pl.fcont(c->p, pl_chart_px(p, pl_chart_secs(pl_bucket_t1(&b[i]))), pl_chart_py(p, b[i].min));
            c->pl.fcont(c->p, pl_chart_px(p, pl_chart_secs(b[i].t0)), pl_chart_py(p, b[i].min));
        }
        c->pl.endpath(c->p);
        c->pl.filltype(c->p, 0);
        }
        if (!(parts & 2)) {
            start = end;
            continue;
        }
        /* mean */
        pl_chart_pen(c, line);
        c->pl.flinewidth(c->p, width);
        n = 0;
        for (i = start; i < end; i++) {
            double x, y;
            if (!b[i].n)
                continue;
            x = pl_chart_px(p, pl_chart_secs(pl_bucket_mid(&b[i])));
            y = pl_chart_py(p, pl_bucket_mean(&b[i]));
            if (n++ == 0)
                c->pl.fmove(c->p, x, y);
            else
                c->pl.fcont(c->p, x, y);
        }
        if (n == 1) {
            /* a lone sample shows as a dot */
            c->pl.endpath(c->p);
            c->pl.filltype(c->p, 1);
            pl_chart_fill(c, line);
            for (i = start; i < end; i++)
                if (b[i].n)
                    c->pl.fcircle(c->p, pl_chart_px(p, pl_chart_secs(b[i].t0)), pl_chart_py(p, pl_bucket_mean(&b[i])), width * 1.5);
            c->pl.filltype(c->p, 0);
        } else {
            c->pl.endpath(c->p);
        }
        start = end;
    }
}

void pl_chart_draw_series(pl_canvas *c, const pl_panel *p, const pl_series *s, pl_rgb line, pl_rgb band,
                          double width)
{
    draw_series_parts(c, p, s, line, band, width, 2);
}

void pl_chart_draw_series_band(pl_canvas *c, const pl_panel *p, const pl_series *s, pl_rgb band)
{
    draw_series_parts(c, p, s, band, band, 1, 1);
}

/* The trend over the judged regime, the onset and the projection. */
void pl_chart_draw_finding(pl_canvas *c, const pl_panel *p, const pl_counter *k, double fs, int notes)
{
    const pl_finding *f = &k->finding;
    double xs, xe, ys, ye;
    char buf[128];
    if (!pl_verdict_is_finding(f->verdict))
        return;
    xs = pl_chart_secs(f->regime_start);
    xe = pl_chart_secs(f->regime_end);
    ys = f->start_level;
    ye = f->end_level;
    if (!isnan(f->limit) && notes) {
        char lim[48];
        pl_chart_pen(c, PL_C_PURPLE);
        c->pl.flinewidth(c->p, 2);
        c->pl.linemod(c->p, "shortdashed");
        c->pl.fline(c->p, p->x0, pl_chart_py(p, f->limit), p->x1, pl_chart_py(p, f->limit));
        c->pl.linemod(c->p, "solid");
        pl_format_value(f->limit, k->unit, lim, sizeof lim);
        snprintf(buf, sizeof buf, "limit %s (%s)", lim, f->limit_source);
        pl_chart_text(c, p->x0 + 6, pl_chart_py(p, f->limit) + 6, 'l', 'b', fs, "HersheySans", PL_T_PURPLE, buf);
        if (!isnan(f->eta_h) && f->eta_h > 0) {
            /* the projection runs to the limit, marked with its date; or
             * to the chart's edge, with an arrow and the date it would
             * reach the limit beyond it */
            double te = xe + f->eta_h * 3600, tx = fmin(te, p->ts.t1);
            double yx = ye + f->slope_per_hour * (tx - xe) / 3600, px = pl_chart_px(p, tx),
                   py = pl_chart_py(p, yx);
            char when[32];
            pl_time_format_short(pl_finding_limit_at(f, 0), p->ts.offset, when, sizeof when);
            pl_chart_pen(c, PL_C_VERMILLION);
            c->pl.flinewidth(c->p, 2);
            c->pl.linemod(c->p, "dotted");
            c->pl.fline(c->p, pl_chart_px(p, xe), pl_chart_py(p, ye), px, py);
            c->pl.linemod(c->p, "solid");
            if (te <= p->ts.t1) {
                c->pl.filltype(c->p, 1);
                pl_chart_fill(c, PL_C_PURPLE);
                pl_chart_pen(c, PL_C_PURPLE);
                c->pl.fcircle(c->p, px, pl_chart_py(p, f->limit), 5);
                c->pl.filltype(c->p, 0);
                snprintf(buf, sizeof buf, "reaches it on %s", when);
                pl_chart_text(c, px - 8, pl_chart_py(p, f->limit) - 8, 'r', 't', fs, "HersheySans",
                              PL_T_PURPLE, buf);
            } else {
                double dx = pl_chart_px(p, tx) - pl_chart_px(p, xe), dy = py - pl_chart_py(p, ye),
                       len = sqrt(dx * dx + dy * dy), ux = len > 0 ? dx / len : 1, uy = len > 0 ? dy / len : 0;
                /* an arrow head at the edge, along the projection */
                c->pl.filltype(c->p, 1);
                pl_chart_fill(c, PL_C_VERMILLION);
                c->pl.fmove(c->p, px, py);
                c->pl.fcont(c->p, px - 12 * ux + 6 * uy, py - 12 * uy - 6 * ux);
                c->pl.fcont(c->p, px - 12 * ux - 6 * uy, py - 12 * uy + 6 * ux);
                c->pl.fcont(c->p, px, py);
                c->pl.endpath(c->p);
                c->pl.filltype(c->p, 0);
                /* under the limit line, clear of the data below it */
                snprintf(buf, sizeof buf, "reaches the limit on %s", when);
                pl_chart_text(c, p->x1 - 8, pl_chart_py(p, f->limit) - 10, 'r', 't', fs, "HersheySans",
                              PL_T_VERMILLION, buf);
            }
        }
    }
    pl_chart_pen(c, PL_C_VERMILLION);
    c->pl.flinewidth(c->p, notes ? 3 : 2);
    c->pl.linemod(c->p, "longdashed");
    c->pl.fline(c->p, pl_chart_px(p, xs), pl_chart_py(p, ys), pl_chart_px(p, xe), pl_chart_py(p, ye));
    c->pl.linemod(c->p, "solid");
}

static void draw_onset(pl_canvas *c, const pl_panel *p, const pl_counter *k, pl_time first,
                       pl_time last, int offset, double fs)
{
    const pl_finding *f = &k->finding;
    char when[32], buf[64];
    double x;
    if (!pl_verdict_is_finding(f->verdict) || f->onset - first <= (last - first) / 50)
        return;
    x = pl_chart_px(p, pl_chart_secs(f->onset));
    pl_chart_pen(c, PL_C_AXIS);
    c->pl.flinewidth(c->p, 1.5);
    c->pl.linemod(c->p, "dotted");
    c->pl.fline(c->p, x, p->y0, x, p->y1);
    c->pl.linemod(c->p, "solid");
    pl_time_format_short(f->onset, offset, when, sizeof when);
    snprintf(buf, sizeof buf, "onset %s", when);
    pl_chart_text(c, x + 6, p->y1 - 6, 'l', 't', fs, "HersheySans", PL_C_AXIS, buf);
}

/* Data extents of counters idx[0..n) plus what the findings draw. */
void pl_chart_extents(const pl_analysis *a, const size_t *idx, size_t n, int with_limit,
                      double *t0, double *t1, double *lo, double *hi)
{
    size_t i;
    *t0 = INFINITY;
    *t1 = -INFINITY;
    *lo = INFINITY;
    *hi = -INFINITY;
    for (i = 0; i < n; i++) {
        const pl_counter *k = pl_analysis_counter(a, idx[i]);
        const pl_series_stats *st = pl_series_get_stats(pl_store_series(pl_analysis_store(a), k->series));
        const pl_finding *f = &k->finding;
        if (!st->samples)
            continue;
        *t0 = fmin(*t0, pl_chart_secs(st->first_t));
        *t1 = fmax(*t1, pl_chart_secs(st->last_t));
        *lo = fmin(*lo, st->min);
        *hi = fmax(*hi, st->max);
        if (pl_verdict_is_finding(f->verdict)) {
            *lo = fmin(*lo, fmin(f->start_level, f->end_level));
            *hi = fmax(*hi, fmax(f->start_level, f->end_level));
            if (with_limit && !isnan(f->limit)) {
                double span = pl_chart_secs(st->last_t) - pl_chart_secs(st->first_t);
                /* show the limit, and its arrival when it comes within
                 * one and a half of the log's span (later: an arrow at
                 * the edge, with the date) */
                *hi = fmax(*hi, f->limit);
                if (!isnan(f->eta_h) && f->eta_h * 3600 <= 1.5 * span)
                    *t1 = fmax(*t1, pl_chart_secs(f->regime_end) + f->eta_h * 3600);
                else if (!isnan(f->eta_h))
                    *t1 = fmax(*t1, pl_chart_secs(st->last_t) + 0.1 * span);
            }
        }
    }
    if (!isfinite(*t0)) {
        *t0 = 0;
        *t1 = 60;
        *lo = 0;
        *hi = 1;
    }
}

/* "parent/instance#n" as the log writes it, or "" without an instance. */
static void instance_label(const pl_path *p, char *inst, size_t size)
{
    inst[0] = '\0';
    if (p->instance)
        snprintf(inst, size, "%s%s%s", p->parent ? p->parent : "", p->parent ? "/" : "",
                 p->instance);
    if (p->index >= 0 && p->instance)
        snprintf(inst + strlen(inst), size - strlen(inst), "#%d", p->index);
}

/* "services - Private Bytes on SRV01" */
void pl_chart_title(const pl_counter *k, char *buf, size_t size)
{
    const pl_path *p = &k->parts;
    char inst[160];
    instance_label(p, inst, sizeof inst);
    snprintf(buf, size, "%s%s%s%s%s%s", p->instance ? inst : (p->object ? p->object : ""), " - ",
             p->counter ? p->counter : k->path, p->machine ? " on " : "",
             p->machine ? p->machine : "", "");
}

void pl_chart_title_fit(pl_canvas *c, const pl_counter *k, const char *prefix, double size, const char *font,
                        double width, char *buf, size_t bsize)
{
    char title[512], inst[160];
    const pl_path *p = &k->parts;
    int machine;
    pl_chart_title(k, title, sizeof title);
    snprintf(buf, bsize, "%s%s", prefix, title);
    if (pl_chart_text_width(c, size, font, buf) <= width)
        return;
    /* the instance gives way first, down to a dozen characters; then the
     * machine (the header names it) */
    instance_label(p, inst, sizeof inst);
    for (machine = 1; machine >= 0 && p->instance && inst[0]; machine--) {
        size_t len = strlen(inst), n;
        for (n = len; n >= 12; n--) {
            char cut[160];
            pl_utf8_middle(inst, n == len ? len : n - 3, cut, sizeof cut);
            snprintf(buf, bsize, "%s%s - %s%s%s", prefix, cut, p->counter ? p->counter : k->path,
                     machine && p->machine ? " on " : "", machine && p->machine ? p->machine : "");
            if (pl_chart_text_width(c, size, font, buf) <= width)
                return;
        }
    }
    pl_chart_fit_middle(c, size, font, buf, width);
}

static void subtitle(const pl_analysis *a, const pl_counter *k, int offset, char *buf, size_t size,
                     pl_rgb *colour)
{
    const pl_finding *f = &k->finding;
    char g[48], r[48], on[48], pct[24];
    if (pl_verdict_is_finding(f->verdict)) {
        int leak = f->verdict == PL_VERDICT_LEAK;
        pl_format_amount(f->growth, k->unit, g, sizeof g);
        pl_format_value(f->slope_per_hour, k->unit, r, sizeof r);
        pl_format_pct(f->growth_pct, 1, pct, sizeof pct);
        pl_analysis_onset_text(a, k, on, sizeof on);
        snprintf(buf, size, "%s: %s%s (%s) at %s/h %s", leak ? "LEAK" : "RUNNING OUT",
                 leak ? "+" : "", g, pct, r, on);
        if (!leak && !isnan(f->eta_h) && f->eta_h > 0) {
            /* zero is the axis' floor, not a line with its date: say it here */
            char when[32];
            size_t n = strlen(buf);
            pl_time_format_short(pl_finding_limit_at(f, 0), offset, when, sizeof when);
            snprintf(buf + n, size - n, "; reaches zero on %s", when);
        }
        *colour = PL_T_VERMILLION;
    } else if (f->verdict == PL_VERDICT_OK) {
        snprintf(buf, size, "ok: %s", f->reason);
        *colour = PL_T_GREEN;
    } else {
        snprintf(buf, size, "insufficient data: %s", f->reason);
        *colour = PL_C_MUTED;
    }
}


/* The legend, right-aligned at x_right and no wider than width: items
 * from the first, then "+N more" for the rest of total (items beyond n
 * have no entry at all). */
void pl_chart_legend(pl_canvas *c, double x_right, double y, const pl_legend_item *it, size_t n,
                   size_t total, double fs, double width)
{
    double x = x_right, w, used = 0;
    size_t i, shown = n;
    char more[32] = "";
    for (i = 0; i < n; i++) {
        w = 34 + 22 + pl_chart_text_width(c, fs, "HersheySans", it[i].label);
        snprintf(more, sizeof more, "+%zu more", total - i - 1);
        if (used + w + (i + 1 < total ? 22 + pl_chart_text_width(c, fs, "HersheySans", more) : 0) > width) {
            shown = i;
            break;
        }
        used += w;
    }
    if (shown < total) {
        snprintf(more, sizeof more, "+%zu more", total - shown);
        x -= pl_chart_text_width(c, fs, "HersheySans", more);
        pl_chart_text(c, x, y, 'l', 'c', fs, "HersheySans", PL_C_MUTED, more);
        x -= 22;
    }
    for (i = shown; i-- > 0;) {
        w = pl_chart_text_width(c, fs, "HersheySans", it[i].label);
        x -= w;
        pl_chart_text(c, x, y, 'l', 'c', fs, "HersheySans", PL_C_AXIS, it[i].label);
        x -= 34;
        if (it[i].kind == 0) {
            c->pl.filltype(c->p, 1);
            pl_chart_fill(c, it[i].colour);
            pl_chart_pen(c, it[i].colour);
            c->pl.fbox(c->p, x, y - 6, x + 26, y + 6);
            c->pl.filltype(c->p, 0);
        } else {
            pl_chart_pen(c, it[i].colour);
            c->pl.flinewidth(c->p, it[i].kind == 1 || it[i].kind == 4 ? 2 : 2.5);
            c->pl.linemod(c->p, it[i].kind == 2 ? "longdashed" : it[i].kind == 3 ? "dotted" :
                                it[i].kind == 4 ? PL_SERIES_DASHES[it[i].dash % PL_SERIES_NDASHES] :
                                "solid");
            c->pl.fline(c->p, x, y, x + 26, y);
            c->pl.linemod(c->p, "solid");
        }
        x -= 22;
    }
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* What tells several counters apart and what they share: a label per
 * counter of the parts that differ (machine, instance, counter), and a
 * title of the parts they share ("Private Bytes: 9 counters on SRV01",
 * "sqlservr - 2 counters on SRV01"). */
void pl_chart_several_names(const pl_analysis *a, const size_t *idx, size_t n, char *title, size_t tsize,
                            char (*labels)[96], size_t nlabels)
{
    const pl_counter *k0 = pl_analysis_counter(a, idx[0]);
    int dm = 0, di = 0, dc = 0;
    size_t i;
    char inst[160];
    for (i = 1; i < n; i++) {
        const pl_path *p = &pl_analysis_counter(a, idx[i])->parts;
        dm |= !same_str(p->machine, k0->parts.machine);
        di |= !same_str(p->object, k0->parts.object) || !same_str(p->instance, k0->parts.instance) ||
              !same_str(p->parent, k0->parts.parent) || p->index != k0->parts.index;
        dc |= !same_str(p->counter, k0->parts.counter);
    }
    instance_label(&k0->parts, inst, sizeof inst);
    snprintf(title, tsize, "%s%s%s%s%zu counters%s%s", !di && inst[0] ? inst : "",
             !di && inst[0] ? " - " : "", !dc && k0->parts.counter ? k0->parts.counter : "",
             !dc && k0->parts.counter ? ": " : "", n, !dm && k0->parts.machine ? " on " : "",
             !dm && k0->parts.machine ? k0->parts.machine : "");
    for (i = 0; i < n && i < nlabels; i++) {
        const pl_counter *k = pl_analysis_counter(a, idx[i]);
        size_t o = 0, room = sizeof labels[i];
        labels[i][0] = '\0';
        instance_label(&k->parts, inst, sizeof inst);
        if (dm && k->parts.machine)
            o += (size_t)snprintf(labels[i], room, "%s", k->parts.machine);
        if (di && o < room)
            o += (size_t)snprintf(labels[i] + o, room - o, "%s%s", o ? " " : "",
                                  inst[0] ? inst : k->parts.object ? k->parts.object : "");
        if ((dc || !o) && o < room)
            o += (size_t)snprintf(labels[i] + o, room - o, "%s%s", o ? ": " : "",
                                  k->parts.counter ? k->parts.counter : k->path);
        if (k->occurrence > 1 && o < room)
            snprintf(labels[i] + o, room - o, " (%d)", k->occurrence);
    }
}

/* A copy of idx ordered by the counters' highest value, highest first;
 * NULL when out of memory (the caller keeps idx's order). */
typedef struct level_ix { double max; size_t i; } level_ix;

static int by_level_cmp(const void *x, const void *y)
{
    const level_ix *p = x, *q = y;
    if (p->max != q->max)
        return p->max < q->max ? 1 : -1;
    return p->i < q->i ? -1 : p->i > q->i;
}

static size_t *by_level(const pl_analysis *a, const size_t *idx, size_t n)
{
    level_ix *l = n ? malloc(n * sizeof *l) : NULL;
    size_t *o = n ? malloc(n * sizeof *o) : NULL, i;
    if (!l || !o) {
        free(l);
        free(o);
        return NULL;
    }
    for (i = 0; i < n; i++) {
        const pl_series_stats *st =
            pl_series_get_stats(pl_store_series(pl_analysis_store(a), pl_analysis_counter(a, idx[i])->series));
        l[i].max = st->samples && !isnan(st->max) ? st->max : -HUGE_VAL;
        l[i].i = i;
    }
    qsort(l, n, sizeof *l, by_level_cmp);
    for (i = 0; i < n; i++)
        o[i] = idx[l[i].i];
    free(l);
    return o;
}

int pl_chart_full(const pl_analysis *a, const size_t *idx, size_t n, pl_chart_format fmt,
                  pl_fonts *fonts, FILE *out, pl_error *err)
{
    pl_canvas c;
    pl_panel p;
    double t0, t1, lo, hi;
    int off, rc;
    size_t i;
    char title[256], sub[512];
    pl_rgb subcol = PL_C_TEXT;
    pl_legend_item items[PL_SERIES_NCOLOURS * PL_SERIES_NDASHES];
    char labels[PL_SERIES_NCOLOURS * PL_SERIES_NDASHES][96]; /* must outlive the legend call */
    size_t nitems = 0, series = 1;
    const pl_counter *k0 = pl_analysis_counter(a, idx[0]);
    for (i = 1; i < n; i++)
        if (pl_analysis_counter(a, idx[i])->unit != k0->unit)
            return pl_err(err, PL_EUSAGE,
                          "%s and %s have different units; chart them separately",
                          k0->path, pl_analysis_counter(a, idx[i])->path);
    /* the time axis at the first counter's machine's offset */
    off = pl_analysis_counter_offset(a, k0);
    if ((rc = pl_chart_canvas_open(&c, fmt, CHART_W, CHART_H, out, fonts, err)) != PL_OK)
        return rc;
    pl_chart_extents(a, idx, n, n == 1, &t0, &t1, &lo, &hi);
    p.x0 = 100;
    p.x1 = CHART_W - 30;
    p.y0 = 80;
    p.y1 = CHART_H - 120;
    pl_chart_value_scale(lo, hi, k0->unit, 6, &p.vs);
    pl_chart_time_scale(t0, t1, off, 9, &p.ts);
    pl_chart_grid_and_axes(&c, &p, 13, 1);
    if (n == 1) {
        const pl_series *s = pl_store_series(pl_analysis_store(a), k0->series);
        const pl_series_stats *st = pl_series_get_stats(s);
        draw_onset(&c, &p, k0, st->first_t, st->last_t, off, 13);
        pl_chart_draw_series_band(&c, &p, s, PL_C_BAND);
        pl_chart_draw_finding(&c, &p, k0, 13, 1);
        pl_chart_draw_series(&c, &p, s, PL_C_BLUE, PL_C_BAND, 1.6);
        pl_chart_title(k0, title, sizeof title);
        subtitle(a, k0, off, sub, sizeof sub, &subcol);
        /* the band only exists once samples share buckets */
        if (!pl_series_is_exact(s))
            items[nitems++] = (pl_legend_item){"min-max", PL_C_BAND, 0, 0};
        items[nitems++] = (pl_legend_item){pl_series_is_exact(s) ? "samples" : "mean", PL_C_BLUE, 1, 0};
        if (pl_verdict_is_finding(k0->finding.verdict)) {
            items[nitems++] = (pl_legend_item){"trend", PL_C_VERMILLION, 2, 0};
            /* zero, for free memory running out, is the axis' floor, not a
             * line the chart draws */
            if (!isnan(k0->finding.limit) && k0->finding.verdict != PL_VERDICT_RUNNING_OUT)
                items[nitems++] = (pl_legend_item){"limit", PL_C_PURPLE, 3, 0};
        }
    } else {
        size_t nl = sizeof labels / sizeof labels[0];
        /* the highest lines first: they get the first colours and the
         * legend's room, so no line at the top goes unnamed */
        size_t *ord = by_level(a, idx, n);
        const size_t *o = ord ? ord : idx;
        for (i = 0; i < n; i++) {
            const pl_counter *k = pl_analysis_counter(a, o[i]);
            pl_rgb col = PL_SERIES_COLOURS[i % PL_SERIES_NCOLOURS];
            pl_rgb band = {255 - (255 - col.r) / 5, 255 - (255 - col.g) / 5, 255 - (255 - col.b) / 5};
            draw_series_parts(&c, &p, pl_store_series(pl_analysis_store(a), k->series), band, band, 1, 1);
        }
        for (i = 0; i < n; i++) {
            /* past the colours, the same ones dashed: no two lines look alike */
            const pl_counter *k = pl_analysis_counter(a, o[i]);
            c.pl.linemod(c.p, PL_SERIES_DASHES[(i / PL_SERIES_NCOLOURS) % PL_SERIES_NDASHES]);
            draw_series_parts(&c, &p, pl_store_series(pl_analysis_store(a), k->series),
                              PL_SERIES_COLOURS[i % PL_SERIES_NCOLOURS], PL_C_BAND, 2, 2);
            c.pl.linemod(c.p, "solid");
        }
        pl_chart_several_names(a, o, n, title, sizeof title, labels, nl);
        snprintf(sub, sizeof sub, "%s", pl_analysis_log_count(a) ? pl_analysis_log(a, 0)->file : "");
        subcol = PL_C_MUTED;
        for (i = 0; i < n && i < nl; i++) {
            pl_chart_fit_middle(&c, 13, "HersheySans", labels[i], 300);
            items[nitems++] = (pl_legend_item){labels[i], PL_SERIES_COLOURS[i % PL_SERIES_NCOLOURS], 4,
                                               (int)((i / PL_SERIES_NCOLOURS) % PL_SERIES_NDASHES)};
        }
        free(ord);
        series = n;
    }
    pl_chart_set_title(&c, title);
    if (n == 1)
        pl_chart_title_fit(&c, k0, "", 22, "HersheySans-Bold", p.x1 - p.x0, title, sizeof title);
    else
        pl_chart_fit_middle(&c, 22, "HersheySans-Bold", title, p.x1 - p.x0);
    pl_chart_fit(&c, 15, "HersheySans-Bold", sub, p.x1 - p.x0);
    pl_chart_text(&c, p.x0, CHART_H - 30, 'l', 'c', 22, "HersheySans-Bold", PL_C_TEXT, title);
    pl_chart_text(&c, p.x0, CHART_H - 58, 'l', 'c', 15, "HersheySans-Bold", subcol, sub);
    pl_chart_legend(&c, p.x1, CHART_H - 92, items, nitems, n == 1 ? nitems : series, 13, p.x1 - p.x0);
    return pl_chart_canvas_close(&c, err);
}
