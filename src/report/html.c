/* html.c - the report as one self-contained HTML page that works offline:
 * the server and span in its title, a table of contents, caveats, the
 * culprits and findings first with their charts, every counter in a table
 * (min, average, max, last, growth), and what ran. The charts are drawn in
 * the page by html_app.js from their data (hover, zoom) and are also
 * there as libplot SVG for a reader without scripts. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "perfleak/plot.h"
#include "report/report_internal.h"
#include "report/html_app_css.h"
#include "report/html_app_js.h"
#include "chart/files.h"
#include "perfleak/units.h"
#include "util/internal.h"

static void html_escape(FILE *out, const char *s)
{
    pl_xml_escape(out, s);
}

/* <tag>text</tag>, the text escaped. */
static void html_element(FILE *out, const char *tag, const char *text)
{
    fprintf(out, "<%s>", tag);
    html_escape(out, text);
    fprintf(out, "</%s>\n", tag);
}

/* A counter path that wraps only between its parts, after each '\', or
 * at a space; never inside a word. */
static void html_path(FILE *out, const char *s)
{
    const char *p;
    for (p = s; *p; p++) {
        char one[2] = {*p, '\0'};
        html_escape(out, one);
        if (*p == '\\' && p[1] != '\\')
            fputs("<wbr>", out);
    }
}

/* A JSON string that is safe inside <script>: no "</script" can close it. */
static void js_string(FILE *out, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    fputc('"', out);
    for (; *u; u++) {
        if (*u == '"' || *u == '\\')
            fprintf(out, "\\%c", *u);
        else if (*u < 0x20 || *u == '<' || *u == '>' || *u == '&')
            fprintf(out, "\\u%04x", *u);
        else
            fputc(*u, out);
    }
    fputc('"', out);
}

/* A number for the charts: 9 digits are more than a pixel needs, and
 * non-finite values are null. */
static void js_num(FILE *out, double v)
{
    if (isfinite(v))
        fprintf(out, "%.9g", v);
    else
        fputs("null", out);
}

static double secs(pl_time t)
{
    return (double)t / PL_TICKS_PER_SEC;
}

/* A number as the table sorts it: in bytes for sizes, so that KB and MB
 * counters sort among byte counters. */
static double sort_value(double v, pl_unit u)
{
    return v * pl_unit_bytes(u);
}

/* One chart's data for html_app.js: its buckets (middle, start, end,
 * samples, mean, min, max), the trend over the judged regime
 * [t0, y0, t1, y1, rate per hour], the onset, and the limit with when the
 * trend reaches it. The time axis starts at the first sample and, as the
 * PNG chart's does, runs to the limit when that comes within 1.5 x the
 * log's span. */
