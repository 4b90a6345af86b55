/* compare.c - the charts of perfleak compare: a culprit's main counter in
 * both captures overlaid on one "hours since start" axis, each with its
 * trend and its rate in the legend; and a summary card with one verdict a
 * row. The captures come from different boots, intervals and time zones,
 * so the one axis they share is the time since each began. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "chart/chart_internal.h"
#include "perfleak/compare.h"
#include "perfleak/units.h"
#include "util/internal.h"

#define CMP_LIVES 8        /* counters a side draws: a culprit's lives */
#define CARD_W 1200
#define CARD_HEAD 150
#define CARD_ROW 124
#define CARD_FOOT 50
#define CARD_MAX_ROWS 12

static const pl_rgb AFTER_LINE = {0xD5, 0x5E, 0x00}, AFTER_BAND = {0xF7, 0xDF, 0xCC},
                    BEFORE_TREND = {0x00, 0x4E, 0x7A}, AFTER_TREND = {0x9A, 0x3D, 0x00};

/* What one side of a comparison draws. */
typedef struct overlay_side {
    const pl_analysis *a;
    const pl_cmp_side *s;
    size_t idx[CMP_LIVES], n;
    double t0;   /* the capture's start, seconds */
    double hours;
} overlay_side;

typedef struct overlay {
    const pl_comparison *k;
    overlay_side side[2];
    double span;          /* seconds the axis covers */
    double lo, hi;
    pl_unit unit;
} overlay;

static void overlay_init(overlay *o, const pl_compare *c, size_t i)
{
    int s;
    memset(o, 0, sizeof *o);
    o->k = pl_compare_item(c, i);
    o->lo = INFINITY;
    o->hi = -INFINITY;
    o->unit = PL_UNIT_NONE;
    for (s = 0; s < 2; s++) {
        overlay_side *d = &o->side[s];
        pl_time t0 = 0, t1 = 0;
        size_t rows;
        d->a = (s ? pl_compare_after(c) : pl_compare_before(c))->analysis;
        d->s = s ? &o->k->after : &o->k->before;
        d->n = pl_compare_counters(c, i, s, d->idx, CMP_LIVES);
        if (pl_analysis_span(d->a, &t0, &t1, &rows)) {
            d->t0 = pl_chart_secs(t0);
            d->hours = pl_chart_secs(t1 - t0) / 3600;
        }
        o->span = fmax(o->span, d->hours * 3600);
        if (d->n) {
            double a0, a1, lo, hi;
            pl_chart_extents(d->a, d->idx, d->n, 0, &a0, &a1, &lo, &hi);
            o->lo = fmin(o->lo, lo);
            o->hi = fmax(o->hi, hi);
            if (s == 0 || !o->side[0].n)
                o->unit = pl_analysis_counter(d->a, d->idx[0])->unit;
        }
    }
    if (!(o->span > 0))
        o->span = 3600;
    if (!isfinite(o->lo)) {
        o->lo = 0;
        o->hi = 1;
    }
}

/* p moved so that side d's times fall at their hours since its start. */
static pl_panel side_panel(const pl_panel *p, const overlay *o, int s)
{
    pl_panel q = *p;
    q.ts.t0 = o->side[s].t0;
    q.ts.t1 = o->side[s].t0 + o->span;
    return q;
}

static void draw_trends(pl_canvas *c, const pl_panel *q, const overlay_side *d, pl_rgb k, double width)
{
    size_t i;
    pl_chart_pen(c, k);
    c->pl.flinewidth(c->p, width);
    c->pl.linemod(c->p, "longdashed");
    for (i = 0; i < d->n; i++) {
        const pl_finding *f = &pl_analysis_counter(d->a, d->idx[i])->finding;
        if (!pl_verdict_is_finding(f->verdict))
            continue;
        c->pl.fline(c->p, pl_chart_px(q, pl_chart_secs(f->regime_start)), pl_chart_py(q, f->start_level),
                    pl_chart_px(q, pl_chart_secs(f->regime_end)), pl_chart_py(q, f->end_level));
    }
    c->pl.linemod(c->p, "solid");
}

