/* json.c - the report as JSON (jansson): the contract other tools read,
 * written in two halves on two threads when it is long. */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "util/pool.h"
#include "report/report_internal.h"
#include "perfleak/units.h"
#include "util/internal.h"

/* Integral values print as integers; NaN and infinities as null. */
static json_t *jnum(double v)
{
    if (!isfinite(v))
        return json_null();
    if (v == floor(v) && fabs(v) < 9007199254740992.0)
        return json_integer((json_int_t)v);
    return json_real(v);
}

static json_t *jtime(pl_time t, int off)
{
    char buf[48];
    pl_time_format_iso(t, off, buf, sizeof buf);
    return json_string(buf);
}

/* json_string refuses invalid UTF-8 (a file name in Latin-1, say); such
 * text is sanitized instead of silently dropping the key. */
/* Counters beyond which report.json is compact. */
#define PL_JSON_INDENT_MAX 2000

static json_t *jstr(const char *s)
{
    json_t *j = json_string(s);
    if (!j) {
        char *c = pl_utf8_sanitize(s, strlen(s));
        j = c ? json_string(c) : NULL;
        free(c);
    }
    return j ? j : json_null();
}

static json_t *jstr_or_null(const char *s)
{
    return s ? jstr(s) : json_null();
}

static json_t *json_log(const pl_log_info *l);

json_t *pl_report_json_log(const pl_log_info *l)
{
    return json_log(l);
}

json_t *pl_report_jstr(const char *s)
{
    return jstr(s);
}

json_t *pl_report_jnum(double v)
{
    return jnum(v);
}

json_t *pl_report_jtime(pl_time t, int off)
{
    return jtime(t, off);
}

static json_t *json_log(const pl_log_info *l)
{
    json_t *o = json_object(), *m = json_array();
    size_t i;
    int off = -l->tz.bias;
    for (i = 0; i < l->n_machines; i++)
        json_array_append_new(m, jstr(l->machines[i]));
    json_object_set_new(o, "file", jstr(l->file));
    json_object_set_new(o, "format", json_string(l->format));
    json_object_set_new(o, "encoding", json_string(l->encoding));
    json_object_set_new(o, "encoding_guessed", json_boolean(l->encoding_guessed));
    json_object_set_new(o, "time_zone", jstr(l->tz.name));
    json_object_set_new(o, "utc_offset_minutes", json_integer(off));
    json_object_set_new(o, "utc_offset_source",
                        json_string(l->tz.bias_known == 1 ? "header" :
                                    l->tz.bias_known == 2 ? "zone-name" :
                                    l->tz.bias_known == 3 ? "option" : "unknown"));
    json_object_set_new(o, "machines", m);
    json_object_set_new(o, "columns", json_integer((json_int_t)l->columns));
    json_object_set_new(o, "samples", json_integer((json_int_t)l->rows));
    json_object_set_new(o, "start", l->rows ? jtime(l->start, off) : json_null());
    json_object_set_new(o, "end", l->rows ? jtime(l->end, off) : json_null());
    json_object_set_new(o, "interval_seconds", l->rows > 1 ? jnum(l->interval_s) : json_null());
    return o;
}