static void chart_data(FILE *out, const pl_analysis *a, size_t idx, const char *id)
{
    const pl_counter *k = pl_analysis_counter(a, idx);
    const pl_finding *f = &k->finding;
    const pl_series *s = pl_store_series(pl_analysis_store(a), k->series);
    const pl_bucket *b = pl_series_buckets(s);
    size_t nb = pl_series_bucket_count(s), i;
    double x0, x1, lo, hi, at = NAN;
    char title[512];
    static const char *const field[] = {"t", "t0", "t1", "n", "mean", "min", "max"};
    size_t fi;
    /* the time axis the PNG chart has; the page fits the values itself */
    pl_chart_extents(a, &idx, 1, 1, &x0, &x1, &lo, &hi);
    if (pl_verdict_is_finding(f->verdict) && !isnan(f->limit) && !isnan(f->eta_h) && f->eta_h >= 0)
        at = secs(pl_finding_limit_at(f, 0));
    snprintf(title, sizeof title, "%s: %s", k->label, pl_verdict_name(f->verdict));
    fputs("{\"id\":", out);
    js_string(out, id);
    fputs(",\"title\":", out);
    js_string(out, title);
    fputs(",\"unit\":", out);
    js_string(out, pl_unit_name(k->unit));
    if (pl_analysis_mixed_offsets(a)) /* its machine's own time zone */
        fprintf(out, ",\"offset\":%d", pl_analysis_counter_offset(a, k));
    fprintf(out, ",\"exact\":%s,\"x0\":", pl_series_is_exact(s) ? "true" : "false");
    js_num(out, x0);
    fputs(",\"x1\":", out);
    js_num(out, x1 > x0 ? x1 : x0 + 1);
    for (fi = 0; fi < sizeof field / sizeof field[0]; fi++) {
        fprintf(out, ",\"%s\":[", field[fi]);
        for (i = 0; i < nb; i++) {
            double v;
            switch (fi) {
            case 0: v = secs(pl_bucket_mid(&b[i])); break;
            case 1: v = secs(b[i].t0); break;
            case 2: v = secs(pl_bucket_t1(&b[i])); break;
            case 3: v = (double)b[i].n; break;
            case 4: v = pl_bucket_mean(&b[i]); break;
            case 5: v = b[i].min; break;
            default: v = b[i].max; break;
            }
            if (i)
                fputc(',', out);
            js_num(out, v);
        }
        fputc(']', out);
    }
    fputs(",\"trend\":", out);
    if (pl_verdict_is_finding(f->verdict)) {
        fputc('[', out);
        js_num(out, secs(f->regime_start));
        fputc(',', out);
        js_num(out, f->start_level);
        fputc(',', out);
        js_num(out, secs(f->regime_end));
        fputc(',', out);
        js_num(out, f->end_level);
        fputc(',', out);
        js_num(out, f->slope_per_hour);
        fputs("],\"onset\":", out);
        js_num(out, pl_analysis_onset_is_start(a, k) ? NAN : secs(f->onset));
    } else {
        fputs("null,\"onset\":null", out);
    }
    fputs(",\"limit\":", out);
    if (pl_verdict_is_finding(f->verdict) && !isnan(f->limit)) {
        fputs("{\"v\":", out);
        js_num(out, f->limit);
        fputs(",\"source\":", out);
        js_string(out, f->limit_source);
        fputs(",\"at\":", out);
        js_num(out, at);
        /* zero, for free memory running out, is no line to draw: the
         * projection and its date only */
        fprintf(out, ",\"zero\":%s}", f->verdict == PL_VERDICT_RUNNING_OUT ? "true" : "false");
    } else {
        fputs("null", out);
    }
    fputc('}', out);
}

/* The figure a chart goes in: drawn by the script, with libplot's SVG for
 * a reader without scripts. */
static int figure(FILE *out, pl_chart_renderer *r, const char *id, size_t idx, pl_error *err)
{
    int rc;
    fprintf(out, "<figure class=\"chart\" id=\"%s\">\n<noscript>\n", id);
    if ((rc = pl_chart_renderer_draw(r, idx, 0, PL_CHART_SVG_INLINE, out, err)) != PL_OK)
        return rc;
    fputs("</noscript>\n</figure>\n", out);
    return PL_OK;
}

/* The charts the page draws, in the order their figures come, and how
 * many culprits and findings get a section of their own: the most urgent,
 * up to the cap (a page of 100 000 sections is no page); the rest are in
 * the table, and in report.json. */
typedef struct html_charts {
    size_t *idx;
    char (*id)[48];
    size_t n, cap;
    size_t culprits, findings;
} html_charts;

static void chart_add(html_charts *hc, size_t idx, const char *id)
{
    hc->idx[hc->n] = idx;
    snprintf(hc->id[hc->n++], sizeof hc->id[0], "%s", id);
}