/* Both captures in p: bands, then trends, then the lines on top. */
static void draw_overlay(pl_canvas *c, const pl_panel *p, const overlay *o, double line_w, double trend_w)
{
    static const pl_rgb *const line[] = {&PL_C_BLUE, &AFTER_LINE}, *const band[] = {&PL_C_BAND, &AFTER_BAND},
                        *const trend[] = {&BEFORE_TREND, &AFTER_TREND};
    pl_panel q[2];
    int s;
    size_t i;
    for (s = 0; s < 2; s++)
        q[s] = side_panel(p, o, s);
    for (s = 0; s < 2; s++)
        for (i = 0; i < o->side[s].n; i++)
            pl_chart_draw_series_band(c, &q[s],
                                      pl_store_series(pl_analysis_store(o->side[s].a),
                                                      pl_analysis_counter(o->side[s].a, o->side[s].idx[i])->series),
                                      *band[s]);
    for (s = 0; s < 2; s++)
        draw_trends(c, &q[s], &o->side[s], *trend[s], trend_w);
    for (s = 0; s < 2; s++)
        for (i = 0; i < o->side[s].n; i++)
            pl_chart_draw_series(c, &q[s],
                                 pl_store_series(pl_analysis_store(o->side[s].a),
                                                 pl_analysis_counter(o->side[s].a, o->side[s].idx[i])->series),
                                 *line[s], *band[s], line_w);
}

/* "before: 4.00 MB/h", "after: no leak", "after: not logged". */
static void side_label(const overlay *o, int s, char *buf, size_t size)
{
    const overlay_side *d = &o->side[s];
    char v[48];
    if (!d->n)
        snprintf(buf, size, "%s: not logged", s ? "after" : "before");
    else if (d->s->f && !isnan(d->s->rate)) {
        pl_format_value(d->s->rate, d->s->unit, v, sizeof v);
        snprintf(buf, size, "%s: %s/h over %.0f h", s ? "after" : "before", v, d->hours);
    } else
        snprintf(buf, size, "%s: no leak in %.0f h", s ? "after" : "before", d->hours);
}

/* "OrderSvc - Private Bytes on WEB01" for the main counter. */
static void overlay_title(const overlay *o, char *buf, size_t size)
{
    const overlay_side *d = o->side[0].n ? &o->side[0] : &o->side[1];
    const pl_comparison *k = o->k;
    const pl_path *p;
    if (!d->n) {
        snprintf(buf, size, "%s", k->name[0] ? k->name : "?");
        return;
    }
    p = &pl_analysis_counter(d->a, d->idx[0])->parts;
    snprintf(buf, size, "%.*s - %s%s%s", p->instance ? (int)strcspn(p->instance, "#") : (int)strlen(p->object ? p->object : ""),
             p->instance ? p->instance : p->object ? p->object : "", p->counter ? p->counter : "",
             k->machine && k->machine[0] ? " on " : "", k->machine ? pl_machine_bare(k->machine) : "");
}

static pl_rgb verdict_colour(pl_cmp_verdict v)
{
    return v == PL_CMP_GONE ? PL_T_GREEN : v == PL_CMP_CANNOT_TELL ? PL_C_MUTED : PL_T_VERMILLION;
}

/* The verdict's sentence without the culprit and the verdict it starts
 * with ("services on SRV01: gone, it leaked ..."): the chart says both. */
static const char *summary_tail(const pl_comparison *k)
{
    static const char *const said[] = {"worse", "new", "unchanged", "slower", "cannot tell", "gone"};
    const char *s = strstr(k->summary, ": ");
    size_t n;
    s = s ? s + 2 : k->summary;
    n = strlen(said[k->verdict]);
    if (strncmp(s, said[k->verdict], n) == 0 && s[n] == ',' && s[n + 1] == ' ')
        s += n + 2;
    return s;
}

static void upper(const char *s, char *buf, size_t size)
{
    size_t i;
    for (i = 0; s[i] && i + 1 < size; i++)
        buf[i] = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 32) : s[i] == '-' ? ' ' : s[i];
    buf[i] = '\0';
}

