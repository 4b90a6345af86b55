/* report.c - the report formats behind one call, the counters listing,
 * and the set of files behind `-o DIR` (written whole or not at all). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <jansson.h>
#include "report/report_internal.h"
#include "perfleak/plot.h"
#include "perfleak/units.h"
#include "util/internal.h"
#include "chart/files.h"

int pl_report_format_parse(const char *s)
{
    if (strcmp(s, "text") == 0) return PL_REPORT_TEXT;
    if (strcmp(s, "json") == 0) return PL_REPORT_JSON;
    if (strcmp(s, "jsonl") == 0) return PL_REPORT_JSONL;
    if (strcmp(s, "markdown") == 0 || strcmp(s, "md") == 0) return PL_REPORT_MARKDOWN;
    if (strcmp(s, "html") == 0) return PL_REPORT_HTML;
    return -1;
}

int pl_report_write(const pl_result *r, pl_report_format fmt, FILE *out, pl_error *err)
{
    int rc;
    switch (fmt) {
    case PL_REPORT_JSON: rc = pl_report_dump_json(r, 1, out, err); break;
    case PL_REPORT_JSONL: rc = pl_report_dump_json_flags(r, 1, out, JSON_COMPACT, err); break;
    case PL_REPORT_MARKDOWN: rc = pl_report_markdown(r, out, PL_CHARTS_NONE, err); break;
    case PL_REPORT_HTML: rc = pl_report_html(r, out, err); break;
    default: rc = pl_report_text(r, out, err); break;
    }
    if (rc == PL_OK && (fflush(out) != 0 || ferror(out)))
        rc = pl_err(err, PL_EIO, "cannot write the report: %s", strerror(errno));
    return rc;
}

/* ---------- counters listing ---------- */

int pl_counters_write(const pl_analysis *a, pl_report_format fmt, FILE *out, pl_error *err)
{
    pl_result listing = {a, NULL};
    size_t i;
    if (fmt == PL_REPORT_JSON)
        return pl_report_dump_json(&listing, 0, out, err);
    if (fmt == PL_REPORT_JSONL)
        return pl_report_dump_json_flags(&listing, 0, out, JSON_COMPACT, err);
    fprintf(out, "%8s  %-16s  %-16s  %12s  %12s  %12s  %s\n", "SAMPLES", "FIRST", "LAST",
            "MIN", "MAX", "LAST", "COUNTER");
    for (i = 0; i < pl_analysis_counter_count(a); i++) {
        const pl_counter *c = pl_analysis_counter(a, i);
        const pl_series_stats *st = pl_series_get_stats(pl_store_series(pl_analysis_store(a), c->series));
        char f[32] = "-", l[32] = "-", mn[32] = "-", mx[32] = "-", lv[32] = "-";
        /* each machine's times at its own offset (the log lines say which) */
        int off = pl_analysis_counter_offset(a, c);
        if (st->samples) {
            pl_time_format_short(st->first_t, off, f, sizeof f);
            pl_time_format_short(st->last_t, off, l, sizeof l);
            pl_format_value(st->min, c->unit, mn, sizeof mn);
            pl_format_value(st->max, c->unit, mx, sizeof mx);
            pl_format_value(st->last_value, c->unit, lv, sizeof lv);
        }
        fprintf(out, "%8zu  %-16s  %-16s  %12s  %12s  %12s  ", st->samples, f, l, mn, mx, lv);
        pl_visible_line(out, "", c->label);
    }
    if (fflush(out) != 0 || ferror(out))
        return pl_err(err, PL_EIO, "cannot write the listing: %s", strerror(errno));
    return PL_OK;
}

/* ---------- files ---------- */

int pl_report_make_dir(const char *dir, pl_error *err)
{
    char *p = pl_strdup(dir), *q;
    struct stat sb;
    int rc = PL_OK;
    if (!p)
        return pl_err(err, PL_ENOMEM, "out of memory");
    for (q = p + 1; ; q++) {
        if (*q == '/' || *q == '\0') {
            char c = *q;
            *q = '\0';
            if (stat(p, &sb) != 0) {
                if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                    rc = pl_err(err, PL_EIO, "%s: cannot create directory: %s", p, strerror(errno));
                    break;
                }
            } else if (!S_ISDIR(sb.st_mode)) {
                rc = pl_err(err, PL_EIO, "%s: exists and is not a directory; expected an output directory", p);
                break;
            }
            *q = c;
            if (c == '\0')
                break;
        }
    }
    free(p);
    return rc;
}

int pl_report_flushed(FILE *out, int rc, pl_error *err)
{
    if (rc == PL_OK && (fflush(out) != 0 || ferror(out)))
        rc = pl_err(err, PL_EIO, "cannot write the report: %s", strerror(errno));
    return rc;
}

/* One file of a set: the writer, its object and the format it writes. */
typedef struct set_file {
    pl_report_dir_writer write;
    const void *obj;
    pl_report_format fmt;
} set_file;

static int write_set_file(void *ctx, FILE *f, pl_error *err)
{
    const set_file *s = ctx;
    return pl_report_flushed(f, s->write(s->obj, s->fmt, f, err), err);
}

int pl_report_write_set(const char *dir, pl_report_dir_writer write_fn, const void *obj,
                        int (*charts_fn)(const void *obj, pl_stage *stage, pl_error *err), pl_error *err)
{
    static const char *const files[] = {"report.json", "report.md", "report.html"};
    static const pl_report_format fmts[] = {PL_REPORT_JSON, PL_REPORT_MARKDOWN, PL_REPORT_HTML};
    pl_stage *stage;
    size_t i;
    int rc;
    if (!dir[0])
        return pl_err(err, PL_EUSAGE, "empty output directory name");
    if ((rc = pl_report_make_dir(dir, err)) != PL_OK)
        return rc;
    if ((rc = pl_stage_create(&stage, dir, err)) != PL_OK)
        return rc;
    for (i = 0; i < 3 && rc == PL_OK; i++) {
        set_file sf = {write_fn, obj, fmts[i]};
        rc = pl_stage_write(stage, files[i], write_set_file, &sf, err);
    }
    if (rc == PL_OK && charts_fn)
        rc = charts_fn(obj, stage, err);
    /* all or nothing: the old set stands until every file is complete */
    if (rc == PL_OK)
        rc = pl_stage_commit(stage, err);
    pl_stage_free(stage);
    return rc;
}

typedef struct report_charts {
    const pl_result *r;
    pl_chart_set set;
} report_charts;

static int write_in_dir(const void *obj, pl_report_format fmt, FILE *out, pl_error *err)
{
    const report_charts *c = obj;
    return fmt == PL_REPORT_MARKDOWN ? pl_report_markdown(c->r, out, c->set, err) : pl_report_write(c->r, fmt, out, err);
}

static int write_charts(const void *obj, pl_stage *stage, pl_error *err)
{
    const report_charts *c = obj;
    return pl_charts_write_stage(c->r, stage, c->set, err);
}

int pl_report_write_dir(const pl_result *r, const char *dir, pl_chart_set charts, pl_error *err)
{
    report_charts rc = {r, charts};
    return pl_report_write_set(dir, write_in_dir, &rc, charts != PL_CHARTS_NONE ? write_charts : NULL, err);
}