static int header(FILE *out, const pl_analysis *a, const pl_report_ctx *rx, pl_error *err)
{
    char machines[512] = "", title[1800], span[64] = "", iv[64], line[1024];
    const char **names = NULL;
    size_t nm = 0, rows = 0;
    pl_time t0 = 0, t1 = 0;
    int off = rx->off, any = pl_analysis_span(a, &t0, &t1, &rows), rc;
    if ((rc = pl_analysis_machines(a, &names, &nm, err)) != PL_OK)
        return rc;
    pl_join_names(names, nm, 3, machines, sizeof machines);
    if (any)
        pl_time_format_span(t0, t1, off, span, sizeof span);
    /* the tab's title says where, when and what, for a reader with many open */
    pl_report_summary_sentence(a, &rx->s, "", line, sizeof line);
    snprintf(title, sizeof title, "perfleak: %s%s%s - %s", machines, machines[0] ? ", " : "",
             any ? span : "no samples", line);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"perfleak " PL_VERSION "\">\n<title>", out);
    html_escape(out, title);
    fputs("</title>\n<style>\n", out);
    fputs(HTML_APP_CSS, out);
    fputs("</style>\n</head>\n<body>\n<header>\n<h1>perfleak report", out);
    if (nm) {
        fputs(" &mdash; ", out);
        pl_join_names(names, nm, 12, machines, sizeof machines);
        html_escape(out, machines);
    }
    free(names);
    fputs("</h1>\n<p class=\"span\">", out);
    if (any) {
        pl_sample_count_text(rows, pl_analysis_log_count(a) ? pl_analysis_log(a, 0)->interval_s : 0, iv,
                             sizeof iv);
        char offs[16];
        pl_time_format_offset(off, offs, sizeof offs);
        snprintf(line, sizeof line, "%s (%s), %s, %zu log%s, %zu counters analysed", span, offs, iv,
                 pl_analysis_log_count(a),
                 pl_analysis_log_count(a) == 1 ? "" : "s", rx->s.counters);
        html_escape(out, line);
    } else {
        fputs("no samples", out);
    }
    fputs("</p>\n", out);
    pl_report_summary_sentence(a, &rx->s, "<span class=\"leak\">", line, sizeof line);
    fprintf(out, "<p class=\"summary\">%s</p>\n", line);
    pl_report_culprits_sentence(rx->d, line, sizeof line);
    if (line[0]) {
        fputs("<p class=\"summary\">", out);
        html_escape(out, line);
        fputs("</p>\n", out);
    }
    fputs("</header>\n", out);
    return PL_OK;
}

static void toc(FILE *out, const pl_analysis *a, const pl_report_ctx *rx, const html_charts *hc)
{
    size_t i, nw = pl_analysis_warning_count(a) + pl_analysis_warnings_dropped(a);
    fputs("<nav class=\"toc\">\n<h2>Contents</h2>\n<ol>\n", out);
    if (nw)
        fprintf(out, "<li><a href=\"#caveats\">Caveats (%zu)</a></li>\n", nw);
    if (pl_diagnosis_count(rx->d)) {
        fputs("<li><a href=\"#culprits\">Culprits</a>\n<ol>\n", out);
        for (i = 0; i < hc->culprits; i++) {
            fprintf(out, "<li><a href=\"#culprit-%zu\">", i + 1);
            html_escape(out, pl_diagnosis_finding(rx->d, i)->summary);
            fputs("</a></li>\n", out);
        }
        fputs("</ol>\n</li>\n", out);
    }
    if (rx->s.shown) {
        fputs("<li><a href=\"#findings\">Findings</a>\n<ol>\n", out);
        for (i = 0; i < hc->findings; i++) {
            const pl_counter *c = pl_analysis_counter(a, rx->order[i]);
            fprintf(out, "<li><a href=\"#finding-%zu\">%s: ", i + 1, pl_report_verdict_heading(&c->finding));
            html_path(out, c->label);
            fputs("</a></li>\n", out);
        }
        fputs("</ol>\n</li>\n", out);
    }
    fprintf(out, "<li><a href=\"#logs\">Logs (%zu)</a></li>\n", pl_analysis_log_count(a));
    fprintf(out, "<li><a href=\"#counters\">All counters (%zu)</a></li>\n", rx->s.counters);
    fputs("<li><a href=\"#run\">This run</a></li>\n</ol>\n</nav>\n", out);
}

