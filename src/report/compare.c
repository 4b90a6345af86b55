/* compare.c - what `perfleak compare` says: each culprit of either capture
 * with its verdict, as text for a terminal, Markdown for a ticket, JSON
 * for other tools, or one self-contained HTML page with the charts; and
 * the files of -o DIR. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/report_internal.h"
#include "report/html_app_css.h"
#include "chart/files.h"
#include "util/stage.h"
#include "perfleak/compare.h"
#include "perfleak/units.h"
#include "util/internal.h"

/* The logs of one side, a line each, as fmt writes a list: text lines
 * after prefix, Markdown items, or HTML list items. */
static void side_logs(FILE *out, pl_report_format fmt, const char *prefix, const pl_analysis *a)
{
    size_t i;
    char line[1024];
    for (i = 0; i < pl_analysis_log_count(a); i++) {
        pl_report_log_line(pl_analysis_log(a, i), line, sizeof line);
        if (fmt == PL_REPORT_MARKDOWN) {
            fputs("- ", out);
            pl_report_md_text(out, line);
            fputc('\n', out);
        } else if (fmt == PL_REPORT_HTML) {
            fputs("<li>", out);
            pl_xml_escape(out, line);
            fputs("</li>\n", out);
        } else {
            pl_visible_line(out, prefix, line);
        }
    }
}

static int compare_text(const pl_compare *c, FILE *out)
{
    size_t i;
    char line[256];
    static const char *const heading[] = {"WORSE ", "NEW ", "UNCHANGED ", "SLOWER ", "CANNOT TELL ", "GONE "};
    side_logs(out, PL_REPORT_TEXT, "before  ", pl_compare_before(c)->analysis);
    side_logs(out, PL_REPORT_TEXT, "after   ", pl_compare_after(c)->analysis);
    fputc('\n', out);
    for (i = 0; i < pl_compare_count(c); i++) {
        const pl_comparison *k = pl_compare_item(c, i);
        pl_visible_line(out, heading[k->verdict], k->summary);
    }
    if (pl_compare_count(c))
        fputc('\n', out);
    pl_compare_tally(c, line, sizeof line);
    fprintf(out, "%s\n", line);
    return PL_OK;
}

static void md_logs(FILE *out, const char *title, const pl_analysis *a)
{
    fprintf(out, "%s:\n\n", title);
    side_logs(out, PL_REPORT_MARKDOWN, "", a);
    fputc('\n', out);
}

/* For a ticket: the verdicts as a list, most urgent first, and the logs;
 * beside the charts of -o DIR (charts), the card and each overlay. */
static int compare_markdown(const pl_compare *c, FILE *out, int charts)
{
    size_t i;
    char name[256];
    fputs("# perfleak compare\n\n", out);
    if (!pl_compare_count(c))
        fputs("No culprit in either capture.\n\n", out);
    else if (charts)
        fputs("![the verdicts](summary.png)\n\n", out);
    for (i = 0; i < pl_compare_count(c); i++) {
        const pl_comparison *k = pl_compare_item(c, i);
        fprintf(out, "%zu. **%s**: ", i + 1, pl_cmp_verdict_name(k->verdict));
        pl_report_md_text(out, k->summary);
        fputc('\n', out);
    }
    fputc('\n', out);
    for (i = 0; charts && i < pl_compare_count(c); i++) {
        pl_chart_compare_file_name(c, i, "png", name, sizeof name);
        fprintf(out, "![comparison %zu](%s)\n\n", i + 1, name);
    }
    md_logs(out, "Before", pl_compare_before(c)->analysis);
    md_logs(out, "After", pl_compare_after(c)->analysis);
    return PL_OK;
}

static json_t *json_side(const pl_analysis *a, const pl_cmp_side *s)
{
    json_t *o, *g, *obs;
    size_t i;
    int off;
    if (!s->f)
        return json_null();
    o = json_object();
    g = json_object();
    obs = json_object();
    off = pl_analysis_machine_offset(a, s->f->machine);
    for (i = 0; i < s->f->nrates; i++)
        json_object_set_new(g, s->f->rates[i].counter, pl_report_jnum(s->f->rates[i].per_hour));
    json_object_set_new(o, "growth_per_hour", g);
    json_object_set_new(o, "rate_interval", json_pack("[oo]", pl_report_jnum(s->lo), pl_report_jnum(s->hi)));
    json_object_set_new(obs, "start", pl_report_jtime(s->f->start, off));
    json_object_set_new(obs, "end", pl_report_jtime(s->f->end, off));
    json_object_set_new(o, "observed", obs);
    return o;
}

