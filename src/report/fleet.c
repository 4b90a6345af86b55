/* fleet.c - what `perfleak fleet` says over many servers' records: the
 * recurring culprits, the servers with findings worst first, the logs
 * that said nothing, as text for a terminal, Markdown for a ticket, JSON
 * for other tools or one self-contained HTML page; and the files of
 * -o DIR. Every name came from someone else's log: each format escapes
 * it its own way. */
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
#include "perfleak/fleet.h"
#include "perfleak/timestamp.h"
#include "perfleak/units.h"
#include "util/internal.h"

/* How many rows a reader can use before report.json is the better place:
 * a terminal, a ticket, a page. */
#define FLEET_TEXT_ROWS 50
#define FLEET_MD_ROWS 200
#define FLEET_HTML_ROWS 5000
#define FLEET_NAMES_SHOWN 12

/* "WEB01, WEB02, ... and 35 more" */
static void server_names(const pl_fleet_group *g, size_t shown, char *buf, size_t size)
{
    pl_join_names(g->servers, g->count, shown, buf, size);
}

static void server_line(const pl_fleet_server *s, char *buf, size_t size)
{
    char eta[64] = "";
    if (!isnan(s->hours_to_limit)) {
        pl_format_span_hours(s->hours_to_limit, eta, sizeof eta);
        strncat(eta, " to a limit; ", sizeof eta - strlen(eta) - 1);
    }
    snprintf(buf, size, "%s%s%s%zu counter finding%s", eta, s->summary[0] ? s->summary : "",
             s->summary[0] ? "; " : "", s->findings, s->findings == 1 ? "" : "s");
}

static void problem_line(const pl_fleet_problem *p, char *buf, size_t size)
{
    if (p->server)
        snprintf(buf, size, "%s (%s): %s", p->log, p->server, p->why);
    else
        snprintf(buf, size, "%s: %s", p->log, p->why);
}

static void left_out_line(size_t shown, size_t of, const char *what, char *buf, size_t size)
{
    snprintf(buf, size, "... and %zu more %s; report.json lists all %zu.", of - shown, what, of);
}

/* The logs not read (unjudged 0) or not judged (1) as fmt lists them
 * (text, Markdown or HTML), under title; nothing when there are none. */
static void problems(const pl_fleet *f, FILE *out, pl_report_format fmt, int unjudged, const char *id,
                     const char *title)
{
    size_t i, n = 0, shown = 0;
    size_t max = fmt == PL_REPORT_TEXT ? FLEET_TEXT_ROWS : fmt == PL_REPORT_MARKDOWN ? FLEET_MD_ROWS : FLEET_HTML_ROWS;
    char line[1024];
    for (i = 0; i < pl_fleet_problem_count(f); i++)
        n += pl_fleet_problem_at(f, i)->unjudged == unjudged;
    if (!n)
        return;
    if (fmt == PL_REPORT_TEXT)
        fprintf(out, "\n%s (%zu)\n", title, n);
    else if (fmt == PL_REPORT_MARKDOWN)
        fprintf(out, "## %s (%zu)\n\n", title, n);
    else
        fprintf(out, "<section id=\"%s\">\n<h2>%s (%zu)</h2>\n<ul>\n", id, title, n);
    for (i = 0; i < pl_fleet_problem_count(f); i++) {
        const pl_fleet_problem *p = pl_fleet_problem_at(f, i);
        if (p->unjudged != unjudged || shown++ >= max)
            continue;
        problem_line(p, line, sizeof line);
        if (fmt == PL_REPORT_TEXT) {
            pl_visible_line(out, "  ", line);
        } else if (fmt == PL_REPORT_MARKDOWN) {
            fputs("- ", out);
            pl_report_md_text(out, line);
            fputc('\n', out);
        } else {
            fputs("<li>", out);
            pl_xml_escape(out, line);
            fputs("</li>\n", out);
        }
    }
    if (fmt == PL_REPORT_HTML)
        fputs("</ul>\n", out);
    if (n > max) {
        left_out_line(max, n, "logs", line, sizeof line);
        fprintf(out, fmt == PL_REPORT_TEXT ? "  %s\n" : fmt == PL_REPORT_MARKDOWN ? "- %s\n" : "<p>%s</p>\n", line);
    }
    if (fmt == PL_REPORT_MARKDOWN)
        fputc('\n', out);
    else if (fmt == PL_REPORT_HTML)
        fputs("</section>\n", out);
}

/* A recurring culprit's figures as the tables show them: the median rate
 * ("5.42 MB/h"), its range ("1.20 to 9.80 MB/h"), since when
 * ("2026-03-02 00:00 UTC-08:00"); "" where the records gave none. */
