/* summary.c - summary.png: the one picture for a ticket, a row per
 * finding, worst first. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "chart/chart_internal.h"
#include "perfleak/diagnose.h"
#include "perfleak/units.h"
#include "util/internal.h"

#define SUM_W 1200
#define SUM_HEAD 160
#define SUM_ROW 150
#define SUM_FOOT 60
#define SUM_MAX_ROWS 10
#define SUM_GROUP 36     /* a machine's heading above its rows */

/* "Culprits: a; b and 23 more (see report.html)": the first shown of d's
 * culprits in buf. */
static void summary_culprits(const pl_diagnosis *d, size_t shown, char *buf, size_t size)
{
    size_t k, o = 0, nd = pl_diagnosis_count(d);
    buf[0] = '\0';
    for (k = 0; k < shown && o + 1 < size; k++) {
        snprintf(buf + o, size - o, "%s%s", k ? "; " : "Culprits: ", pl_diagnosis_finding(d, k)->summary);
        o += strlen(buf + o);
    }
    if (shown < nd && o + 1 < size)
        snprintf(buf + o, size - o, " and %zu more (see report.html)", nd - shown);
}

/* What the card shows, worked out before anything is drawn. */
typedef struct card {
    const pl_analysis *a;
    const pl_diagnosis *d;
    pl_canvas c;
    size_t n, leaks, ok, insufficient, suspects;
    size_t rows, row[SUM_MAX_ROWS];
    const pl_culprit_finding *row_culprit[SUM_MAX_ROWS]; /* the row's culprit when restarts hid it */
    size_t row_group[SUM_MAX_ROWS]; /* the machine the row is of, in names */
    const char **names;            /* the machines, for the title and the groups */
    size_t nm;
    int grouped;                   /* several machines have rows: a heading each */
    int nothing, off, head, h;
    char why[400];
} card;

/* Rows of several machines: grouped by machine (in the order they first
 * appear), worst first within each, a heading above each group. */
static void card_groups(card *k)
{
    size_t i, j, g, first = SIZE_MAX;
    for (i = 0; i < k->rows; i++) {
        const char *m = pl_machine_bare(pl_analysis_counter(k->a, k->row[i])->parts.machine);
        for (g = 0; g < k->nm && strcmp(pl_machine_bare(k->names[g]), m) != 0; g++)
            ;
        k->row_group[i] = g;
        if (first == SIZE_MAX)
            first = g;
        else if (g != first)
            k->grouped = 1;
    }
    if (!k->grouped)
        return;
    /* a stable insertion sort: the rows are at most SUM_MAX_ROWS */
    for (i = 1; i < k->rows; i++) {
        size_t r = k->row[i], gr = k->row_group[i];
        const pl_culprit_finding *c = k->row_culprit[i];
        for (j = i; j > 0 && k->row_group[j - 1] > gr; j--) {
            k->row[j] = k->row[j - 1];
            k->row_group[j] = k->row_group[j - 1];
            k->row_culprit[j] = k->row_culprit[j - 1];
        }
        k->row[j] = r;
        k->row_group[j] = gr;
        k->row_culprit[j] = c;
    }
}

/* The verdict counts and the rows: the worst findings, then the culprits
 * none of whose counters is a finding. PL_OK or PL_ENOMEM. */