static void caveats(FILE *out, const pl_analysis *a)
{
    size_t i;
    char w[1200];
    if (!pl_analysis_warning_count(a))
        return;
    fputs("<section class=\"caveats\" id=\"caveats\">\n<h2>Caveats</h2>\n<ul>\n", out);
    for (i = 0; i < pl_analysis_warning_count(a); i++) {
        pl_report_warning_line(pl_analysis_warning(a, i), w, sizeof w);
        html_element(out, "li", w);
    }
    if (pl_analysis_warnings_dropped(a))
        fprintf(out, "<li>and %zu more warnings</li>\n", pl_analysis_warnings_dropped(a));
    fputs("</ul>\n</section>\n", out);
}

/* Before the first item of machine m in a section of several machines:
 * its heading. */
static void machine_heading(FILE *out, const pl_analysis *a, const char *m, size_t *shown)
{
    char line[320];
    if (!m || (*shown)++)
        return;
    pl_report_machine_heading(a, m, line, sizeof line);
    fputs("<h3 class=\"machine\">", out);
    html_escape(out, line);
    fputs("</h3>\n", out);
}

static int culprit_item(FILE *out, const pl_analysis *a, const pl_report_ctx *rx, pl_chart_renderer *r,
                        html_charts *hc, size_t i, pl_error *err)
{
    const pl_culprit_finding *f = pl_diagnosis_finding(rx->d, i);
    char rates[512], more[512], id[48], next[640];
    size_t j;
    int rc;
    pl_report_culprit_rates(f, rates, sizeof rates);
    pl_report_culprit_details(f, more, sizeof more);
    pl_report_next_step(f, next, sizeof next);
    fprintf(out, "<section class=\"culprit\" id=\"culprit-%zu\">\n<h3>%zu. ", i + 1, i + 1);
    html_escape(out, f->summary);
    fputs("</h3>\n<p>", out);
    html_escape(out, rates);
    fputs(rates[0] ? ", " : "", out);
    html_escape(out, more);
    fputs(".</p>\n<p>Evidence:", out);
    for (j = 0; j < f->ncounters; j++) {
        fputs(j ? ", <code>" : " <code>", out);
        html_path(out, f->counters[j]);
        fputs("</code>", out);
    }
    fputs(".</p>\n<p class=\"next\"><strong>Next step:</strong> ", out);
    html_escape(out, next);
    fputs("</p>\n", out);
    /* a culprit none of whose counters is a finding below shows its
     * evidence here */
    if (pl_culprit_hidden(a, f) && hc->n < hc->cap) {
        snprintf(id, sizeof id, "culprit-chart-%zu", i + 1);
        if ((rc = figure(out, r, id, f->evidence[0], err)) != PL_OK)
            return rc;
        chart_add(hc, f->evidence[0], id);
    }
    fputs("</section>\n", out);
    return PL_OK;
}

static int culprits(FILE *out, const pl_analysis *a, const pl_report_ctx *rx, pl_chart_renderer *r,
                    html_charts *hc, pl_error *err)
{
    size_t i, sec;
    int rc;
    if (!pl_diagnosis_count(rx->d))
        return PL_OK;
    fputs("<h2 id=\"culprits\">Culprits</h2>\n", out);
    /* a section a machine when there are several, most urgent first in each */
    for (sec = 0; sec < (rx->m.n > 1 ? rx->m.n : 1); sec++) {
        const char *m = rx->m.n > 1 ? rx->m.names[sec] : NULL;
        size_t shown = 0;
        for (i = 0; i < hc->culprits; i++) {
            if (!pl_report_culprit_on(pl_diagnosis_finding(rx->d, i), m))
                continue;
            machine_heading(out, a, m, &shown);
            if ((rc = culprit_item(out, a, rx, r, hc, i, err)) != PL_OK)
                return rc;
        }
    }
    if (hc->culprits < pl_diagnosis_count(rx->d)) {
        char line[128];
        pl_report_culprits_left_out(hc->culprits, pl_diagnosis_count(rx->d), line, sizeof line);
        html_element(out, "p", line);
    }
    return PL_OK;
}