typedef struct group_cells {
    char median[64], range[96], since[64];
} group_cells;

static void group_cells_of(const pl_fleet_group *g, group_cells *c)
{
    char off[24];
    c->median[0] = c->range[0] = c->since[0] = '\0';
    if (g->counter && !isnan(g->median)) {
        pl_format_value(g->median, g->unit, c->median, sizeof c->median - 2);
        strcat(c->median, "/h");
        pl_format_rate_interval(g->min, g->max, g->unit, c->range, sizeof c->range);
    }
    if (g->first_seen != INT64_MAX) {
        pl_time_format_short(g->first_seen, g->first_offset, c->since, sizeof c->since - 24);
        pl_time_format_offset(g->first_offset, off, sizeof off);
        strcat(c->since, " ");
        strcat(c->since, off);
    }
}

/* ---------- text ---------- */

static int fleet_text(const pl_fleet *f, FILE *out)
{
    const pl_fleet_totals *t = pl_fleet_get_totals(f);
    size_t i, n;
    char line[1024], name[160], who[600];
    fprintf(out, "%zu server%s in %zu record%s\n", t->servers, t->servers == 1 ? "" : "s", t->records,
            t->records == 1 ? "" : "s");
    pl_fleet_tally(f, line, sizeof line);
    fprintf(out, "%s\n", line);
    if ((n = pl_fleet_recurring_count(f))) {
        fprintf(out, "\nRecurring culprits (on %zu servers or more)\n", pl_fleet_min_servers(f));
        for (i = 0; i < n; i++) {
            const pl_fleet_group *g = pl_fleet_recurring(f, i);
            pl_fleet_group_name(g, name, sizeof name);
            pl_fleet_group_text(g, line, sizeof line);
            pl_visible_line(out, "  ", name);
            pl_visible_line(out, "    ", line);
            server_names(g, FLEET_NAMES_SHOWN, who, sizeof who);
            pl_visible_line(out, "    ", who);
        }
    }
    if ((n = pl_fleet_findings_count(f))) {
        fprintf(out, "\nServers with findings, worst first (%zu)\n", n);
        for (i = 0; i < n && i < FLEET_TEXT_ROWS; i++) {
            const pl_fleet_server *s = pl_fleet_with_findings(f, i);
            server_line(s, line, sizeof line);
            pl_visible_line(out, "  ", s->name);
            pl_visible_line(out, "    ", line);
        }
        if (n > FLEET_TEXT_ROWS) {
            left_out_line(FLEET_TEXT_ROWS, n, "servers", line, sizeof line);
            fprintf(out, "  %s\n", line);
        }
    }
    problems(f, out, PL_REPORT_TEXT, 0, NULL, "Could not be read");
    problems(f, out, PL_REPORT_TEXT, 1, NULL, "Read, but nothing could be judged");
    return PL_OK;
}

/* ---------- Markdown ---------- */

/* A table cell: Markdown text with no '|' or line break to end it. */
static void md_cell(FILE *out, const char *s)
{
    pl_report_md_text(out, s);
}

static int fleet_markdown(const pl_fleet *f, FILE *out, int charts)
{
    const pl_fleet_totals *t = pl_fleet_get_totals(f);
    size_t i, n;
    char line[1024], name[160], who[600], v[48];
    group_cells cells;
    fprintf(out, "# perfleak fleet: %zu server%s\n\n", t->servers, t->servers == 1 ? "" : "s");
    pl_fleet_tally(f, line, sizeof line);
    pl_report_md_text(out, line);
    fputs("\n\n", out);
    if (charts)
        fputs("![the recurring culprits](summary.png)\n\n", out);
    if ((n = pl_fleet_recurring_count(f))) {
        fprintf(out, "## Recurring culprits\n\n| Culprit | Kind | Servers | Median growth | Range | Growing since | On |\n"
                     "|---|---|--:|--:|---|---|---|\n");
        for (i = 0; i < n; i++) {
            const pl_fleet_group *g = pl_fleet_recurring(f, i);
            pl_fleet_group_name(g, name, sizeof name);
            fputs("| ", out);
            md_cell(out, name);
            fprintf(out, " | %s | %zu | ", pl_grows_name(g->kind), g->count);
            group_cells_of(g, &cells);
            if (cells.median[0])
                fprintf(out, "%s (%s) | %s | ", cells.median, g->counter, cells.range);
            else
                fputs(" | | ", out);
            fprintf(out, "%s | ", cells.since);
            server_names(g, FLEET_NAMES_SHOWN, who, sizeof who);
            md_cell(out, who);
            fputs(" |\n", out);
        }
        fputc('\n', out);
    }
    if ((n = pl_fleet_findings_count(f))) {
        fprintf(out, "## Servers with findings, worst first (%zu)\n\n| Server | Culprits | Findings | To a limit | What |\n"
                     "|---|--:|--:|---|---|\n", n);
        for (i = 0; i < n && i < FLEET_MD_ROWS; i++) {
            const pl_fleet_server *s = pl_fleet_with_findings(f, i);
            fputs("| ", out);
            md_cell(out, s->name);
            fprintf(out, " | %zu | %zu | ", s->culprits, s->findings);
            if (!isnan(s->hours_to_limit)) {
                pl_format_span_hours(s->hours_to_limit, v, sizeof v);
                fputs(v, out);
            }
            fputs(" | ", out);
            md_cell(out, s->summary);
            fputs(" |\n", out);
        }
        if (n > FLEET_MD_ROWS) {
            left_out_line(FLEET_MD_ROWS, n, "servers", line, sizeof line);
            fprintf(out, "\n%s\n", line);
        }
        fputc('\n', out);
    }
    problems(f, out, PL_REPORT_MARKDOWN, 0, NULL, "Could not be read");
    problems(f, out, PL_REPORT_MARKDOWN, 1, NULL, "Read, but nothing could be judged");
    fputs("perfleak " PL_VERSION "\n", out);
    return PL_OK;
}