static json_t *json_counter(const pl_analysis *a, const pl_counter *c, int with_finding)
{
    const pl_series_stats *st = pl_series_get_stats(pl_store_series(pl_analysis_store(a), c->series));
    const pl_finding *f = &c->finding;
    int off = pl_analysis_counter_offset(a, c), have = st->samples > 0;
    json_t *o = json_object();
    json_object_set_new(o, "path", jstr(c->path));
    if (c->path_en) {
        /* A log from a non-English Windows: the English names, and the
         * log's own beside them. */
        json_object_set_new(o, "path_en", jstr(c->path_en));
        json_object_set_new(o, "language", jstr_or_null(c->parts.lang));
        json_object_set_new(o, "object_local", jstr_or_null(c->parts.object_local));
        json_object_set_new(o, "counter_local", jstr_or_null(c->parts.counter_local));
    }
    json_object_set_new(o, "machine", jstr_or_null(c->parts.machine));
    json_object_set_new(o, "object", jstr_or_null(c->parts.object));
    json_object_set_new(o, "parent", jstr_or_null(c->parts.parent));
    json_object_set_new(o, "instance", jstr_or_null(c->parts.instance));
    json_object_set_new(o, "index", c->parts.index >= 0 ? json_integer(c->parts.index) : json_null());
    json_object_set_new(o, "counter", jstr_or_null(c->parts.counter));
    json_object_set_new(o, "occurrence", json_integer(c->occurrence));
    json_object_set_new(o, "unit", json_string(pl_unit_name(c->unit)));
    json_object_set_new(o, "kind", json_string(pl_kind_name(c->kind)));
    if (with_finding)
        json_object_set_new(o, "verdict", json_string(pl_verdict_name(f->verdict)));
    json_object_set_new(o, "samples", json_integer((json_int_t)st->samples));
    json_object_set_new(o, "missing", json_integer((json_int_t)st->missing));
    json_object_set_new(o, "first", have ? jtime(st->first_t, off) : json_null());
    json_object_set_new(o, "last", have ? jtime(st->last_t, off) : json_null());
    json_object_set_new(o, "min", have ? jnum(st->min) : json_null());
    json_object_set_new(o, "max", have ? jnum(st->max) : json_null());
    json_object_set_new(o, "first_value", have ? jnum(st->first_value) : json_null());
    json_object_set_new(o, "last_value", have ? jnum(st->last_value) : json_null());
    if (with_finding) {
        json_t *e = json_object(), *ci = json_array(), *reg = json_object();
        int judged = pl_verdict_is_judged(f->verdict);
        /* described: a counter that cannot leak still gets its figures */
        int described = judged || (f->verdict == PL_VERDICT_NOT_APPLICABLE && f->points) || f->suspect;
        json_object_set_new(e, "method", json_string(f->method));
        json_object_set_new(e, "reason", jstr(f->reason));
        json_object_set_new(e, "suspect", json_boolean(f->suspect));
        json_object_set_new(e, "confidence", judged ? jnum(f->confidence) : json_null());
        if (described) {
            json_array_append_new(ci, jnum(f->slope_lo));
            json_array_append_new(ci, jnum(f->slope_hi));
            json_object_set_new(reg, "start", jtime(f->regime_start, off));
            json_object_set_new(reg, "end", jtime(f->regime_end, off));
            json_object_set_new(e, "growth_per_hour", jnum(f->slope_per_hour));
            json_object_set_new(e, "growth_per_hour_ci95", ci);
            json_object_set_new(e, "growth", jnum(f->growth));
            json_object_set_new(e, "growth_percent", jnum(f->growth_pct));
            json_object_set_new(e, "start_level", jnum(f->start_level));
            json_object_set_new(e, "end_level", jnum(f->end_level));
            if (strcmp(f->method, "least-squares") == 0)
                json_object_set_new(e, "r2", jnum(f->r2));
            json_object_set_new(e, "p_value", jnum(f->p_value));
            json_object_set_new(e, "lives", json_integer(f->lives));
            json_object_set_new(e, "period_hours", f->period_h > 0 ? jnum(f->period_h) : json_null());
            json_object_set_new(e, "points", json_integer((json_int_t)f->points));
            json_object_set_new(e, "onset", pl_verdict_is_finding(f->verdict) ? jtime(f->onset, off) : json_null());
            json_object_set_new(e, "regime", reg);
            json_object_set_new(e, "limit", jnum(f->limit));
            json_object_set_new(e, "limit_source", f->limit_source[0] ? jstr(f->limit_source) : json_null());
            json_object_set_new(e, "hours_to_limit", jnum(f->eta_h));
            json_object_set_new(e, "hours_to_limit_earliest", jnum(f->eta_h_early));
        } else {
            json_decref(ci);
            json_decref(reg);
        }
        json_object_set_new(o, "evidence", e);
    }
    return o;
}

/* When f's growth began: the earliest onset of its evidence counters'
 * findings, or the start of its span when no counter is one (restarts hid
 * it). A fleet says "since Tuesday" from it. */
static pl_time culprit_onset(const pl_analysis *a, const pl_culprit_finding *f)
{
    pl_time t = f->start;
    int have = 0;
    size_t i;
    for (i = 0; i < f->ncounters; i++) {
        const pl_finding *g = &pl_analysis_counter(a, f->evidence[i])->finding;
        if (pl_verdict_is_finding(g->verdict) && (!have || g->onset < t)) {
            t = g->onset;
            have = 1;
        }
    }
    return t;
}

