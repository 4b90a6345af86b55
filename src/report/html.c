/* html.c - the report as one self-contained HTML page, charts inline as
 * SVG. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "perfleak/plot.h"
#include "report/report_internal.h"
#include "chart/files.h"
#include "perfleak/units.h"
#include "util/internal.h"

static void html_escape(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
    }
}

int pl_report_html(const pl_analysis *a, FILE *out, pl_error *err)
{
    pl_report_ctx rx;
    const pl_diagnosis *d;
    pl_chart_renderer r;
    size_t i, j;
    int rc;
    char line[1024];
    if ((rc = pl_report_ctx_init(a, &rx, err)) != PL_OK)
        return rc;
    d = rx.d;
    pl_chart_renderer_init(&r, a); /* one child draws every chart */
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<title>perfleak report</title>\n<style>\n"
          "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em;color:#222}\n"
          "h1{font-size:1.5em}table{border-collapse:collapse;width:100%}\n"
          "th,td{border-bottom:1px solid #ddd;padding:.4em .6em;text-align:left;vertical-align:top}\n"
          "th{background:#f4f4f4}td.num{text-align:right;white-space:nowrap}\n"
          "code{font-size:.9em}.leak{color:#b2182b;font-weight:bold}.ok{color:#2166ac}\n"
          ".running-out{color:#b2182b;font-weight:bold}.nothing{color:#9a6200;font-weight:bold}.insufficient-data,.not-applicable{color:#777}\n"
          ".summary{font-size:1.1em;margin:1em 0}\n"
          "figure{margin:1em 0}figure svg{max-width:100%;height:auto;border:1px solid #ddd}\n"
          "section.finding{margin:2em 0}dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}\n"
          "dt{color:#555}dd{margin:0}\n"
          "section.culprit{margin:1em 0;padding:.6em 1em;border-left:4px solid #b2182b;background:#fdf3f3}\n"
          "section.caveats{margin:1em 0;padding:.4em 1em;border-left:4px solid #9a6200;background:#fdf8ec}\n"
          "</style>\n</head>\n<body>\n<h1>perfleak report</h1>\n", out);
    pl_report_summary_sentence(a, &rx.s, "<span class=\"leak\">", line, sizeof line);
    fprintf(out, "<p class=\"summary\">%s</p>\n", line);
    if (pl_analysis_warning_count(a)) {
        fputs("<section class=\"caveats\">\n<h2>Caveats</h2>\n<ul>\n", out);
        for (i = 0; i < pl_analysis_warning_count(a); i++) {
            char w[1200];
            pl_report_warning_line(pl_analysis_warning(a, i), w, sizeof w);
            fputs("<li>", out);
            html_escape(out, w);
            fputs("</li>\n", out);
        }
        if (pl_analysis_warnings_dropped(a))
            fprintf(out, "<li>and %zu more warnings</li>\n", pl_analysis_warnings_dropped(a));
        fputs("</ul>\n</section>\n", out);
    }
    if (pl_report_left_out_sentence(a, line, sizeof line))
        fprintf(out, "<p>%s</p>\n", line);
    fputs("<ul>\n", out);
    for (i = 0; i < pl_analysis_log_count(a); i++) {
        pl_report_log_line(pl_analysis_log(a, i), line, sizeof line);
        fputs("<li>", out);
        html_escape(out, line);
        fputs("</li>\n", out);
    }
    fputs("</ul>\n", out);
    if (pl_diagnosis_count(d))
        fputs("<h2>Culprits</h2>\n", out);
    for (i = 0; i < pl_diagnosis_count(d); i++) {
        const pl_culprit_finding *f = pl_diagnosis_finding(d, i);
        char rates[512], more[512];
        pl_report_culprit_rates(f, rates, sizeof rates);
        pl_report_culprit_details(f, more, sizeof more);
        fprintf(out, "<section class=\"culprit\">\n<h3>%zu. ", i + 1);
        html_escape(out, f->summary);
        fputs("</h3>\n<p>", out);
        html_escape(out, rates);
        fputs(rates[0] ? ", " : "", out);
        html_escape(out, more);
        fputs(".</p>\n<p>Evidence:", out);
        for (j = 0; j < f->ncounters; j++) {
            fputs(j ? ", <code>" : " <code>", out);
            html_escape(out, f->counters[j]);
            fputs("</code>", out);
        }
        fputs(".</p>\n<p><strong>Next step:</strong> ", out);
        html_escape(out, f->next_step);
        fputs("</p>\n", out);
        {
            /* a culprit none of whose counters is a finding below shows
             * its evidence here */
            if (pl_culprit_hidden(a, f)) {
                fputs("<figure>\n", out);
                if ((rc = pl_chart_renderer_draw(&r, f->evidence[0], 0, PL_CHART_SVG_INLINE, out,
                                                 err)) != PL_OK) {
                    pl_chart_renderer_end(&r);
                    pl_report_ctx_free(&rx);
                    return rc;
                }
                fputs("</figure>\n", out);
            }
        }
        fputs("</section>\n", out);
    }
    if (rx.s.findings)
        fputs("<h2>Counters</h2>\n", out);
    for (i = 0; i < rx.s.findings; i++) {
        const pl_counter *c = pl_analysis_counter(a, rx.order[i]);
        const pl_finding *f = &c->finding;
        pl_report_cells k;
        char lo[48], hi[48];
        pl_report_finding_cells(a, c, rx.off, &k);
        pl_format_value(f->slope_lo, c->unit, lo, sizeof lo);
        pl_format_value(f->slope_hi, c->unit, hi, sizeof hi);
        fprintf(out, "<section class=\"finding\">\n<h3>%zu. <code>", i + 1);
        html_escape(out, c->label);
        fputs("</code></h3>\n<p>", out);
        html_escape(out, f->reason);
        fputs(".</p>\n<dl>\n<dt>Growth</dt><dd>", out);
        html_escape(out, k.growth);
        fprintf(out, "</dd>\n<dt>Rate</dt><dd>%s (95%% interval %s/h to %s/h)</dd>\n"
                "<dt>Since</dt><dd>%s</dd>\n",
                k.rate, lo, hi, k.onset);
        if (k.eta[0]) {
            fputs("<dt>Limit</dt><dd>", out);
            html_escape(out, k.eta);
            fputs("</dd>\n", out);
        }
        fputs("</dl>\n<figure>\n", out);
        if ((rc = pl_chart_renderer_draw(&r, rx.order[i], 0, PL_CHART_SVG_INLINE, out, err)) !=
            PL_OK) {
            pl_chart_renderer_end(&r);
            pl_report_ctx_free(&rx);
            return rc;
        }
        fputs("</figure>\n</section>\n", out);
    }
    pl_chart_renderer_end(&r);
    fputs("<h2>All counters</h2>\n<table>\n<thead><tr><th>Verdict</th><th>Counter</th><th>Growth</th>"
          "<th>Rate</th><th>Since</th><th>Limit</th><th>Rate, 95 % interval</th><th>Why</th></tr></thead>\n<tbody>\n", out);
    for (i = 0; i < rx.s.counters; i++) {
        const pl_counter *c = pl_analysis_counter(a, rx.order[i]);
        const pl_finding *f = &c->finding;
        pl_report_cells k;
        pl_report_finding_cells(a, c, rx.off, &k);
        fprintf(out, "<tr><td class=\"%s\">%s%s</td><td><code>", pl_verdict_name(f->verdict),
                pl_verdict_name(f->verdict), f->suspect ? " <strong>(suspect)</strong>" : "");
        html_escape(out, c->label);
        fputs("</code></td><td class=\"num\">", out);
        html_escape(out, k.growth);
        fprintf(out, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td>", k.rate, k.onset);
        html_escape(out, k.eta);
        fprintf(out, "</td><td class=\"num\">%s</td><td>", k.conf);
        html_escape(out, f->reason);
        fputs("</td></tr>\n", out);
    }
    fprintf(out, "</tbody>\n</table>\n<p><small>perfleak %s</small></p>\n</body>\n</html>\n",
            PL_VERSION);
    pl_report_ctx_free(&rx);
    return PL_OK;
}