/* ---------- JSON ---------- */

static json_t *json_group(const pl_fleet_group *g)
{
    json_t *o = json_object(), *c = json_object(), *servers = json_array(), *rate = json_object(),
           *per = json_array();
    size_t i;
    if (g->type == PL_CULPRIT_PROCESS) {
        json_object_set_new(c, "type", json_string("process"));
        json_object_set_new(c, "name", pl_report_jstr(g->name));
    } else if (g->type == PL_CULPRIT_KERNEL) {
        json_object_set_new(c, "type", json_string("kernel"));
        json_object_set_new(c, "pool", json_string(g->pool ? "nonpaged" : "paged"));
    } else {
        json_object_set_new(c, "type", json_string("system"));
    }
    json_object_set_new(o, "culprit", c);
    json_object_set_new(o, "kind", json_string(pl_grows_name(g->kind)));
    for (i = 0; i < g->count; i++) {
        json_t *m = json_object();
        json_array_append_new(servers, pl_report_jstr(g->servers[i]));
        json_object_set_new(m, "machine", pl_report_jstr(g->servers[i]));
        json_object_set_new(m, "growth_per_hour", pl_report_jnum(g->rates[i]));
        json_object_set_new(m, "onset", g->onsets[i] == INT64_MAX ? json_null()
                                                                   : pl_report_jtime(g->onsets[i], g->offsets[i]));
        json_array_append_new(per, m);
    }
    json_object_set_new(o, "servers", servers);
    json_object_set_new(o, "count", json_integer((json_int_t)g->count));
    json_object_set_new(o, "counter", g->counter ? json_string(g->counter) : json_null());
    json_object_set_new(rate, "median", pl_report_jnum(g->median));
    json_object_set_new(rate, "min", pl_report_jnum(g->min));
    json_object_set_new(rate, "max", pl_report_jnum(g->max));
    json_object_set_new(o, "growth_per_hour", rate);
    json_object_set_new(o, "first_seen", g->first_seen == INT64_MAX ? json_null()
                                                                    : pl_report_jtime(g->first_seen, g->first_offset));
    json_object_set_new(o, "per_server", per);
    return o;
}

static json_t *json_server(const pl_fleet_server *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "machine", pl_report_jstr(s->name));
    json_object_set_new(o, "culprits", json_integer((json_int_t)s->culprits));
    json_object_set_new(o, "findings", json_integer((json_int_t)s->findings));
    json_object_set_new(o, "hours_to_limit", pl_report_jnum(s->hours_to_limit));
    json_object_set_new(o, "summary", pl_report_jstr(s->summary));
    json_object_set_new(o, "log", pl_report_jstr(s->log ? s->log : ""));
    json_object_set_new(o, "records", json_integer((json_int_t)s->records));
    json_object_set_new(o, "records_with_findings", json_integer((json_int_t)s->with_findings));
    return o;
}