static int card_layout(card *k, pl_error *err)
{
    const pl_analysis *a = k->a;
    size_t *order, i;
    int rc;
    k->n = pl_analysis_counter_count(a);
    k->leaks = pl_analysis_finding_count(a);
    k->nothing = pl_analysis_nothing_judged(a, k->why, sizeof k->why);
    k->off = pl_analysis_display_offset(a);
    k->head = SUM_HEAD + (pl_diagnosis_count(k->d) ? 34 : 0) + (pl_analysis_warning_count(a) ? 34 : 0);
    if ((rc = pl_analysis_order(a, &order, err)) != PL_OK)
        return rc;
    for (i = 0; i < k->n; i++) {
        const pl_finding *f = &pl_analysis_counter(a, i)->finding;
        k->ok += f->verdict == PL_VERDICT_OK;
        k->insufficient += f->verdict == PL_VERDICT_INSUFFICIENT;
        k->suspects += f->suspect != 0;
    }
    k->rows = k->leaks < SUM_MAX_ROWS ? k->leaks : SUM_MAX_ROWS;
    for (i = 0; i < k->rows; i++) {
        k->row[i] = order[i];
        k->row_culprit[i] = NULL;
    }
    free(order);
    /* a culprit none of whose counters is a finding (restarts hid it)
     * gets a row of its first evidence counter */
    for (i = 0; i < pl_diagnosis_count(k->d) && k->rows < SUM_MAX_ROWS; i++) {
        const pl_culprit_finding *f = pl_diagnosis_finding(k->d, i);
        if (pl_culprit_hidden(a, f)) {
            k->row[k->rows] = f->evidence[0];
            k->row_culprit[k->rows++] = f;
        }
    }
    if ((rc = pl_analysis_machines(a, &k->names, &k->nm, err)) != PL_OK)
        return rc;
    card_groups(k);
    k->h = k->head + (int)k->rows * SUM_ROW + SUM_FOOT + (k->rows == 0 ? 40 : 0) + (k->nothing ? 32 : 0);
    if (k->grouped)
        for (i = 0; i < k->rows; i++)
            k->h += (i == 0 || k->row_group[i] != k->row_group[i - 1]) ? SUM_GROUP : 0;
    return PL_OK;
}

/* The header: what, where, when, and the verdict. */
static void card_header(card *k, const char **names, size_t nm)
{
    const pl_analysis *a = k->a;
    pl_canvas *c = &k->c;
    const pl_log_info *l = pl_analysis_log_count(a) ? pl_analysis_log(a, 0) : NULL;
    char buf[768], machines[256] = "", s0[64] = "", iv[64] = "", offs[16];
    size_t samples = 0, shown, nd = pl_diagnosis_count(k->d);
    pl_time t0 = 0, t1 = 0;
    int h = k->h;
    pl_analysis_span(a, &t0, &t1, &samples);
    /* the machines, as many as the title has room for, then how many
     * more */
    shown = nm;
    do {
        pl_join_names(names, nm, shown, machines, sizeof machines);
        snprintf(buf, sizeof buf, "perfleak report%s%s", machines[0] ? " - " : "", machines);
    } while (shown > 1 && pl_chart_text_width(c, 32, "HersheySans-Bold", buf) > SUM_W - 80 &&
             --shown > 0);
    pl_chart_set_title(c, buf);
    pl_chart_fit(c, 32, "HersheySans-Bold", buf, SUM_W - 80);
    pl_chart_text(c, 40, h - 45, 'l', 'c', 32, "HersheySans-Bold", PL_C_TEXT, buf);
    pl_time_format_offset(k->off, offs, sizeof offs);
    if (samples) {
        pl_time_format_span(t0, t1, k->off, s0, sizeof s0);
        pl_sample_count_text(samples, l ? l->interval_s : 0, iv, sizeof iv);
        snprintf(buf, sizeof buf, "%s (%s), %s, %zu log%s, %zu counters analysed",
                 s0, offs, iv, pl_analysis_log_count(a),
                 pl_analysis_log_count(a) == 1 ? "" : "s", k->n);
    } else {
        snprintf(buf, sizeof buf, "no samples");
    }
    pl_chart_fit(c, 18, "HersheySans", buf, SUM_W - 80);
    pl_chart_text(c, 40, h - 82, 'l', 'c', 18, "HersheySans", PL_C_MUTED, buf);
    if (k->leaks) {
        size_t nl = pl_analysis_leak_count(a), ro = k->leaks - nl;
        if (nl && ro)
            snprintf(buf, sizeof buf, "%zu leak%s found, %zu counter%s running out", nl,
                     nl == 1 ? "" : "s", ro, ro == 1 ? "" : "s");
        else if (nl)
            snprintf(buf, sizeof buf, "%zu leak%s found", nl, nl == 1 ? "" : "s");
        else
            snprintf(buf, sizeof buf, "No leak; %zu counter%s running out", ro, ro == 1 ? "" : "s");
    }
    else if (nd)
        snprintf(buf, sizeof buf, "%zu culprit%s found (no counter leaks on its own)", nd, nd == 1 ? "" : "s");
    else if (k->nothing)
        snprintf(buf, sizeof buf, "Nothing could be judged");
    else
        snprintf(buf, sizeof buf, "No leak found");
    pl_chart_text(c, 40, h - 118, 'l', 'c', 26, "HersheySans-Bold",
                  k->leaks || nd ? PL_T_VERMILLION : k->nothing ? PL_T_ORANGE : PL_T_GREEN, buf);
}