int pl_chart_compare_full(const pl_compare *c, size_t i, pl_chart_format fmt, pl_fonts *fonts, FILE *out,
                          pl_error *err)
{
    pl_canvas cv;
    pl_panel p;
    overlay o;
    char title[512], sub[900], verdict[32], lb[96], la[96];
    pl_legend_item items[3];
    int rc;
    if (i >= pl_compare_count(c))
        return pl_err(err, PL_EUSAGE, "no comparison %zu to chart", i);
    overlay_init(&o, c, i);
    if ((rc = pl_chart_canvas_open(&cv, fmt, CHART_W, CHART_H, out, fonts, err)) != PL_OK)
        return rc;
    p.x0 = 100;
    p.x1 = CHART_W - 30;
    p.y0 = 80;
    p.y1 = CHART_H - 120;
    pl_chart_value_scale(o.lo, o.hi, o.unit, 6, &p.vs);
    pl_chart_time_scale(0, o.span, 0, 9, &p.ts);
    p.ts.elapsed = 1;
    pl_chart_grid_and_axes(&cv, &p, 13, 1);
    draw_overlay(&cv, &p, &o, 1.6, 3);
    overlay_title(&o, title, sizeof title);
    pl_chart_set_title(&cv, title);
    upper(pl_cmp_verdict_name(o.k->verdict), verdict, sizeof verdict);
    snprintf(sub, sizeof sub, "%s: %s", verdict, summary_tail(o.k));
    pl_chart_fit_middle(&cv, 22, "HersheySans-Bold", title, p.x1 - p.x0);
    pl_chart_fit(&cv, 15, "HersheySans-Bold", sub, p.x1 - p.x0);
    pl_chart_text(&cv, p.x0, CHART_H - 30, 'l', 'c', 22, "HersheySans-Bold", PL_C_TEXT, title);
    pl_chart_text(&cv, p.x0, CHART_H - 58, 'l', 'c', 15, "HersheySans-Bold", verdict_colour(o.k->verdict), sub);
    side_label(&o, 0, lb, sizeof lb);
    side_label(&o, 1, la, sizeof la);
    items[0] = (pl_legend_item){lb, PL_C_BLUE, 1, 0};
    items[1] = (pl_legend_item){la, AFTER_LINE, 1, 0};
    items[2] = (pl_legend_item){"trend", PL_C_MUTED, 2, 0};
    pl_chart_legend(&cv, p.x1, CHART_H - 92, items, 3, 3, 13, p.x1 - p.x0);
    return pl_chart_canvas_close(&cv, err);
}

/* ---------- the card ---------- */

static void card_header(pl_canvas *cv, const pl_compare *c, int h)
{
    static const char *const name[] = {"before", "after"};
    char buf[600], side[300], machines[300];
    int s;
    pl_compare_machines(c, 3, machines, sizeof machines);
    snprintf(buf, sizeof buf, "perfleak compare%s%s", machines[0] ? " - " : "", machines);
    pl_chart_fit(cv, 30, "HersheySans-Bold", buf, CARD_W - 80);
    pl_chart_text(cv, 40, h - 42, 'l', 'c', 30, "HersheySans-Bold", PL_C_TEXT, buf);
    for (s = 0; s < 2; s++) {
        pl_compare_side_text(c, s, side, sizeof side);
        snprintf(buf, sizeof buf, "%s: %s", name[s], side);
        pl_chart_fit(cv, 16, "HersheySans", buf, CARD_W - 80);
        pl_chart_text(cv, 40, h - 76 - 22 * s, 'l', 'c', 16, "HersheySans", PL_C_MUTED, buf);
    }
    pl_compare_tally(c, buf, sizeof buf);
    pl_chart_text(cv, 40, h - 130, 'l', 'c', 20, "HersheySans-Bold",
                  pl_compare_status(c) == 0 ? PL_T_GREEN : pl_compare_status(c) == 1 ? PL_T_VERMILLION : PL_C_MUTED,
                  buf);
}

