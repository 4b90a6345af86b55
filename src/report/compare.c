/* compare.c - what `perfleak compare` says: each culprit of either capture
 * with its verdict, as text for a terminal or JSON for other tools. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/report_internal.h"
#include "perfleak/compare.h"
#include "perfleak/units.h"
#include "util/internal.h"

static void side_logs(FILE *out, const char *prefix, const pl_analysis *a)
{
    size_t i;
    char line[1024];
    for (i = 0; i < pl_analysis_log_count(a); i++) {
        pl_report_log_line(pl_analysis_log(a, i), line, sizeof line);
        pl_visible_line(out, prefix, line);
    }
}

static int compare_text(const pl_compare *c, FILE *out)
{
    size_t i, count[6] = {0};
    char line[256];
    int first = 1;
    static const char *const heading[] = {"WORSE ", "NEW ", "UNCHANGED ", "SLOWER ", "CANNOT TELL ", "GONE "};
    side_logs(out, "before  ", pl_compare_before(c)->analysis);
    side_logs(out, "after   ", pl_compare_after(c)->analysis);
    fputc('\n', out);
    for (i = 0; i < pl_compare_count(c); i++) {
        const pl_comparison *k = pl_compare_item(c, i);
        count[k->verdict]++;
        pl_visible_line(out, heading[k->verdict], k->summary);
    }
    if (pl_compare_count(c))
        fputc('\n', out);
    if (!pl_compare_count(c)) {
        fputs("No culprit in either capture.\n", out);
        return PL_OK;
    }
    snprintf(line, sizeof line, "%zu culprit%s compared:", pl_compare_count(c),
             pl_compare_count(c) == 1 ? "" : "s");
    fputs(line, out);
    for (i = 0; i < 6; i++) {
        static const pl_cmp_verdict order[] = {PL_CMP_GONE, PL_CMP_SLOWER, PL_CMP_UNCHANGED, PL_CMP_WORSE,
                                              PL_CMP_NEW, PL_CMP_CANNOT_TELL};
        if (count[order[i]]) {
            fprintf(out, "%s %zu %s", first ? "" : ",", count[order[i]], pl_cmp_verdict_name(order[i]));
            first = 0;
        }
    }
    fputs(".\n", out);
    return PL_OK;
}

static void md_logs(FILE *out, const char *title, const pl_analysis *a)
{
    size_t i;
    char line[1024];
    fprintf(out, "%s:\n\n", title);
    for (i = 0; i < pl_analysis_log_count(a); i++) {
        pl_report_log_line(pl_analysis_log(a, i), line, sizeof line);
        fputs("- ", out);
        pl_report_md_text(out, line);
        fputc('\n', out);
    }
    fputc('\n', out);
}

/* For a ticket: the verdicts as a list, most urgent first, and the logs. */
static int compare_markdown(const pl_compare *c, FILE *out)
{
    size_t i;
    fputs("# perfleak compare\n\n", out);
    if (!pl_compare_count(c))
        fputs("No culprit in either capture.\n\n", out);
    for (i = 0; i < pl_compare_count(c); i++) {
        const pl_comparison *k = pl_compare_item(c, i);
        fprintf(out, "%zu. **%s**: ", i + 1, pl_cmp_verdict_name(k->verdict));
        pl_report_md_text(out, k->summary);
        fputc('\n', out);
    }
    fputc('\n', out);
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

int pl_compare_write(const pl_compare *c, pl_report_format fmt, FILE *out, pl_error *err)
{
    int rc;
    if (fmt == PL_REPORT_JSON || fmt == PL_REPORT_JSONL)
        rc = compare_json(c, out, fmt == PL_REPORT_JSONL ? JSON_COMPACT : JSON_INDENT(2), err);
    else if (fmt == PL_REPORT_MARKDOWN)
        rc = compare_markdown(c, out);
    else
        rc = compare_text(c, out);
    if (rc == PL_OK && (fflush(out) != 0 || ferror(out)))
        rc = pl_err(err, PL_EIO, "cannot write the report: %s", strerror(errno));
    return rc;
}