static json_t *json_item(const pl_compare *c, const pl_comparison *k)
{
    json_t *o = json_object(), *cu = json_object(), *kinds = json_array();
    unsigned bit;
    if (k->type == PL_CULPRIT_PROCESS) {
        json_object_set_new(cu, "type", json_string("process"));
        json_object_set_new(cu, "name", pl_report_jstr(k->name));
        if (k->service)
            json_object_set_new(cu, "app_pool", pl_report_jstr(k->service));
    } else if (k->type == PL_CULPRIT_KERNEL) {
        json_object_set_new(cu, "type", json_string("kernel"));
        json_object_set_new(cu, "pool", json_string(k->pool ? "nonpaged" : "paged"));
    } else {
        json_object_set_new(cu, "type", json_string("system"));
    }
    json_object_set_new(cu, "machine", pl_report_jstr(k->machine ? k->machine : ""));
    json_object_set_new(o, "culprit", cu);
    for (bit = 1; bit <= PL_GROWS_COMMIT; bit <<= 1)
        if (k->kinds & bit)
            json_array_append_new(kinds, json_string(pl_grows_name(bit)));
    json_object_set_new(o, "kinds", kinds);
    json_object_set_new(o, "verdict", json_string(pl_cmp_verdict_name(k->verdict)));
    json_object_set_new(o, "before", json_side(pl_compare_before(c)->analysis, &k->before));
    json_object_set_new(o, "after", json_side(pl_compare_after(c)->analysis, &k->after));
    json_object_set_new(o, "ratio", pl_report_jnum(k->ratio));
    json_object_set_new(o, "log_at_least_hours", pl_report_jnum(k->log_at_least_h));
    json_object_set_new(o, "summary", pl_report_jstr(k->summary));
    return o;
}

static json_t *json_logs(const pl_analysis *a)
{
    json_t *arr = json_array();
    size_t i;
    for (i = 0; i < pl_analysis_log_count(a); i++)
        json_array_append_new(arr, pl_report_json_log(pl_analysis_log(a, i)));
    return arr;
}

static int compare_json(const pl_compare *c, FILE *out, size_t flags, pl_error *err)
{
    json_t *root = json_object(), *tool = json_object(), *items = json_array();
    const pl_analysis *b = pl_compare_before(c)->analysis;
    char *text;
    size_t i;
    int rc = PL_OK;
    json_object_set_new(tool, "name", json_string("perfleak"));
    json_object_set_new(tool, "version", json_string(PL_VERSION));
    json_object_set_new(tool, "command", pl_analysis_run_command(b) ? pl_report_jstr(pl_analysis_run_command(b))
                                                                     : json_null());
    json_object_set_new(root, "tool", tool);
    json_object_set_new(root, "before", json_logs(b));
    json_object_set_new(root, "after", json_logs(pl_compare_after(c)->analysis));
    for (i = 0; i < pl_compare_count(c); i++)
        json_array_append_new(items, json_item(c, pl_compare_item(c, i)));
    json_object_set_new(root, "comparisons", items);
    json_object_set_new(root, "status", json_integer(pl_compare_status(c)));
    text = json_dumps(root, flags | JSON_REAL_PRECISION(17));
    json_decref(root);
    text = text ? pl_json_shortest_reals(text) : NULL;
    if (!text)
        return pl_err(err, PL_ENOMEM, "out of memory building JSON");
    if (fputs(text, out) == EOF || fputc('\n', out) == EOF)
        rc = pl_err(err, PL_EIO, "cannot write the JSON report: %s", strerror(errno));
    free(text);
    return rc;
}


/* ---------- HTML ---------- */

static const char COMPARE_CSS[] =
    ".v-gone .vd{color:var(--ok)}.v-cannot-tell .vd{color:var(--muted)}"
    ".v-worse .vd,.v-new .vd,.v-unchanged .vd,.v-slower .vd{color:var(--leak)}"
    ".vd{font-weight:bold;text-transform:uppercase;white-space:nowrap}"
    "section.comparison{margin:1.5em 0 2.5em;padding:.2em 1em;border-left:4px solid var(--leak)}"
    "section.comparison.v-gone{border-color:var(--ok)}section.comparison.v-cannot-tell{border-color:var(--rule)}"
    ".status-0{color:var(--ok);font-weight:bold}.status-1{color:var(--leak);font-weight:bold}"
    ".status-3{color:var(--warn);font-weight:bold}"
    "#verdict-table td.num{text-align:right;white-space:nowrap}\n";