/* One row: a small overlay, the verdict, what was compared, the rates. */
static void card_row(pl_canvas *cv, const pl_compare *c, size_t i, double top)
{
    overlay o;
    pl_panel p;
    char buf[900], verdict[32], v[48], w[48];
    const pl_comparison *k;
    double x = 470, width = CARD_W - 40 - x;
    overlay_init(&o, c, i);
    k = o.k;
    p.x0 = 40;
    p.x1 = 440;
    p.y0 = top - CARD_ROW + 14;
    p.y1 = top - 10;
    pl_chart_value_scale(o.lo, o.hi, o.unit, 3, &p.vs);
    pl_chart_time_scale(0, o.span, 0, 4, &p.ts);
    p.ts.elapsed = 1;
    pl_chart_grid_and_axes(cv, &p, 11, 0);
    draw_overlay(cv, &p, &o, 1.2, 2);
    upper(pl_cmp_verdict_name(k->verdict), verdict, sizeof verdict);
    pl_chart_text(cv, x, top - 22, 'l', 'c', 21, "HersheySans-Bold", verdict_colour(k->verdict), verdict);
    overlay_title(&o, buf, sizeof buf);
    pl_chart_fit_middle(cv, 18, "HersheySans-Bold", buf, width);
    pl_chart_text(cv, x, top - 50, 'l', 'c', 18, "HersheySans-Bold", PL_C_TEXT, buf);
    if (!isnan(k->before.rate))
        pl_format_value(k->before.rate, k->before.unit, v, sizeof v);
    if (!isnan(k->after.rate))
        pl_format_value(k->after.rate, k->after.unit, w, sizeof w);
    snprintf(buf, sizeof buf, "before %s%s   after %s%s", isnan(k->before.rate) ? "no leak" : v,
             isnan(k->before.rate) ? "" : "/h", isnan(k->after.rate) ? "no leak" : w,
             isnan(k->after.rate) ? "" : "/h");
    if (!isnan(k->ratio))
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "   x%.2f", k->ratio);
    pl_chart_fit(cv, 16, "HersheySans", buf, width);
    pl_chart_text(cv, x, top - 76, 'l', 'c', 16, "HersheySans", PL_C_TEXT, buf);
    snprintf(buf, sizeof buf, "%s", summary_tail(k));
    pl_chart_fit(cv, 14, "HersheySans", buf, width);
    pl_chart_text(cv, x, top - 100, 'l', 'c', 14, "HersheySans", PL_C_MUTED, buf);
}

int pl_chart_compare_card(const pl_compare *c, pl_chart_format fmt, pl_fonts *fonts, FILE *out, pl_error *err)
{
    pl_canvas cv;
    size_t n = pl_compare_count(c), rows = n < CARD_MAX_ROWS ? n : CARD_MAX_ROWS, i;
    int h = CARD_HEAD + (int)(rows ? rows : 1) * CARD_ROW + CARD_FOOT, rc;
    char buf[160];
    if ((rc = pl_chart_canvas_open(&cv, fmt, CARD_W, h, out, fonts, err)) != PL_OK)
        return rc;
    pl_chart_set_title(&cv, "perfleak compare: did the fix work");
    card_header(&cv, c, h);
    for (i = 0; i < rows; i++) {
        double top = h - CARD_HEAD - (double)i * CARD_ROW;
        pl_chart_pen(&cv, PL_C_GRID);
        cv.pl.flinewidth(cv.p, 1);
        cv.pl.fline(cv.p, 40, top, CARD_W - 40, top);
        card_row(&cv, c, i, top);
    }
    if (rows < n)
        snprintf(buf, sizeof buf, "and %zu more in report.html; both captures on hours since each began",
                 n - rows);
    else
        snprintf(buf, sizeof buf, "blue: before, orange: after; both on hours since each capture began");
    pl_chart_text(&cv, 40, 24, 'l', 'c', 14, "HersheySans", PL_C_MUTED, buf);
    pl_chart_text(&cv, CARD_W - 40, 24, 'r', 'c', 14, "HersheySans", PL_C_MUTED, "perfleak " PL_VERSION);
    return pl_chart_canvas_close(&cv, err);
}