static int fleet_json(const pl_fleet *f, FILE *out, pl_error *err)
{
    const pl_fleet_totals *t = pl_fleet_get_totals(f);
    json_t *root = json_object(), *tool = json_object(), *rec = json_array(), *worst = json_array(),
           *bad = json_array(), *unj = json_array(), *tot = json_object();
    char *text;
    size_t i;
    int rc = PL_OK;
    json_object_set_new(tool, "name", json_string("perfleak"));
    json_object_set_new(tool, "version", json_string(PL_VERSION));
    json_object_set_new(root, "tool", tool);
    json_object_set_new(root, "servers", json_integer((json_int_t)t->servers));
    json_object_set_new(root, "servers_with_findings", json_integer((json_int_t)t->with_findings));
    json_object_set_new(root, "min_servers", json_integer((json_int_t)pl_fleet_min_servers(f)));
    for (i = 0; i < pl_fleet_recurring_count(f); i++)
        json_array_append_new(rec, json_group(pl_fleet_recurring(f, i)));
    json_object_set_new(root, "recurring", rec);
    for (i = 0; i < pl_fleet_findings_count(f); i++)
        json_array_append_new(worst, json_server(pl_fleet_with_findings(f, i)));
    json_object_set_new(root, "with_findings", worst);
    for (i = 0; i < pl_fleet_problem_count(f); i++) {
        const pl_fleet_problem *p = pl_fleet_problem_at(f, i);
        json_t *o = json_object();
        json_object_set_new(o, "log", pl_report_jstr(p->log));
        if (p->unjudged) {
            json_object_set_new(o, "machines", p->server ? pl_report_jstr(p->server) : json_null());
            json_object_set_new(o, "why", pl_report_jstr(p->why));
            json_array_append_new(unj, o);
        } else {
            json_object_set_new(o, "error", pl_report_jstr(p->why));
            json_array_append_new(bad, o);
        }
    }
    json_object_set_new(root, "unreadable", bad);
    json_object_set_new(root, "not_judged", unj);
    json_object_set_new(tot, "records", json_integer((json_int_t)t->records));
    json_object_set_new(tot, "servers", json_integer((json_int_t)t->servers));
    json_object_set_new(tot, "with_findings", json_integer((json_int_t)t->with_findings));
    json_object_set_new(tot, "culprits", json_integer((json_int_t)t->culprits));
    json_object_set_new(tot, "unreadable", json_integer((json_int_t)t->unreadable));
    json_object_set_new(tot, "not_judged", json_integer((json_int_t)t->unjudged));
    json_object_set_new(root, "totals", tot);
    json_object_set_new(root, "status", json_integer(pl_fleet_status(f)));
    text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
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

static const char FLEET_CSS[] =
    ".status-0{color:var(--ok);font-weight:bold}.status-1{color:var(--leak);font-weight:bold}"
    ".status-3{color:var(--warn);font-weight:bold}td.num,th.num{text-align:right;white-space:nowrap}"
    "td.servers{max-width:40em}details summary{cursor:pointer}\n";

static void h(FILE *out, const char *s)
{
    pl_xml_escape(out, s);
}

static void html_recurring(const pl_fleet *f, FILE *out)
{
    size_t i, k, n = pl_fleet_recurring_count(f);
    char name[160];
    group_cells cells;
    fprintf(out, "<section id=\"recurring\">\n<h2>Recurring culprits (on %zu servers or more)</h2>\n",
            pl_fleet_min_servers(f));
    if (!n) {
        fputs("<p>No culprit recurs.</p>\n</section>\n", out);
        return;
    }
    fputs("<div class=\"scroll\"><table id=\"recurring-table\">\n<thead><tr><th>Culprit</th><th>Kind</th>"
          "<th class=\"num\">Servers</th><th>Counter</th><th class=\"num\">Median growth</th>"
          "<th class=\"num\">Range</th><th>Growing since</th><th>On</th></tr></thead>\n<tbody>\n", out);
    for (i = 0; i < n; i++) {
        const pl_fleet_group *g = pl_fleet_recurring(f, i);
        pl_fleet_group_name(g, name, sizeof name);
        fputs("<tr><td>", out);
        h(out, name);
        fprintf(out, "</td><td>%s</td><td class=\"num\">%zu</td><td>", pl_grows_name(g->kind), g->count);
        h(out, g->counter ? g->counter : "");
        fputs("</td>", out);
        group_cells_of(g, &cells);
        fprintf(out, "<td class=\"num\">%s</td><td class=\"num\">%s</td><td>%s", cells.median, cells.range,
                cells.since);
        fprintf(out, "</td><td class=\"servers\"><details><summary>%zu servers</summary>", g->count);
        for (k = 0; k < g->count; k++) {
            if (k)
                fputs(", ", out);
            h(out, g->servers[k]);
        }
        fputs("</details></td></tr>\n", out);
    }
    fputs("</tbody>\n</table></div>\n</section>\n", out);
}

static void html_servers(const pl_fleet *f, FILE *out)
{
    size_t i, n = pl_fleet_findings_count(f);
    char v[64], line[160];
    if (!n)
        return;
    fprintf(out, "<section id=\"servers\">\n<h2>Servers with findings, worst first (%zu)</h2>\n"
                 "<div class=\"scroll\"><table id=\"servers-table\">\n<thead><tr><th>Server</th>"
                 "<th class=\"num\">Culprits</th><th class=\"num\">Findings</th><th>To a limit</th><th>What</th>"
                 "<th>Log</th></tr></thead>\n<tbody>\n", n);
    for (i = 0; i < n && i < FLEET_HTML_ROWS; i++) {
        const pl_fleet_server *s = pl_fleet_with_findings(f, i);
        fputs("<tr><td>", out);
        h(out, s->name);
        fprintf(out, "</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td><td>", s->culprits, s->findings);
        if (!isnan(s->hours_to_limit)) {
            pl_format_span_hours(s->hours_to_limit, v, sizeof v);
            h(out, v);
        }
        fputs("</td><td>", out);
        h(out, s->summary);
        fputs("</td><td><code>", out);
        h(out, s->log ? s->log : "");
        fputs("</code></td></tr>\n", out);
    }
    fputs("</tbody>\n</table></div>\n", out);
    if (n > FLEET_HTML_ROWS) {
        left_out_line(FLEET_HTML_ROWS, n, "servers", line, sizeof line);
        fprintf(out, "<p>%s</p>\n", line);
    }
    fputs("</section>\n", out);
}

static int fleet_html(const pl_fleet *f, FILE *out, pl_error *err)
{
    const pl_fleet_totals *t = pl_fleet_get_totals(f);
    char line[1024];
    int rc;
    pl_fleet_tally(f, line, sizeof line);
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<meta name=\"generator\" content=\"perfleak " PL_VERSION "\">\n"
                 "<title>perfleak fleet: %zu servers - ", t->servers);
    h(out, line);
    fputs("</title>\n<style>\n", out);
    fputs(HTML_APP_CSS, out);
    fputs(FLEET_CSS, out);
    fprintf(out, "</style>\n</head>\n<body>\n<header>\n<h1>perfleak fleet &mdash; %zu server%s</h1>\n"
                 "<p class=\"span\">%zu record%s read</p>\n<p class=\"summary status-%d\">",
            t->servers, t->servers == 1 ? "" : "s", t->records, t->records == 1 ? "" : "s", pl_fleet_status(f));
    h(out, line);
    fputs("</p>\n</header>\n", out);
    if (pl_fleet_recurring_count(f)) {
        fputs("<figure class=\"chart\" id=\"fleet-chart\">\n", out);
        if ((rc = pl_chart_fleet(f, PL_CHART_SVG_INLINE, out, err)) != PL_OK)
            return rc;
        fputs("</figure>\n", out);
    }
    html_recurring(f, out);
    html_servers(f, out);
    problems(f, out, PL_REPORT_HTML, 0, "unreadable", "Could not be read");
    problems(f, out, PL_REPORT_HTML, 1, "not-judged", "Read, but nothing could be judged");
    fputs("<section class=\"run\" id=\"run\">\n<p>perfleak " PL_VERSION "</p>\n</section>\n</body>\n</html>\n", out);
    return PL_OK;
}

int pl_fleet_write(const pl_fleet *f, pl_report_format fmt, FILE *out, pl_error *err)
{
    int rc;
    if (fmt == PL_REPORT_JSON || fmt == PL_REPORT_JSONL)
        rc = fleet_json(f, out, err);
    else if (fmt == PL_REPORT_MARKDOWN)
        rc = fleet_markdown(f, out, 0);
    else if (fmt == PL_REPORT_HTML)
        rc = fleet_html(f, out, err);
    else
        rc = fleet_text(f, out);
    return pl_report_flushed(out, rc, err);
}

/* ---------- -o DIR ---------- */

/* A file of the set: Markdown shows the pictures beside it. */
static int write_in_dir(const void *obj, pl_report_format fmt, FILE *out, pl_error *err)
{
    return fmt == PL_REPORT_MARKDOWN ? fleet_markdown(obj, out, 1) : pl_fleet_write(obj, fmt, out, err);
}

static int fleet_charts(const void *obj, pl_stage *stage, pl_error *err)
{
    return pl_fleet_chart_write_stage(obj, stage, err);
}

int pl_fleet_write_dir(const pl_fleet *x, const char *dir, pl_error *err)
{
    return pl_report_write_set(dir, write_in_dir, x, fleet_charts, err);
}