/* One culprit finding, in the contract diagnose.h describes. */
static json_t *json_culprit(const pl_analysis *a, const pl_culprit_finding *f, int off)
{
    json_t *o = json_object(), *c = json_object(), *kinds = json_array(), *ctrs = json_array(),
           *ex = json_array(), *obs = json_object(), *g = json_object();
    unsigned bit;
    size_t i;
    if (f->type == PL_CULPRIT_PROCESS) {
        json_object_set_new(c, "type", json_string("process"));
        json_object_set_new(c, "name", jstr(f->name));
        json_object_set_new(c, "pid", f->pid >= 0 ? json_integer(f->pid) : json_null());
    } else if (f->type == PL_CULPRIT_KERNEL) {
        json_object_set_new(c, "type", json_string("kernel"));
        json_object_set_new(c, "pool", json_string(f->pool ? "nonpaged" : "paged"));
    } else {
        json_object_set_new(c, "type", json_string("system"));
    }
    json_object_set_new(c, "machine", jstr(f->machine));
    json_object_set_new(o, "culprit", c);
    for (bit = 1; bit <= PL_GROWS_COMMIT; bit <<= 1)
        if (f->kinds & bit)
            json_array_append_new(kinds, json_string(pl_grows_name(bit)));
    json_object_set_new(o, "kinds", kinds);
    for (i = 0; i < f->ncounters; i++)
        json_array_append_new(ctrs, jstr(f->counters[i]));
    json_object_set_new(o, "counters", ctrs);
    for (i = 0; i < f->nexplains; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "counter", jstr(f->explains[i].counter));
        json_object_set_new(e, "percent", jnum(round(f->explains[i].percent * 10) / 10));
        json_array_append_new(ex, e);
    }
    json_object_set_new(o, "explains", ex);
    json_object_set_new(o, "restarts", json_integer((json_int_t)f->restarts));
    json_object_set_new(o, "restart_every_hours", jnum(f->restart_every_h));
    json_object_set_new(obs, "start", jtime(f->start, off));
    json_object_set_new(obs, "end", jtime(f->end, off));
    json_object_set_new(o, "observed", obs);
    json_object_set_new(o, "onset", jtime(culprit_onset(a, f), off));
    for (i = 0; i < f->nrates; i++)
        json_object_set_new(g, f->rates[i].counter, jnum(f->rates[i].per_hour));
    json_object_set_new(o, "growth_per_hour", g);
    json_object_set_new(o, "hours_to_limit", jnum(f->eta_h));
    json_object_set_new(o, "identified_by", json_string(f->type != PL_CULPRIT_PROCESS ? "counters" :
                                                        f->by_name ? "instance name" : "ID Process"));
    json_object_set_new(o, "summary", jstr(f->summary));
    {
        char next[640];
        pl_report_next_step(f, next, sizeof next);
        json_object_set_new(o, "next_step", jstr(next));
    }
    return o;
}

/* The report without its arrays: "findings" (when with findings) and
 * "counters" are last and empty. */
/* A section a machine, in the order they first appear: its offset, its
 * logs, and (with findings) how many findings and culprits are its. */
static json_t *json_machines(const pl_analysis *a, const pl_diagnosis *d, int with_findings)
{
    json_t *arr = json_array();
    const char **names = NULL;
    size_t nm = 0, i, k, q;
    pl_error err;
    if (!arr || pl_analysis_machines(a, &names, &nm, &err) != PL_OK) {
        json_decref(arr);
        return NULL;
    }
    for (i = 0; i < nm; i++) {
        json_t *o = json_object(), *logs = json_array();
        size_t leaks = 0, culprits = 0;
        json_object_set_new(o, "name", jstr(names[i]));
        json_object_set_new(o, "utc_offset_minutes", json_integer(pl_analysis_machine_offset(a, names[i])));
        for (k = 0; k < pl_analysis_log_count(a); k++) {
            const pl_log_info *l = pl_analysis_log(a, k);
            for (q = 0; q < l->n_machines; q++)
                if (strcmp(l->machines[q], names[i]) == 0) {
                    json_array_append_new(logs, jstr(l->file));
                    break;
                }
        }
        json_object_set_new(o, "logs", logs);
        if (with_findings) {
            for (k = 0; k < pl_analysis_counter_count(a); k++) {
                const pl_counter *c = pl_analysis_counter(a, k);
                leaks += pl_verdict_is_finding(c->finding.verdict) && pl_report_on_machine(c, names[i]);
            }
            for (k = 0; k < pl_diagnosis_count(d); k++)
                culprits += pl_report_culprit_on(pl_diagnosis_finding(d, k), names[i]);
            json_object_set_new(o, "findings", json_integer((json_int_t)leaks));
            json_object_set_new(o, "culprits", json_integer((json_int_t)culprits));
        }
        json_array_append_new(arr, o);
    }
    free(names);
    return arr;
}