static int finding_item(FILE *out, const pl_analysis *a, const pl_report_ctx *rx, pl_chart_renderer *r,
                        html_charts *hc, size_t i, pl_error *err)
{
    int rc;
    const pl_counter *c = pl_analysis_counter(a, rx->order[i]);
    const pl_finding *f = &c->finding;
    pl_report_cells k;
    char one[768], id[48];
    pl_report_finding_cells(a, c, &k);
    fprintf(out, "<section class=\"finding\" id=\"finding-%zu\">\n<h3>%zu. %s <code>", i + 1, i + 1,
            pl_report_verdict_heading(f));
    html_path(out, c->label);
    fputs("</code></h3>\n<p class=\"oneline\">", out);
    if (pl_verdict_is_finding(f->verdict)) {
        pl_report_finding_line(a, c, one, sizeof one);
        html_escape(out, one);
    } else {
        html_escape(out, f->reason);
    }
    fputs("</p>\n", out);
    if (k.conf[0] || k.eta[0] || pl_verdict_is_finding(f->verdict))
        fputs("<dl>\n", out);
    if (k.conf[0]) {
        fputs("<dt>Rate, 95 % interval</dt><dd>", out);
        html_escape(out, k.conf);
        fputs("</dd>\n", out);
    }
    if (k.eta[0]) {
        fputs(f->verdict == PL_VERDICT_RUNNING_OUT ? "<dt>Reaches</dt><dd>" : "<dt>Limit</dt><dd>", out);
        html_escape(out, k.eta);
        fputs("</dd>\n", out);
    }
    /* a suspect's one line is its reason already */
    if (pl_verdict_is_finding(f->verdict)) {
        fputs("<dt>Judged by</dt><dd>", out);
        html_escape(out, f->reason);
        fputs("</dd>\n", out);
    }
    if (k.conf[0] || k.eta[0] || pl_verdict_is_finding(f->verdict))
        fputs("</dl>\n", out);
    if (hc->n < hc->cap) {
        snprintf(id, sizeof id, "chart-%zu", i + 1);
        if ((rc = figure(out, r, id, rx->order[i], err)) != PL_OK)
            return rc;
        chart_add(hc, rx->order[i], id);
    }
    fputs("</section>\n", out);
    return PL_OK;
}

static int findings(FILE *out, const pl_analysis *a, const pl_report_ctx *rx, pl_chart_renderer *r,
                    html_charts *hc, pl_error *err)
{
    size_t i, sec;
    int rc;
    if (!rx->s.shown)
        return PL_OK;
    fputs("<h2 id=\"findings\">Findings</h2>\n", out);
    for (sec = 0; sec < (rx->m.n > 1 ? rx->m.n : 1); sec++) {
        const char *m = rx->m.n > 1 ? rx->m.names[sec] : NULL;
        size_t shown = 0;
        for (i = 0; i < hc->findings; i++) {
            if (!pl_report_on_machine(pl_analysis_counter(a, rx->order[i]), m))
                continue;
            machine_heading(out, a, m, &shown);
            if ((rc = finding_item(out, a, rx, r, hc, i, err)) != PL_OK)
                return rc;
        }
    }
    if (hc->findings < rx->s.shown) {
        char line[256];
        pl_report_charts_left_out(hc->findings, rx->s.shown, 0, line, sizeof line);
        html_element(out, "p", line);
    }
    return PL_OK;
}

static void logs(FILE *out, const pl_analysis *a)
{
    size_t i;
    char line[1024];
    fputs("<h2 id=\"logs\">Logs</h2>\n<ul>\n", out);
    for (i = 0; i < pl_analysis_log_count(a); i++) {
        pl_report_log_line(pl_analysis_log(a, i), line, sizeof line);
        html_element(out, "li", line);
    }
    fputs("</ul>\n", out);
    if (pl_report_left_out_sentence(a, line, sizeof line)) {
        fputs("<p>", out);
        html_escape(out, line);
        fputs("</p>\n", out);
    }
}

/* A cell with a figure: shown as text (and under it, small, when that is
 * not empty), sorted by v (not finite: no figure). A table of 100 000
 * counters must stay light: the cell's look comes from its column (the
 * style sheet), and 9 digits rank any two figures a reader could tell
 * apart. */