/* Under the verdict: the culprits in one line, and that there are caveats. */
static void card_notes(card *k)
{
    const pl_analysis *a = k->a;
    pl_canvas *c = &k->c;
    size_t nd = pl_diagnosis_count(k->d);
    char buf[768], culprits[768] = "";
    if (nd) {
        /* worst first: whole ones, as many as fit, and how many more;
         * from one up, so that the cost stays that of the few that fit
         * however many culprits there are */
        size_t shown, fits = 1;
        for (shown = 1; shown <= nd; shown++) {
            summary_culprits(k->d, shown, culprits, sizeof culprits);
            if (pl_chart_text_width(c, 17, "HersheySans-Bold", culprits) > SUM_W - 80)
                break;
            fits = shown;
        }
        summary_culprits(k->d, fits, culprits, sizeof culprits);
        pl_chart_fit(c, 17, "HersheySans-Bold", culprits, SUM_W - 80);
        pl_chart_text(c, 40, k->h - 152, 'l', 'c', 17, "HersheySans-Bold", PL_T_VERMILLION, culprits);
    }
    if (pl_analysis_warning_count(a)) {
        /* the caveats are in the report; the picture says there are some */
        size_t nw = pl_analysis_warning_count(a) + pl_analysis_warnings_dropped(a);
        snprintf(buf, sizeof buf, "%zu caveat%s (in the report): %s", nw, nw == 1 ? "" : "s",
                 pl_analysis_warning(a, 0)->text);
        pl_chart_fit(c, 17, "HersheySans", buf, SUM_W - 80);
        pl_chart_text(c, 40, k->h - 152 - (nd ? 34 : 0), 'l', 'c', 17, "HersheySans", PL_T_ORANGE, buf);
    }
}

/* A row's text for a culprit the restarts hid from every counter. */
static void card_row_culprit(card *k, const pl_counter *ctr, const pl_culprit_finding *f, double y)
{
    pl_canvas *c = &k->c;
    char buf[768], r[48], more[512];
    snprintf(buf, sizeof buf, "%s", f->summary);
    pl_chart_fit(c, 21, "HersheySans-Bold", buf, SUM_W - 40 - 590);
    pl_chart_text(c, 590, y - 60, 'l', 'c', 21, "HersheySans-Bold", PL_T_VERMILLION, buf);
    pl_format_value(f->nrates ? f->rates[0].per_hour : 0, ctr->unit, r, sizeof r);
    snprintf(buf, sizeof buf, "grows %s/h%s", r, f->restarts ? " in every life" : "");
    pl_chart_text(c, 590, y - 90, 'l', 'c', 17, "HersheySans", PL_C_TEXT, buf);
    more[0] = '\0';
    if (f->restarts)
        snprintf(more, sizeof more, "restarted %zu times, about every %.1f h", f->restarts, f->restart_every_h);
    pl_chart_fit(c, 17, "HersheySans", more, SUM_W - 40 - 590);
    pl_chart_text(c, 590, y - 118, 'l', 'c', 17, "HersheySans", PL_C_MUTED, more);
}

/* A row's text for a finding: growth and rate, onset and trend, and the
 * limit's date or the rate's interval. */