static json_t *json_report_head(const pl_analysis *a, const pl_diagnosis *d, int with_findings)
{
    json_t *root = json_object(), *tool = json_object(), *logs = json_array();
    size_t i;
    json_object_set_new(tool, "name", json_string("perfleak"));
    json_object_set_new(tool, "version", json_string(PL_VERSION));
    /* what ran, and when (UTC), where the caller said */
    json_object_set_new(tool, "command", pl_analysis_run_command(a) ?
                        json_string(pl_analysis_run_command(a)) : json_null());
    if (pl_analysis_run_time(a) > 0) {
        char when[40];
        pl_time_format_iso(pl_time_from_unix(pl_analysis_run_time(a)), 0, when, sizeof when);
        json_object_set_new(tool, "run_at", json_string(when));
    } else {
        json_object_set_new(tool, "run_at", json_null());
    }
    json_object_set_new(root, "tool", tool);
    for (i = 0; i < pl_analysis_log_count(a); i++)
        json_array_append_new(logs, json_log(pl_analysis_log(a, i)));
    json_object_set_new(root, "logs", logs);
    {
        json_t *ms = json_machines(a, d, with_findings);
        if (!ms) { /* out of memory: no report rather than one without it */
            json_decref(root);
            return NULL;
        }
        json_object_set_new(root, "machines", ms);
    }
    {
        json_t *ws = json_array();
        for (i = 0; i < pl_analysis_warning_count(a); i++) {
            const pl_warning *w = pl_analysis_warning(a, i);
            json_t *o = json_object();
            json_object_set_new(o, "file", jstr_or_null(w->file));
            json_object_set_new(o, "line", w->line ? json_integer((json_int_t)w->line) : json_null());
            json_object_set_new(o, "offset", w->has_offset ? json_integer((json_int_t)w->offset) : json_null());
            json_object_set_new(o, "text", jstr(w->text));
            json_array_append_new(ws, o);
        }
        json_object_set_new(root, "warnings", ws);
        json_object_set_new(root, "warnings_left_out",
                            json_integer((json_int_t)pl_analysis_warnings_dropped(a)));
    }
    if (with_findings) {
        pl_report_summary s = pl_report_summarize(a);
        json_t *sum = json_object();
        json_object_set_new(sum, "counters", json_integer((json_int_t)s.counters));
        char why[400];
        int none = pl_analysis_nothing_judged(a, why, sizeof why);
        json_object_set_new(sum, "judged", json_boolean(!none));
        json_object_set_new(sum, "nothing_judged_because", none ? jstr(why) : json_null());
        json_object_set_new(sum, "leak", json_integer((json_int_t)s.leaks));
        json_object_set_new(sum, "running-out", json_integer((json_int_t)s.running_out));
        json_object_set_new(sum, "ok", json_integer((json_int_t)s.ok));
        json_object_set_new(sum, "insufficient-data", json_integer((json_int_t)s.insufficient));
        json_object_set_new(sum, "suspect", json_integer((json_int_t)s.suspect));
        json_object_set_new(sum, "not-applicable", json_integer((json_int_t)s.not_applicable));
        json_object_set_new(sum, "aggregates-left-out",
                            json_integer((json_int_t)pl_analysis_aggregates_left_out(a)));
        json_object_set_new(root, "summary", sum);
        json_object_set_new(root, "findings", json_array());
    }
    json_object_set_new(root, "counters", json_array());
    return root;
}