static void sort_cell(FILE *out, const char *text, const char *small, double v)
{
    fputs("<td data-v=\"", out);
    if (isfinite(v))
        fprintf(out, "%.9g", v);
    fputs("\">", out);
    html_escape(out, text);
    if (small[0]) {
        fputs("<br><small>", out);
        html_escape(out, small);
        fputs("</small>", out);
    }
    fputs("</td>", out);
}

static void num_cell(FILE *out, const char *text, double v)
{
    sort_cell(out, text, "", v);
}

static int verdict_rank(const pl_finding *f)
{
    return f->verdict == PL_VERDICT_LEAK ? 0 : f->verdict == PL_VERDICT_RUNNING_OUT ? 1 :
           f->suspect ? 2 : f->verdict == PL_VERDICT_OK ? 3 :
           f->verdict == PL_VERDICT_INSUFFICIENT ? 4 : 5;
}

static void counter_table(FILE *out, const pl_analysis *a, const pl_report_ctx *rx)
{
    size_t i;
    fprintf(out, "<h2 id=\"counters\">All counters</h2>\n"
                 "<div id=\"counter-tools\" hidden><label>Filter <input id=\"counter-filter\" type=\"search\" "
                 "placeholder=\"e.g. w3wp private\"></label><label>Verdict <select id=\"verdict-filter\">"
                 "<option value=\"\">any</option><option value=\"leak\">leak</option>"
                 "<option value=\"running-out\">running-out</option><option value=\"suspect\">suspect</option>"
                 "<option value=\"ok\">ok</option><option value=\"insufficient-data\">insufficient-data</option>"
                 "<option value=\"not-applicable\">not-applicable</option></select></label>"
                 "<span id=\"counter-shown\"></span><span class=\"pl-hint\">Click a heading to sort.</span></div>\n"
                 "<div class=\"scroll\">\n<table id=\"counter-table\">\n<thead><tr>"
                 "<th data-type=\"num\">Verdict</th><th>Counter <small>and why</small></th><th class=\"num\" data-type=\"num\">Min</th>"
                 "<th class=\"num\" data-type=\"num\">Avg</th><th class=\"num\" data-type=\"num\">Max</th>"
                 "<th class=\"num\" data-type=\"num\">Last</th><th class=\"num\" data-type=\"num\">Growth</th>"
                 "<th class=\"num\" data-type=\"num\">Rate <small>(95 %% interval)</small></th>"
                 "<th class=\"num\" data-type=\"num\">Since</th><th data-type=\"num\">Limit</th>"
                 "</tr></thead>\n<tbody>\n");
    for (i = 0; i < rx->s.counters; i++) {
        const pl_counter *c = pl_analysis_counter(a, rx->order[i]);
        const pl_finding *f = &c->finding;
        const pl_series *s = pl_store_series(pl_analysis_store(a), c->series);
        const pl_series_stats *st = pl_series_get_stats(s);
        const pl_bucket *b = pl_series_buckets(s);
        size_t nb = pl_series_bucket_count(s), j, n = 0;
        double sum = 0, avg;
        char mn[48] = "", av[48] = "", mx[48] = "", last[48] = "";
        const char *v = f->suspect ? "suspect" : pl_verdict_name(f->verdict);
        pl_report_cells k;
        for (j = 0; j < nb; j++) {
            sum += b[j].sum;
            n += b[j].n;
        }
        avg = n ? sum / (double)n : NAN;
        if (st->samples) {
            /* levels of a count are whole numbers; its average need not be */
            pl_format_amount(st->min, c->unit, mn, sizeof mn);
            pl_format_value(avg, c->unit, av, sizeof av);
            pl_format_amount(st->max, c->unit, mx, sizeof mx);
            pl_format_amount(st->last_value, c->unit, last, sizeof last);
        }
        pl_report_finding_cells(a, c, &k);
        fprintf(out, "<tr class=\"v-%s\"><td data-v=\"%d\">%s</td><td><code>", v, verdict_rank(f), v);
        html_path(out, c->label);
        /* why, under the name: the table stays as wide as a window */
        fputs("</code><br><small>", out);
        html_escape(out, f->reason);
        fputs("</small></td>", out);
        num_cell(out, mn, st->samples ? sort_value(st->min, c->unit) : NAN);
        num_cell(out, av, st->samples ? sort_value(avg, c->unit) : NAN);
        num_cell(out, mx, st->samples ? sort_value(st->max, c->unit) : NAN);
        num_cell(out, last, st->samples ? sort_value(st->last_value, c->unit) : NAN);
        num_cell(out, k.growth, k.growth[0] ? f->growth_pct : NAN);
        /* the rate with its interval under it: one column, not two */
        sort_cell(out, k.rate, k.conf, k.rate[0] ? sort_value(f->slope_per_hour, c->unit) : NAN);
        num_cell(out, k.onset, k.onset[0] ? secs(f->onset) : NAN);
        sort_cell(out, k.eta, "", k.eta[0] ? f->eta_h : NAN);
        fputs("</tr>\n", out);
    }
    fputs("</tbody>\n</table>\n</div>\n", out);
}