static void h(FILE *out, const char *s)
{
    pl_xml_escape(out, s);
}

static void html_rate(FILE *out, const pl_cmp_side *s)
{
    char v[48];
    if (!s->f || isnan(s->rate)) {
        fputs("<td class=\"num\">no leak</td>", out);
        return;
    }
    pl_format_value(s->rate, s->unit, v, sizeof v);
    fputs("<td class=\"num\">", out);
    h(out, v);
    fputs("/h</td>", out);
}

static void html_side(FILE *out, const char *title, const pl_analysis *a, const pl_cmp_side *s)
{
    char buf[256], t0[40], t1[40];
    int off;
    fprintf(out, "<dt>%s</dt><dd>", title);
    if (!s->f || isnan(s->rate)) {
        fputs("no leak of this culprit</dd>\n", out);
        return;
    }
    off = pl_analysis_machine_offset(a, s->f->machine);
    pl_format_value(s->rate, s->unit, buf, sizeof buf);
    h(out, s->counter ? s->counter : "");
    fputc(' ', out);
    h(out, buf);
    fputs("/h", out);
    pl_format_rate_interval(s->lo, s->hi, s->unit, buf, sizeof buf);
    fputs(" (95% interval ", out);
    h(out, buf);
    pl_time_format_short(s->f->start, off, t0, sizeof t0);
    pl_time_format_short(s->f->end, off, t1, sizeof t1);
    fputs("), seen ", out);
    h(out, t0);
    fputs(" to ", out);
    h(out, t1);
    fputs("</dd>\n", out);
}

static void html_logs(FILE *out, const char *title, const pl_analysis *a)
{
    fprintf(out, "<h3>%s</h3>\n<ul>\n", title);
    side_logs(out, PL_REPORT_HTML, "", a);
    fputs("</ul>\n", out);
}

static void html_head(const pl_compare *c, FILE *out)
{
    char line[600], machines[300];
    int s;
    pl_compare_machines(c, 6, machines, sizeof machines);
    pl_compare_tally(c, line, sizeof line);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"perfleak " PL_VERSION "\">\n<title>perfleak compare", out);
    if (machines[0]) {
        fputs(": ", out);
        h(out, machines);
    }
    fputs(" - ", out);
    h(out, line);
    fputs("</title>\n<style>\n", out);
    fputs(HTML_APP_CSS, out);
    fputs(COMPARE_CSS, out);
    fputs("</style>\n</head>\n<body>\n<header>\n<h1>perfleak compare", out);
    if (machines[0]) {
        fputs(" &mdash; ", out);
        h(out, machines);
    }
    fputs("</h1>\n", out);
    for (s = 0; s < 2; s++) {
        char side[300];
        pl_compare_side_text(c, s, side, sizeof side);
        fprintf(out, "<p class=\"span\">%s: ", s ? "After" : "Before");
        h(out, side);
        fputs("</p>\n", out);
    }
    fprintf(out, "<p class=\"summary status-%d\">", pl_compare_status(c));
    h(out, line);
    fputs("</p>\n</header>\n", out);
}

static void html_table(const pl_compare *c, FILE *out)
{
    size_t i;
    char who[300], v[32];
    fputs("<section id=\"verdicts\">\n<h2>Verdicts</h2>\n<div class=\"scroll\"><table id=\"verdict-table\">\n"
          "<thead><tr><th>Verdict</th><th>Culprit</th><th>Counter</th><th class=\"num\">Before</th>"
          "<th class=\"num\">After</th><th class=\"num\">Ratio</th><th>Log at least</th></tr></thead>\n<tbody>\n",
          out);
    for (i = 0; i < pl_compare_count(c); i++) {
        const pl_comparison *k = pl_compare_item(c, i);
        const pl_cmp_side *s = k->before.counter ? &k->before : &k->after;
        pl_comparison_name(k, who, sizeof who);
        fprintf(out, "<tr class=\"v-%s\"><td class=\"vd\">%s</td><td><a href=\"#cmp-%zu\">",
                pl_cmp_verdict_name(k->verdict), pl_cmp_verdict_name(k->verdict), i + 1);
        h(out, who);
        fputs("</a></td><td>", out);
        h(out, s->counter ? s->counter : "");
        fputs("</td>", out);
        html_rate(out, &k->before);
        html_rate(out, &k->after);
        if (isnan(k->ratio))
            fputs("<td class=\"num\"></td>", out);
        else {
            snprintf(v, sizeof v, "x%.2f", k->ratio);
            fprintf(out, "<td class=\"num\">%s</td>", v);
        }
        if (isnan(k->log_at_least_h))
            fputs("<td></td></tr>\n", out);
        else
            fprintf(out, "<td>%.0f h</td></tr>\n", k->log_at_least_h);
    }
    fputs("</tbody>\n</table></div>\n</section>\n", out);
}