static void card_row_finding(card *k, const pl_counter *ctr, double y)
{
    pl_canvas *c = &k->c;
    const pl_finding *f = &ctr->finding;
    char buf[768], g[48], r[48], on[48], lo_s[48], hi_s[48], pct[24];
    pl_format_amount(f->growth, ctr->unit, g, sizeof g);
    pl_format_value(f->slope_per_hour, ctr->unit, r, sizeof r);
    pl_format_amount(f->start_level, ctr->unit, lo_s, sizeof lo_s);
    pl_format_amount(f->end_level, ctr->unit, hi_s, sizeof hi_s);
    pl_format_pct(f->growth_pct, 1, pct, sizeof pct);
    snprintf(buf, sizeof buf, "%s%s (%s) at %s/h", f->growth >= 0 ? "+" : "", g, pct, r);
    pl_chart_text(c, 590, y - 60, 'l', 'c', 21, "HersheySans-Bold", PL_T_VERMILLION, buf);
    pl_analysis_onset_text(k->a, ctr, on, sizeof on);
    snprintf(buf, sizeof buf, "%s, trend %s -> %s", on, lo_s, hi_s);
    pl_chart_fit(c, 17, "HersheySans", buf, SUM_W - 40 - 590);
    pl_chart_text(c, 590, y - 90, 'l', 'c', 17, "HersheySans", PL_C_TEXT, buf);
    if (!isnan(f->eta_h)) {
        char lim[48], e[32], e2[32];
        pl_limit_text(f, ctr->unit, lim, sizeof lim);
        pl_format_duration(f->eta_h * 3600, e, sizeof e);
        pl_format_duration(f->eta_h_early * 3600, e2, sizeof e2);
        if (f->eta_h > 0)
            snprintf(buf, sizeof buf, "reaches %s in %s (%s at the fastest)", lim, e, e2);
        else
            snprintf(buf, sizeof buf, "already at its limit of %s", lim);
        pl_chart_fit(c, 17, "HersheySans", buf, SUM_W - 40 - 590);
        pl_chart_text(c, 590, y - 118, 'l', 'c', 17, "HersheySans", PL_T_PURPLE, buf);
    } else {
        /* the rate's 95 % interval, where a limit's date would go: a
         * range in the counter's unit says more than a "confidence" */
        char ri[96];
        pl_format_rate_interval(f->slope_lo, f->slope_hi, ctr->unit, ri, sizeof ri);
        snprintf(buf, sizeof buf, "rate %s (95%% interval)%s", ri,
                 f->lives > 2 ? ", across restarts or collections" :
                 f->period_h > 0 ? ", under a repeating cycle" : "");
        pl_chart_fit(c, 17, "HersheySans", buf, SUM_W - 40 - 590);
        pl_chart_text(c, 590, y - 118, 'l', 'c', 17, "HersheySans", PL_C_MUTED, buf);
    }
}

/* Row i: a small chart of its counter, and its text beside it. */
static void card_row(card *k, size_t i, double y)
{
    const pl_counter *ctr = pl_analysis_counter(k->a, k->row[i]);
    const pl_series *s = pl_store_series(pl_analysis_store(k->a), ctr->series);
    pl_canvas *c = &k->c;
    pl_panel p;
    double t0, t1, lo, hi;
    char buf[768], line[32];
    pl_chart_pen(c, PL_C_GRID);
    c->pl.flinewidth(c->p, 1);
    c->pl.fline(c->p, 40, y, SUM_W - 40, y);
    pl_chart_extents(k->a, &k->row[i], 1, 0, &t0, &t1, &lo, &hi);
    p.x0 = 40;
    p.x1 = 560;
    p.y0 = y - SUM_ROW + 18;
    p.y1 = y - 14;
    pl_chart_value_scale(lo, hi, ctr->unit, 3, &p.vs);
    p.vs.lo = lo - (hi - lo) * 0.05;
    p.vs.hi = hi + (hi - lo) * 0.05 + (hi == lo);
    pl_chart_time_scale(t0, t1, pl_analysis_counter_offset(k->a, ctr), 6, &p.ts);
    pl_chart_grid_and_axes(c, &p, 11, 0);
    pl_chart_draw_series_band(c, &p, s, PL_C_BAND);
    pl_chart_draw_finding(c, &p, ctr, 11, 0);
    pl_chart_draw_series(c, &p, s, PL_C_BLUE, PL_C_BAND, 1.2);
    snprintf(line, sizeof line, "%zu. ", i + 1);
    pl_chart_title_fit(c, ctr, line, 22, "HersheySans-Bold", SUM_W - 40 - 590, buf, sizeof buf);
    pl_chart_text(c, 590, y - 28, 'l', 'c', 22, "HersheySans-Bold", PL_C_TEXT, buf);
    if (k->row_culprit[i])
        card_row_culprit(k, ctr, k->row_culprit[i], y);
    else
        card_row_finding(k, ctr, y);
}