static void run_section(FILE *out, const pl_analysis *a, const pl_report_ctx *rx)
{
    char line[256];
    pl_report_run_text(a, line, sizeof line);
    fputs("<section class=\"run\" id=\"run\">\n<p>", out);
    html_escape(out, line);
    fprintf(out, ", detector %s", rx->s.counters ? pl_analysis_counter(a, 0)->finding.method : "robust");
    if (pl_analysis_run_command(a)) {
        fputs(":<br><code>", out);
        html_escape(out, pl_analysis_run_command(a));
        fputs("</code>", out);
    }
    fputs("</p>\n</section>\n", out);
}

int pl_report_html(const pl_result *res, FILE *out, pl_error *err)
{
    const pl_analysis *a = res->analysis;
    pl_report_ctx rx;
    pl_chart_renderer r;
    html_charts hc;
    size_t i;
    int rc;
    if ((rc = pl_report_ctx_init(res, &rx, err)) != PL_OK)
        return rc;
    memset(&hc, 0, sizeof hc);
    hc.cap = pl_analysis_max_charts(a);
    hc.culprits = pl_diagnosis_count(rx.d) < hc.cap ? pl_diagnosis_count(rx.d) : hc.cap;
    hc.findings = rx.s.shown < hc.cap ? rx.s.shown : hc.cap;
    /* a chart per finding and per culprit that has none, up to the cap */
    hc.idx = malloc((hc.culprits + hc.findings + 1) * sizeof *hc.idx);
    hc.id = malloc((hc.culprits + hc.findings + 1) * sizeof *hc.id);
    if (!hc.idx || !hc.id) {
        free(hc.idx);
        free(hc.id);
        pl_report_ctx_clear(&rx);
        return pl_err(err, PL_ENOMEM, "out of memory");
    }
    pl_chart_renderer_init(&r, res); /* one child draws every chart */
    if ((rc = header(out, a, &rx, err)) == PL_OK) {
        toc(out, a, &rx, &hc);
        caveats(out, a);
        rc = culprits(out, a, &rx, &r, &hc, err);
    }
    if (rc == PL_OK)
        rc = findings(out, a, &rx, &r, &hc, err);
    pl_chart_renderer_clear(&r);
    if (rc == PL_OK) {
        logs(out, a);
        counter_table(out, a, &rx);
        run_section(out, a, &rx);
        fprintf(out, "<script type=\"application/json\" id=\"perfleak-data\">{\"offset\":%d,\"charts\":[",
                rx.off);
        for (i = 0; i < hc.n; i++) {
            if (i)
                fputs(",\n", out);
            chart_data(out, a, hc.idx[i], hc.id[i]);
        }
        fputs("]}</script>\n<script>\n", out);
        fputs(HTML_APP_JS, out);
        fputs("</script>\n</body>\n</html>\n", out);
    }
    free(hc.idx);
    free(hc.id);
    pl_report_ctx_clear(&rx);
    return rc;
}