static int html_sections(const pl_compare *c, FILE *out, pl_error *err)
{
    size_t i;
    char who[300];
    int rc = PL_OK;
    for (i = 0; i < pl_compare_count(c) && rc == PL_OK; i++) {
        const pl_comparison *k = pl_compare_item(c, i);
        pl_comparison_name(k, who, sizeof who);
        fprintf(out, "<section class=\"comparison v-%s\" id=\"cmp-%zu\">\n<h2>%zu. <span class=\"vd\">%s</span>: ",
                pl_cmp_verdict_name(k->verdict), i + 1, i + 1, pl_cmp_verdict_name(k->verdict));
        h(out, who);
        fputs("</h2>\n<p class=\"oneline\">", out);
        h(out, k->summary);
        fputs("</p>\n<dl>\n", out);
        html_side(out, "Before", pl_compare_before(c)->analysis, &k->before);
        html_side(out, "After", pl_compare_after(c)->analysis, &k->after);
        if (!isnan(k->log_at_least_h))
            fprintf(out, "<dt>To tell</dt><dd>log at least %.0f h after the change</dd>\n", k->log_at_least_h);
        fputs("</dl>\n<figure class=\"chart\">\n", out);
        rc = pl_chart_compare(c, i, PL_CHART_SVG_INLINE, out, err);
        fputs("</figure>\n</section>\n", out);
    }
    return rc;
}

static int compare_html(const pl_compare *c, FILE *out, pl_error *err)
{
    const pl_analysis *b = pl_compare_before(c)->analysis;
    char line[256];
    int rc;
    html_head(c, out);
    if (pl_compare_count(c))
        html_table(c, out);
    if ((rc = html_sections(c, out, err)) != PL_OK)
        return rc;
    fputs("<section id=\"logs\">\n<h2>Logs</h2>\n", out);
    html_logs(out, "Before", b);
    html_logs(out, "After", pl_compare_after(c)->analysis);
    fputs("</section>\n<section class=\"run\" id=\"run\">\n<p>", out);
    pl_report_run_text(b, line, sizeof line);
    h(out, line);
    if (pl_analysis_run_command(b)) {
        fputs(":<br><code>", out);
        h(out, pl_analysis_run_command(b));
        fputs("</code>", out);
    }
    fputs("</p>\n</section>\n</body>\n</html>\n", out);
    return PL_OK;
}

int pl_compare_write(const pl_compare *c, pl_report_format fmt, FILE *out, pl_error *err)
{
    int rc;
    if (fmt == PL_REPORT_JSON || fmt == PL_REPORT_JSONL)
        rc = compare_json(c, out, fmt == PL_REPORT_JSONL ? JSON_COMPACT : JSON_INDENT(2), err);
    else if (fmt == PL_REPORT_MARKDOWN)
        rc = compare_markdown(c, out, 0);
    else if (fmt == PL_REPORT_HTML)
        rc = compare_html(c, out, err);
    else
        rc = compare_text(c, out);
    return pl_report_flushed(out, rc, err);
}

/* ---------- -o DIR ---------- */

/* A file of the set: Markdown shows the pictures beside it. */
static int write_in_dir(const void *obj, pl_report_format fmt, FILE *out, pl_error *err)
{
    return fmt == PL_REPORT_MARKDOWN ? compare_markdown(obj, out, 1) : pl_compare_write(obj, fmt, out, err);
}

static int compare_charts(const void *obj, pl_stage *stage, pl_error *err)
{
    return pl_compare_charts_write_stage(obj, stage, err);
}

int pl_compare_write_dir(const pl_compare *x, const char *dir, pl_error *err)
{
    return pl_report_write_set(dir, write_in_dir, x, compare_charts, err);
}