/* The foot: what more there is, why nothing could be judged, the rest. */
static void card_foot(card *k, double y)
{
    pl_canvas *c = &k->c;
    char buf[768], line[128];
    if (k->leaks > k->rows)
        snprintf(line, sizeof line, "... and %zu more leaks (see report.html). ", k->leaks - k->rows);
    else
        line[0] = '\0';
    if (k->nothing) {
        k->why[0] = (char)(k->why[0] >= 'a' && k->why[0] <= 'z' ? k->why[0] - 32 : k->why[0]);
        if (k->suspects)
            snprintf(buf, sizeof buf, "%s; %zu counter%s grew as a leak does (suspect%s: see report.html).",
                     k->why, k->suspects, k->suspects == 1 ? "" : "s", k->suspects == 1 ? "" : "s");
        else
            snprintf(buf, sizeof buf, "%s.", k->why);
        pl_chart_fit(c, 17, "HersheySans", buf, SUM_W - 80);
        pl_chart_text(c, 40, y - 30, 'l', 'c', 17, "HersheySans", PL_C_TEXT, buf);
        y -= 30;
    }
    snprintf(buf, sizeof buf, "%s%zu %scounter%s ok, %zu with too little data, %zu that cannot leak.  perfleak %s",
             line, k->ok, k->leaks ? "other " : "", k->ok == 1 ? "" : "s", k->insufficient,
             k->n - k->ok - k->insufficient - k->leaks, PL_VERSION);
    pl_chart_text(c, 40, y - 30, 'l', 'c', 17, "HersheySans", PL_C_MUTED, buf);
}

int pl_chart_summary_card(const pl_result *res, pl_chart_format fmt, pl_fonts *fonts, FILE *out,
                          pl_error *err)
{
    card k;
    size_t i;
    double y;
    int rc;
    memset(&k, 0, sizeof k);
    k.a = res->analysis;
    k.d = res->diagnosis;
    if ((rc = card_layout(&k, err)) != PL_OK ||
        (rc = pl_chart_canvas_open(&k.c, fmt, SUM_W, k.h, out, fonts, err)) != PL_OK) {
        free(k.names);
        return rc;
    }
    card_header(&k, k.names, k.nm);
    card_notes(&k);
    y = k.h - k.head;
    for (i = 0; i < k.rows; i++, y -= SUM_ROW) {
        if (k.grouped && (i == 0 || k.row_group[i] != k.row_group[i - 1])) {
            /* the machine's name and the offset its times are at */
            char head[320], o[16];
            const char *m = k.row_group[i] < k.nm ? pl_machine_bare(k.names[k.row_group[i]]) : "";
            pl_time_format_offset(pl_analysis_machine_offset(k.a, m), o, sizeof o);
            snprintf(head, sizeof head, "%s (%s)", m[0] ? m : "the local machine", o);
            pl_chart_fit(&k.c, 20, "HersheySans-Bold", head, SUM_W - 80);
            pl_chart_text(&k.c, 40, y - 20, 'l', 'c', 20, "HersheySans-Bold", PL_C_TEXT, head);
            y -= SUM_GROUP;
        }
        card_row(&k, i, y);
    }
    pl_chart_pen(&k.c, PL_C_GRID);
    k.c.pl.fline(k.c.p, 40, y, SUM_W - 40, y);
    card_foot(&k, y);
    free(k.names);
    return pl_chart_canvas_close(&k.c, err);
}
