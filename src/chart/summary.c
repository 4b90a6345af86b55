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

int pl_chart_summary_card(const pl_result *res, pl_chart_format fmt, pl_fonts *fonts, FILE *out,
                          pl_error *err)
{
    const pl_analysis *a = res->analysis;
    const pl_diagnosis *d = res->diagnosis;
    pl_canvas c;
    size_t *order = NULL, i, leaks = pl_analysis_finding_count(a), rows, n = pl_analysis_counter_count(a);
    size_t ok = 0, insufficient = 0, suspects = 0;
    char why[400];
    int nothing = pl_analysis_nothing_judged(a, why, sizeof why);
    int off = pl_analysis_display_offset(a), rc, h;
    char buf[768], line[512], culprits[768] = "";
    const char **names = NULL; /* the machines, for the title */
    size_t nm = 0;
    double y;
    int head;
    size_t row[SUM_MAX_ROWS];
    const pl_culprit_finding *row_culprit[SUM_MAX_ROWS];
    head = SUM_HEAD + (pl_diagnosis_count(d) ? 34 : 0) + (pl_analysis_warning_count(a) ? 34 : 0);
    if ((rc = pl_analysis_order(a, &order, err)) != PL_OK)
        return rc;
    for (i = 0; i < n; i++) {
        const pl_finding *f = &pl_analysis_counter(a, i)->finding;
        ok += f->verdict == PL_VERDICT_OK;
        insufficient += f->verdict == PL_VERDICT_INSUFFICIENT;
        suspects += f->suspect != 0;
    }
    rows = leaks < SUM_MAX_ROWS ? leaks : SUM_MAX_ROWS;
    for (i = 0; i < rows; i++) {
        row[i] = order[i];
        row_culprit[i] = NULL;
    }
    /* a culprit none of whose counters is a finding (restarts hid it)
     * gets a row of its first evidence counter */
    for (i = 0; i < pl_diagnosis_count(d) && rows < SUM_MAX_ROWS; i++) {
        const pl_culprit_finding *f = pl_diagnosis_finding(d, i);
        if (pl_culprit_hidden(a, f)) {
            row[rows] = f->evidence[0];
            row_culprit[rows++] = f;
        }
    }
    h = head + (int)rows * SUM_ROW + SUM_FOOT + (rows == 0 ? 40 : 0) + (nothing ? 32 : 0);
    if ((rc = pl_analysis_machines(a, &names, &nm, err)) != PL_OK ||
        (rc = pl_chart_canvas_open(&c, fmt, SUM_W, h, out, fonts, err)) != PL_OK) {
        free(names);
        free(order);
        return rc;
    }
    /* header: what, where, when */
    {
        const pl_log_info *l = pl_analysis_log_count(a) ? pl_analysis_log(a, 0) : NULL;
        char machines[256] = "", s0[64] = "", iv[64] = "", offs[16];
        size_t samples = 0, shown;
        pl_time t0 = 0, t1 = 0;
        pl_analysis_span(a, &t0, &t1, &samples);
        /* the machines, as many as the title has room for, then how many
         * more */
        shown = nm;
        do {
            pl_join_names(names, nm, shown, machines, sizeof machines);
            snprintf(buf, sizeof buf, "perfleak report%s%s", machines[0] ? " - " : "", machines);
        } while (shown > 1 && pl_chart_text_width(&c, 32, "HersheySans-Bold", buf) > SUM_W - 80 &&
                 --shown > 0);
        pl_chart_set_title(&c, buf);
        pl_chart_fit(&c, 32, "HersheySans-Bold", buf, SUM_W - 80);
        pl_chart_text(&c, 40, h - 45, 'l', 'c', 32, "HersheySans-Bold", PL_C_TEXT, buf);
        pl_time_format_offset(off, offs, sizeof offs);
        if (samples) {
            pl_time_format_span(t0, t1, off, s0, sizeof s0);
            pl_sample_count_text(samples, l ? l->interval_s : 0, iv, sizeof iv);
            snprintf(buf, sizeof buf, "%s (%s), %s, %zu log%s, %zu counters analysed",
                     s0, offs, iv, pl_analysis_log_count(a),
                     pl_analysis_log_count(a) == 1 ? "" : "s", n);
        } else {
            snprintf(buf, sizeof buf, "no samples");
        }
        pl_chart_fit(&c, 18, "HersheySans", buf, SUM_W - 80);
        pl_chart_text(&c, 40, h - 82, 'l', 'c', 18, "HersheySans", PL_C_MUTED, buf);
        if (leaks) {
            size_t nl = pl_analysis_leak_count(a), ro = leaks - nl;
            if (nl && ro)
                snprintf(buf, sizeof buf, "%zu leak%s found, %zu counter%s running out", nl,
                         nl == 1 ? "" : "s", ro, ro == 1 ? "" : "s");
            else if (nl)
                snprintf(buf, sizeof buf, "%zu leak%s found", nl, nl == 1 ? "" : "s");
            else
                snprintf(buf, sizeof buf, "No leak; %zu counter%s running out", ro, ro == 1 ? "" : "s");
        }
        else if (pl_diagnosis_count(d))
            snprintf(buf, sizeof buf, "%zu culprit%s found (no counter leaks on its own)",
                     pl_diagnosis_count(d), pl_diagnosis_count(d) == 1 ? "" : "s");
        else if (nothing)
            snprintf(buf, sizeof buf, "Nothing could be judged");
        else
            snprintf(buf, sizeof buf, "No leak found");
        pl_chart_text(&c, 40, h - 118, 'l', 'c', 26, "HersheySans-Bold",
             leaks || pl_diagnosis_count(d) ? PL_T_VERMILLION : nothing ? PL_T_ORANGE : PL_T_GREEN, buf);
    }
    /* one row per leak, worst first */
    if (pl_diagnosis_count(d)) {
        /* the culprits in one line under the verdict, worst first: whole
         * ones, as many as fit, and how many more */
        size_t nd = pl_diagnosis_count(d), shown, fits = 1;
        /* from one up, so that the cost stays that of the few that fit
         * however many culprits there are */
        for (shown = 1; shown <= nd; shown++) {
            summary_culprits(d, shown, culprits, sizeof culprits);
            if (pl_chart_text_width(&c, 17, "HersheySans-Bold", culprits) > SUM_W - 80)
                break;
            fits = shown;
        }
        summary_culprits(d, fits, culprits, sizeof culprits);
        pl_chart_fit(&c, 17, "HersheySans-Bold", culprits, SUM_W - 80);
        pl_chart_text(&c, 40, h - 152, 'l', 'c', 17, "HersheySans-Bold", PL_T_VERMILLION, culprits);
    }
    if (pl_analysis_warning_count(a)) {
        /* the caveats are in the report; the picture says there are some */
        size_t nw = pl_analysis_warning_count(a) + pl_analysis_warnings_dropped(a);
        snprintf(buf, sizeof buf, "%zu caveat%s (in the report): %s", nw, nw == 1 ? "" : "s",
                 pl_analysis_warning(a, 0)->text);
        pl_chart_fit(&c, 17, "HersheySans", buf, SUM_W - 80);
        pl_chart_text(&c, 40, h - 152 - (pl_diagnosis_count(d) ? 34 : 0), 'l', 'c', 17, "HersheySans", PL_T_ORANGE, buf);
    }
    y = h - head;
    for (i = 0; i < rows; i++) {
        const pl_counter *k = pl_analysis_counter(a, row[i]);
        const pl_series *s = pl_store_series(pl_analysis_store(a), k->series);
        const pl_finding *f = &k->finding;
        pl_panel p;
        double t0, t1, lo, hi;
        char g[48], r[48], on[48], lo_s[48], hi_s[48], pct[24];
        pl_chart_pen(&c, PL_C_GRID);
        c.pl.flinewidth(c.p, 1);
        c.pl.fline(c.p, 40, y, SUM_W - 40, y);
        pl_chart_extents(a, &row[i], 1, 0, &t0, &t1, &lo, &hi);
        p.x0 = 40;
        p.x1 = 560;
        p.y0 = y - SUM_ROW + 18;
        p.y1 = y - 14;
        pl_chart_value_scale(lo, hi, k->unit, 3, &p.vs);
        p.vs.lo = lo - (hi - lo) * 0.05;
        p.vs.hi = hi + (hi - lo) * 0.05 + (hi == lo);
        pl_chart_time_scale(t0, t1, off, 6, &p.ts);
        pl_chart_grid_and_axes(&c, &p, 11, 0);
        pl_chart_draw_series_band(&c, &p, s, PL_C_BAND);
        pl_chart_draw_finding(&c, &p, k, 11, 0);
        pl_chart_draw_series(&c, &p, s, PL_C_BLUE, PL_C_BAND, 1.2);
        snprintf(line, sizeof line, "%zu. ", i + 1);
        pl_chart_title_fit(&c, k, line, 22, "HersheySans-Bold", SUM_W - 40 - 590, buf, sizeof buf);
        pl_chart_text(&c, 590, y - 28, 'l', 'c', 22, "HersheySans-Bold", PL_C_TEXT, buf);
        if (row_culprit[i]) {
            char more[512];
            snprintf(buf, sizeof buf, "%s", row_culprit[i]->summary);
            pl_chart_fit(&c, 21, "HersheySans-Bold", buf, SUM_W - 40 - 590);
            pl_chart_text(&c, 590, y - 60, 'l', 'c', 21, "HersheySans-Bold", PL_T_VERMILLION, buf);
            pl_format_value(row_culprit[i]->nrates ? row_culprit[i]->rates[0].per_hour : 0,
                            k->unit, r, sizeof r);
            snprintf(buf, sizeof buf, "grows %s/h%s", r, row_culprit[i]->restarts ? " in every life" : "");
            pl_chart_text(&c, 590, y - 90, 'l', 'c', 17, "HersheySans", PL_C_TEXT, buf);
            more[0] = '\0';
            if (row_culprit[i]->restarts)
                snprintf(more, sizeof more, "restarted %zu times, about every %.1f h",
                         row_culprit[i]->restarts, row_culprit[i]->restart_every_h);
            pl_chart_fit(&c, 17, "HersheySans", more, SUM_W - 40 - 590);
            pl_chart_text(&c, 590, y - 118, 'l', 'c', 17, "HersheySans", PL_C_MUTED, more);
            y -= SUM_ROW;
            continue;
        }
        pl_format_amount(f->growth, k->unit, g, sizeof g);
        pl_format_value(f->slope_per_hour, k->unit, r, sizeof r);
        pl_format_amount(f->start_level, k->unit, lo_s, sizeof lo_s);
        pl_format_amount(f->end_level, k->unit, hi_s, sizeof hi_s);
        pl_format_pct(f->growth_pct, 1, pct, sizeof pct);
        snprintf(buf, sizeof buf, "%s%s (%s) at %s/h", f->growth >= 0 ? "+" : "", g, pct, r);
        pl_chart_text(&c, 590, y - 60, 'l', 'c', 21, "HersheySans-Bold", PL_T_VERMILLION, buf);
        pl_analysis_onset_text(a, k, off, on, sizeof on);
        snprintf(buf, sizeof buf, "%s, trend %s -> %s", on, lo_s, hi_s);
        pl_chart_fit(&c, 17, "HersheySans", buf, SUM_W - 40 - 590);
        pl_chart_text(&c, 590, y - 90, 'l', 'c', 17, "HersheySans", PL_C_TEXT, buf);
        if (!isnan(f->eta_h)) {
            char lim[48], e[32], e2[32];
            pl_limit_text(f, k->unit, lim, sizeof lim);
            pl_format_duration(f->eta_h * 3600, e, sizeof e);
            pl_format_duration(f->eta_h_early * 3600, e2, sizeof e2);
            if (f->eta_h > 0)
                snprintf(buf, sizeof buf, "reaches %s in %s (%s at the fastest)", lim, e, e2);
            else
                snprintf(buf, sizeof buf, "already at its limit of %s", lim);
            pl_chart_fit(&c, 17, "HersheySans", buf, SUM_W - 40 - 590);
            pl_chart_text(&c, 590, y - 118, 'l', 'c', 17, "HersheySans", PL_T_PURPLE, buf);
        } else {
            /* the rate's 95 % interval, where a limit's date would go: a
             * range in the counter's unit says more than a "confidence" */
            char ri[96];
            pl_format_rate_interval(f->slope_lo, f->slope_hi, k->unit, ri, sizeof ri);
            snprintf(buf, sizeof buf, "rate %s (95%% interval)%s", ri,
                     f->lives > 2 ? ", across restarts or collections" :
                     f->period_h > 0 ? ", under a repeating cycle" : "");
            pl_chart_fit(&c, 17, "HersheySans", buf, SUM_W - 40 - 590);
            pl_chart_text(&c, 590, y - 118, 'l', 'c', 17, "HersheySans", PL_C_MUTED, buf);
        }
        y -= SUM_ROW;
    }
    pl_chart_pen(&c, PL_C_GRID);
    c.pl.fline(c.p, 40, y, SUM_W - 40, y);
    if (leaks > rows)
        snprintf(line, sizeof line, "... and %zu more leaks (see report.html). ", leaks - rows);
    else
        line[0] = '\0';
    if (nothing) {
        why[0] = (char)(why[0] >= 'a' && why[0] <= 'z' ? why[0] - 32 : why[0]);
        if (suspects)
            snprintf(buf, sizeof buf, "%s; %zu counter%s grew as a leak does (suspect%s: see report.html).",
                     why, suspects, suspects == 1 ? "" : "s", suspects == 1 ? "" : "s");
        else
            snprintf(buf, sizeof buf, "%s.", why);
        pl_chart_fit(&c, 17, "HersheySans", buf, SUM_W - 80);
        pl_chart_text(&c, 40, y - 30, 'l', 'c', 17, "HersheySans", PL_C_TEXT, buf);
        y -= 30;
    }
    snprintf(buf, sizeof buf, "%s%zu %scounter%s ok, %zu with too little data, %zu that cannot leak.  perfleak %s",
             line, ok, leaks ? "other " : "", ok == 1 ? "" : "s", insufficient,
             n - ok - insufficient - leaks, PL_VERSION);
    pl_chart_text(&c, 40, y - 30, 'l', 'c', 17, "HersheySans", PL_C_MUTED, buf);
    free(names);
    free(order);
    return pl_chart_canvas_close(&c, err);
}