/* What an array of the report holds: item i of n, as a tree. */
typedef struct json_items {
    const pl_analysis *a;
    const pl_diagnosis *d; /* for "findings" */
    int with_findings;
    size_t n;
    json_t *(*item)(const struct json_items *it, size_t i);
} json_items;

static json_t *counter_item(const json_items *it, size_t i)
{
    return json_counter(it->a, pl_analysis_counter(it->a, i), it->with_findings);
}

static json_t *finding_item(const json_items *it, size_t i)
{
    const pl_culprit_finding *f = pl_diagnosis_finding(it->d, i);
    return json_culprit(it->a, f, pl_analysis_machine_offset(it->a, f->machine));
}

/* Items lo..hi-1 as a report holding only them writes them: the text
 * between the brackets of the array, indented as in the whole report
 * (both arrays are members of the report's top object). NULL when out
 * of memory. */
static char *items_text(const json_items *it, size_t lo, size_t hi, size_t flags)
{
    json_t *w = json_object(), *arr = json_array();
    char *text = NULL, *open, *close;
    size_t i;
    if (w && arr) {
        for (i = lo; i < hi; i++)
            json_array_append_new(arr, it->item(it, i));
        json_object_set_new(w, "items", arr);
        arr = NULL;
        text = json_dumps(w, flags | JSON_REAL_PRECISION(17));
        text = text ? pl_json_shortest_reals(text) : NULL;
    }
    json_decref(w);
    json_decref(arr);
    if (!text || !(open = strchr(text, '[')) || !(close = strrchr(text, ']'))) {
        free(text);
        return NULL;
    }
    *close = '\0';
    memmove(text, open + 1, strlen(open + 1) + 1);
    return text;
}

typedef struct json_part {
    const json_items *it;
    size_t lo, hi, flags;
    char *text;
} json_part;

static void *json_part_thread(void *arg)
{
    json_part *h = arg;
    h->text = items_text(h->it, h->lo, h->hi, h->flags);
    return NULL;
}

/* Arrays are written a batch at a time, so that only a batch's JSON trees
 * are in memory (a whole report's are 9 KB a counter: 56 MB for a log of
 * 6 000; its findings' 4 KB each). */
#define JSON_BATCH 128

/* Writes prev, ended by a comma when more follows: the text of a batch
 * ends in the line end and indent that the comma replaces. */
static int put_part(FILE *out, const char *prev, int more)
{
    size_t n = strlen(prev);
    while (more && n && (prev[n - 1] == ' ' || prev[n - 1] == '\n'))
        n--;
    return fwrite(prev, 1, n, out) == n && (!more || fputc(',', out) != EOF) ? 0 : -1;
}

/* The items of an array, between its brackets. jansson writes an array's
 * items the same wherever they are cut, so the batches give the text one
 * json_dumps of the whole array gives. With two threads, the second half
 * of each pair of batches is written by the other. -1 out of memory, -2
 * a write error. */
static int items_write(const json_items *it, size_t flags, int threads, FILE *out)
{
    size_t n = it->n, lo;
    char *prev = NULL;
    int rc = 0;
    threads = threads && n >= 32;
    for (lo = 0; lo < n && rc == 0; lo += 2 * JSON_BATCH) {
        size_t mid = lo + JSON_BATCH < n ? lo + JSON_BATCH : n;
        json_part h = {it, mid, lo + 2 * JSON_BATCH < n ? lo + 2 * JSON_BATCH : n, flags, NULL};
        pl_pool pool;
        int started = threads && h.lo < h.hi && pl_pool_start(&pool, 1, json_part_thread, &h) == 1;
        char *first = items_text(it, lo, mid, flags);
        if (started)
            pl_pool_join(&pool);
        else if (h.lo < h.hi && first)
            h.text = items_text(it, h.lo, h.hi, flags);
        if (!first || (h.lo < h.hi && !h.text))
            rc = -1;
        else if (prev && put_part(out, prev, 1) != 0)
            rc = -2;
        else if (h.text && put_part(out, first, 1) != 0)
            rc = -2;
        free(prev);
        prev = h.text ? h.text : first;
        if (h.text)
            free(first);
        else if (rc != 0)
            prev = NULL, free(first);
    }
    if (rc == 0 && prev && put_part(out, prev, 0) != 0)
        rc = -2;
    free(prev);
    return rc;
}

/* The "[" of the empty array of key that ends at end (the text before
 * which is `"key":` and blanks), or NULL. */
static char *array_open(char *text, char *end, const char *key)
{
    size_t k = strlen(key);
    char *p = end;
    if (p <= text || p[-1] != '[')
        return NULL;
    p--;
    while (p > text && p[-1] == ' ')
        p--;
    if (p - text < (ptrdiff_t)k + 3 || p[-1] != ':' || p[-2] != '"' || memcmp(p - 2 - k, key, k) != 0 ||
        p[-3 - (ptrdiff_t)k] != '"')
        return NULL;
    return end - 1;
}

static int put_span(FILE *out, const char *from, const char *to)
{
    return fwrite(from, 1, (size_t)(to - from), out) == (size_t)(to - from) ? 0 : -2;
}

/* The whole report: the head's text with the items of "findings" and
 * "counters" written between the brackets of its empty arrays, the last
 * two members. -1 out of memory, -2 a write error. */
static int report_write(const pl_result *r, int with_findings, size_t flags, FILE *out)
{
    const pl_analysis *a = r->analysis;
    json_items ci = {a, NULL, with_findings, pl_analysis_counter_count(a), counter_item};
    json_items fi = {a, NULL, with_findings, 0, finding_item};
    json_t *head;
    char *htext, *cmark, *fmark = NULL, *from;
    int rc = 0, threads = pl_analysis_threads(a) > 1;
    if (with_findings) {
        fi.d = r->diagnosis;
        fi.n = pl_diagnosis_count(fi.d);
    }
    head = json_report_head(a, r->diagnosis, with_findings);
    htext = head ? json_dumps(head, flags | JSON_REAL_PRECISION(17)) : NULL;
    json_decref(head);
    htext = htext ? pl_json_shortest_reals(htext) : NULL;
    /* "counters" is last: its "[]" is followed by the closing brace only;
     * "findings" is just before it: its "]" by a comma and the key */
    cmark = htext ? strrchr(htext, ']') : NULL;
    if (cmark && (!array_open(htext, cmark, "counters") ||
                  strcmp(cmark + 1 + strspn(cmark + 1, " \n"), "}") != 0))
        cmark = NULL;
    if (cmark && with_findings) {
        char *p = array_open(htext, cmark, "counters") - 1;
        while (p > htext && *p != ',')
            p--;
        fmark = p > htext && p[-1] == ']' ? p - 1 : NULL;
        if (!fmark || !array_open(htext, fmark, "findings"))
            cmark = NULL;
    }
    if (!cmark) {
        free(htext);
        return -1;
    }
    from = htext;
    if (fmark) {
        rc = put_span(out, from, fmark);
        if (rc == 0)
            rc = items_write(&fi, flags, threads, out);
        from = fmark;
    }
    if (rc == 0)
        rc = put_span(out, from, cmark);
    if (rc == 0)
        rc = items_write(&ci, flags, threads, out);
    if (rc == 0 && (fputs(cmark, out) == EOF || fputc('\n', out) == EOF))
        rc = -2;
    free(htext);
    return rc;
}

int pl_report_dump_json_flags(const pl_result *r, int with_findings, FILE *out,
                              size_t flags, pl_error *err)
{
    int rc;
    errno = 0;
    rc = report_write(r, with_findings, flags, out);
    if (rc == -1)
        return pl_err(err, PL_ENOMEM, "out of memory building JSON");
    if (rc == -2)
        return pl_err(err, PL_EIO, "cannot write the JSON report: %s",
                      errno ? strerror(errno) : "write error");
    return PL_OK;
}

int pl_report_dump_json(const pl_result *r, int with_findings, FILE *out, pl_error *err)
{
    const pl_analysis *a = r->analysis;
    /* indented for a reader; a report too long to read by eye is written
     * compact (a third smaller), as JSON as before */
    size_t flags = pl_analysis_counter_count(a) > PL_JSON_INDENT_MAX ? JSON_COMPACT : JSON_INDENT(2);
    return pl_report_dump_json_flags(r, with_findings, out, flags, err);
}
