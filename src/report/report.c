/* report.c - findings as text, JSON (jansson), Markdown and HTML, the
 * counters listing, and the atomic file writes behind `-o DIR`. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <jansson.h>
#include "perfleak/plot.h"
#include "perfleak/report.h"
#include "perfleak/units.h"
#include "util/internal.h"
#include "util/pool.h"

int pl_report_format_parse(const char *s)
{
    if (strcmp(s, "text") == 0) return PL_REPORT_TEXT;
    if (strcmp(s, "json") == 0) return PL_REPORT_JSON;
    if (strcmp(s, "jsonl") == 0) return PL_REPORT_JSONL;
    if (strcmp(s, "markdown") == 0 || strcmp(s, "md") == 0) return PL_REPORT_MARKDOWN;
    if (strcmp(s, "html") == 0) return PL_REPORT_HTML;
    return -1;
}

/* ---------- shared pieces ---------- */

typedef struct summary {
    size_t counters, leaks, running_out, ok, insufficient, suspect, not_applicable;
    size_t findings; /* leaks + running_out: first in report order */
    size_t shown;    /* findings + suspect: the blocks a report shows */
} summary;

static summary summarize(const pl_analysis *a)
{
    summary s;
    size_t i;
    memset(&s, 0, sizeof s);
    s.counters = pl_analysis_counter_count(a);
    for (i = 0; i < s.counters; i++) {
        const pl_finding *f = &pl_analysis_counter(a, i)->finding;
        switch (f->verdict) {
        case PL_VERDICT_LEAK: s.leaks++; break;
        case PL_VERDICT_RUNNING_OUT: s.running_out++; break;
        case PL_VERDICT_OK: s.ok++; break;
        case PL_VERDICT_NOT_APPLICABLE: s.not_applicable++; break;
        default: s.insufficient++; s.suspect += f->suspect != 0; break;
        }
    }
    s.findings = s.leaks + s.running_out;
    s.shown = s.findings + s.suspect;
    return s;
}

/* What a report calls a counter's verdict in its headings. */
static const char *verdict_heading(const pl_finding *f)
{
    if (f->verdict == PL_VERDICT_LEAK) return "LEAK";
    if (f->verdict == PL_VERDICT_RUNNING_OUT) return "RUNNING OUT";
    if (f->suspect) return "SUSPECT";
    return "";
}

static void offset_text(int off, char *buf, size_t size)
{
    snprintf(buf, size, "UTC%c%02d:%02d", off < 0 ? '-' : '+', abs(off) / 60, abs(off) % 60);
}

/* "file: SRV01, 2026-03-02 00:00 to 2026-03-05 00:00 (UTC-08:00), 2160
 * samples every 2 min" */
static void log_line(const pl_log_info *l, char *buf, size_t size)
{
    char s[32], e[32], off[16], iv[64], mach[256] = "";
    size_t i, used = 0;
    int o = -l->tz.bias;
    for (i = 0; i < l->n_machines && used + 2 < sizeof mach; i++)
        used += (size_t)snprintf(mach + used, sizeof mach - used, "%s%s",
                                 i ? ", " : "", l->machines[i]);
    if (used >= sizeof mach)
        used = sizeof mach - 1;
    offset_text(o, off, sizeof off);
    if (l->rows == 0) {
        snprintf(buf, size, "%s: %s%sno samples", l->file, mach, used ? ", " : "");
        return;
    }
    pl_time_format_short(l->start, o, s, sizeof s);
    pl_time_format_short(l->end, o, e, sizeof e);
    pl_sample_count_text(l->rows, l->interval_s, iv, sizeof iv);
    snprintf(buf, size, "%s: %s%s%s to %s (%s%s), %s", l->file,
             mach, used ? ", " : "", s, e, off, l->tz.bias_known ? "" : ", assumed", iv);
}

static void growth_text(const pl_counter *c, char *buf, size_t size)
{
    char g[40];
    pl_format_value(c->finding.growth, c->unit, g, sizeof g);
    if (isnan(c->finding.growth_pct))
        snprintf(buf, size, "%s%s", c->finding.growth >= 0 ? "+" : "", g);
    else
        snprintf(buf, size, "%s%s (%+.0f%%)", c->finding.growth >= 0 ? "+" : "", g,
                 c->finding.growth_pct);
}

static void rate_text(const pl_counter *c, char *buf, size_t size)
{
    char r[40];
    pl_format_value(c->finding.slope_per_hour, c->unit, r, sizeof r);
    snprintf(buf, size, "%s/h", r);
}

/* The cells every tabular report shows for one counter; empty where the
 * verdict has no such figure. */
typedef struct cells {
    char growth[96], rate[64], onset[32], conf[16], eta[128];
} cells;

/* "16.0 GB (Memory\Commit Limit) in 3.2 days, 2.1 days at the fastest" */
static void eta_text(const pl_counter *c, char *buf, size_t size)
{
    const pl_finding *f = &c->finding;
    char lim[40], e[32], e2[32];
    buf[0] = '\0';
    if (isnan(f->eta_h))
        return;
    pl_limit_text(f, c->unit, lim, sizeof lim);
    if (f->eta_h <= 0) {
        snprintf(buf, size, "%s (%s) reached", lim, f->limit_source);
        return;
    }
    pl_format_duration(f->eta_h * 3600, e, sizeof e);
    pl_format_duration(f->eta_h_early * 3600, e2, sizeof e2);
    if (f->verdict == PL_VERDICT_RUNNING_OUT) /* "zero (zero)" says nothing twice */
        snprintf(buf, size, "%s in %s, %s at the fastest", lim, e, e2);
    else
        snprintf(buf, size, "%s (%s) in %s, %s at the fastest", lim, f->limit_source, e, e2);
}

static void finding_cells(const pl_counter *c, int off, cells *out)
{
    const pl_finding *f = &c->finding;
    memset(out, 0, sizeof *out);
    if (pl_verdict_is_finding(f->verdict)) {
        growth_text(c, out->growth, sizeof out->growth);
        rate_text(c, out->rate, sizeof out->rate);
        pl_time_format_short(f->onset, off, out->onset, sizeof out->onset);
        eta_text(c, out->eta, sizeof out->eta);
    }
    if (pl_verdict_is_judged(f->verdict))
        snprintf(out->conf, sizeof out->conf, "%.0f%%", 100 * f->confidence);
}

/* "2 leaks among 35 counters (33 ok, 0 with too little data)." or, when
 * nothing could be judged, "Nothing could be judged: the log covers only
 * 25 s; ..." (never "No leak found": that would read as an all-clear). */
static void summary_sentence(const pl_analysis *a, const summary *s, const char *em, char *buf,
                             size_t size)
{
    const char *end = em[0] == '*' ? "**" : em[0] ? "</span>" : "";
    const char *plain = em[0] == '<' ? "<span>" : em;
    char head[128], tail[160] = "", why[400];
    size_t n;
    if (pl_analysis_nothing_judged(a, why, sizeof why)) {
        n = (size_t)snprintf(buf, size, "%sNothing could be judged%s: %s",
                             em[0] == '<' ? "<span class=\"nothing\">" : em, em[0] ? end : "", why);
        if (s->not_applicable)
            snprintf(tail, sizeof tail, ", %zu that cannot leak", s->not_applicable);
        if (s->counters && n < size)
            snprintf(buf + n, size - n, " (%zu counter%s: %zu with too little data%s%s).",
                     s->counters, s->counters == 1 ? "" : "s", s->insufficient, tail,
                     s->suspect ? "; the suspects, growing as a leak does, come first" : "");
        else if (n < size)
            snprintf(buf + n, size - n, ".");
        return;
    }
    if (s->leaks && s->running_out)
        snprintf(head, sizeof head, "%s%zu leak%s and %zu counter%s running out%s", em, s->leaks,
                 s->leaks == 1 ? "" : "s", s->running_out, s->running_out == 1 ? "" : "s", end);
    else if (s->leaks)
        snprintf(head, sizeof head, "%s%zu leak%s%s", em, s->leaks, s->leaks == 1 ? "" : "s", end);
    else if (s->running_out)
        snprintf(head, sizeof head, "%sNo leak, %zu counter%s running out%s", em, s->running_out,
                 s->running_out == 1 ? "" : "s", end);
    else
        snprintf(head, sizeof head, "%sNo leak found%s", plain, em[0] ? end : "");
    if (s->not_applicable)
        snprintf(tail, sizeof tail, ", %zu that cannot leak", s->not_applicable);
    snprintf(buf, size, "%s among %zu counter%s (%zu ok, %zu with too little data%s).", head,
             s->counters, s->counters == 1 ? "" : "s", s->ok, s->insufficient, tail);
}

/* "2 counters of Process(_Total) and Process(Idle) left out, ...", so that
 * a log of 276 processes showing 274 counters says why; 0 when none. */
static int left_out_sentence(const pl_analysis *a, char *buf, size_t size)
{
    size_t n = pl_analysis_aggregates_left_out(a);
    if (!n)
        return 0;
    snprintf(buf, size, "%zu counter%s of Process(_Total) and Process(Idle) left out, as by "
                        "default (a --counter pattern takes them).",
             n, n == 1 ? "" : "s");
    return 1;
}

/* What every report starts from: the verdict counts, the counters in
 * report order and the time zone to show. */
typedef struct rctx {
    summary s;
    size_t *order;
    int off;
} rctx;

static int rctx_init(const pl_analysis *a, rctx *c, pl_error *err)
{
    c->s = summarize(a);
    c->off = pl_analysis_display_offset(a);
    return pl_analysis_order(a, &c->order, err);
}

/* ---------- text ---------- */

#define MAX_SUSPECTS_SHOWN 10

static int write_text(const pl_analysis *a, FILE *out, pl_error *err)
{
    rctx rx;
    size_t i;
    int rc;
    char line[1024];
    if ((rc = rctx_init(a, &rx, err)) != PL_OK)
        return rc;
    for (i = 0; i < pl_analysis_log_count(a); i++) {
        log_line(pl_analysis_log(a, i), line, sizeof line);
        fprintf(out, "log  %s\n", line);
    }
    fputc('\n', out);
    for (i = 0; i < rx.s.shown; i++) {
        const pl_counter *c = pl_analysis_counter(a, rx.order[i]);
        const pl_finding *f = &c->finding;
        char g[96], r[64], on[32], lo[64], hi[64];
        if (f->suspect) {
            /* a long list of suspects in a short log would bury the summary */
            if (i == rx.s.findings + MAX_SUSPECTS_SHOWN) {
                fprintf(out, "... and %zu more suspects (-f json lists them)\n",
                        rx.s.shown - i);
                break;
            }
            fprintf(out, "SUSPECT %s\n     %s\n", c->label, f->reason);
            continue;
        }
        growth_text(c, g, sizeof g);
        rate_text(c, r, sizeof r);
        pl_time_format_short(f->onset, rx.off, on, sizeof on);
        pl_format_value(f->start_level, c->unit, lo, sizeof lo);
        pl_format_value(f->end_level, c->unit, hi, sizeof hi);
        fprintf(out, "%s %s\n     %s, %s since %s (%s -> %s)\n     %s\n", verdict_heading(f),
                c->label, g, r, on, lo, hi, f->reason);
        eta_text(c, line, sizeof line);
        if (line[0])
            fprintf(out, "     %s %s\n", f->verdict == PL_VERDICT_RUNNING_OUT ? "reaches" : "limit", line);
    }
    if (rx.s.shown)
        fputc('\n', out);
    summary_sentence(a, &rx.s, "", line, sizeof line);
    fprintf(out, "%s\n", line);
    if (left_out_sentence(a, line, sizeof line))
        fprintf(out, "%s\n", line);
    free(rx.order);
    return PL_OK;
}

/* ---------- JSON ---------- */

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
    int off = pl_analysis_display_offset(a), have = st->samples > 0;
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
    json_object_set_new(o, "unit", json_string(c->unit));
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

/* The report without its counters: "counters" is last and empty. */
static json_t *json_report_head(const pl_analysis *a, int with_findings)
{
    json_t *root = json_object(), *tool = json_object(), *logs = json_array();
    size_t i;
    json_object_set_new(tool, "name", json_string("perfleak"));
    json_object_set_new(tool, "version", json_string(PL_VERSION));
    json_object_set_new(root, "tool", tool);
    for (i = 0; i < pl_analysis_log_count(a); i++)
        json_array_append_new(logs, json_log(pl_analysis_log(a, i)));
    json_object_set_new(root, "logs", logs);
    if (with_findings) {
        summary s = summarize(a);
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
    }
    json_object_set_new(root, "counters", json_array());
    return root;
}

/* Counters lo..hi-1 as a report holding only them writes them: the text
 * between the brackets of "counters", indented as in the whole report.
 * NULL when out of memory. */
static char *counters_text(const pl_analysis *a, int with_findings, size_t lo, size_t hi,
                           size_t flags)
{
    json_t *w = json_object(), *arr = json_array();
    char *text = NULL, *open, *close;
    size_t i;
    if (w && arr) {
        for (i = lo; i < hi; i++)
            json_array_append_new(arr, json_counter(a, pl_analysis_counter(a, i), with_findings));
        json_object_set_new(w, "counters", arr);
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

typedef struct json_half {
    const pl_analysis *a;
    int with_findings;
    size_t lo, hi, flags;
    char *text;
} json_half;

static void *json_half_thread(void *arg)
{
    json_half *h = arg;
    h->text = counters_text(h->a, h->with_findings, h->lo, h->hi, h->flags);
    return NULL;
}

/* The whole report as text. With many counters and two threads, each
 * thread writes half of the counters, and the halves go between the
 * brackets of the head's empty "counters": jansson writes an array's
 * items the same wherever they are cut, so the text is the one a single
 * json_dumps of the whole report gives. */
static char *report_text(const pl_analysis *a, int with_findings, size_t flags)
{
    size_t n = pl_analysis_counter_count(a), hlen, alen, blen;
    json_t *head = json_report_head(a, with_findings);
    json_half h;
    pl_pool pool;
    char *htext, *mark, *atext, *out = NULL;
    int started;
    if (!head)
        return NULL;
    htext = json_dumps(head, flags | JSON_REAL_PRECISION(17));
    json_decref(head);
    htext = htext ? pl_json_shortest_reals(htext) : NULL;
    /* "counters" is last: its "[]" is followed by the closing brace only */
    mark = htext ? strrchr(htext, ']') : NULL;
    if (!mark || mark == htext || mark[-1] != '[' || strcmp(mark + 1 + strspn(mark + 1, " \n"), "}") != 0) {
        free(htext);
        return NULL;
    }
    h.a = a;
    h.with_findings = with_findings;
    h.lo = n / 2;
    h.hi = n;
    h.flags = flags;
    h.text = NULL;
    started = n >= 32 && pl_analysis_threads(a) > 1 && pl_pool_start(&pool, 1, json_half_thread, &h) == 1;
    atext = counters_text(a, with_findings, 0, started ? n / 2 : n, flags);
    if (started)
        pl_pool_join(&pool);
    if (atext && (!started || h.text)) {
        alen = strlen(atext);
        blen = started ? strlen(h.text) : 0;
        /* the first half's trailing line end and indent become a comma */
        while (started && alen && (atext[alen - 1] == ' ' || atext[alen - 1] == '\n'))
            alen--;
        hlen = (size_t)(mark - htext); /* up to and with the '[' */
        out = malloc(hlen + alen + 1 + blen + strlen(mark) + 1);
        if (out) {
            char *o = out;
            memcpy(o, htext, hlen);
            o += hlen;
            memcpy(o, atext, alen);
            o += alen;
            if (started) {
                *o++ = ',';
                memcpy(o, h.text, blen);
                o += blen;
            }
            strcpy(o, mark);
        }
    }
    free(htext);
    free(atext);
    free(h.text);
    return out;
}

static int dump_json_flags(const pl_analysis *a, int with_findings, FILE *out, size_t flags,
                           pl_error *err)
{
    char *text = report_text(a, with_findings, flags);
    size_t n;
    int bad;
    if (!text)
        return pl_err(err, PL_ENOMEM, "out of memory building JSON");
    n = strlen(text);
    bad = fwrite(text, 1, n, out) != n || fputc('\n', out) == EOF;
    free(text);
    if (bad)
        return pl_err(err, PL_EIO, "cannot write the JSON report: %s",
                      errno ? strerror(errno) : "write error");
    return PL_OK;
}

static int dump_json(const pl_analysis *a, int with_findings, FILE *out, pl_error *err)
{
    return dump_json_flags(a, with_findings, out, JSON_INDENT(2), err);
}

/* ---------- Markdown ---------- */

static void md_escape(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '|' || *s == '`')
            fputc('\\', out);
        fputc(*s, out);
    }
}

static int write_markdown(const pl_analysis *a, FILE *out, int charts, pl_error *err)
{
    rctx rx;
    size_t i;
    int rc;
    char line[1024];
    if ((rc = rctx_init(a, &rx, err)) != PL_OK)
        return rc;
    summary_sentence(a, &rx.s, "**", line, sizeof line);
    fprintf(out, "# perfleak report\n\n%s\n\n", line);
    if (left_out_sentence(a, line, sizeof line))
        fprintf(out, "%s\n\n", line);
    if (charts)
        fprintf(out, "![summary of the findings](summary.png)\n\n");
    fprintf(out, "Logs:\n\n");
    for (i = 0; i < pl_analysis_log_count(a); i++) {
        log_line(pl_analysis_log(a, i), line, sizeof line);
        fprintf(out, "- ");
        md_escape(out, line);
        fputc('\n', out);
    }
    fprintf(out, "\n| Verdict | Counter | Growth | Rate | Since | Limit | Confidence | Why |\n");
    fprintf(out, "|---|---|---|---|---|---|---|---|\n");
    for (i = 0; i < rx.s.counters; i++) {
        const pl_counter *c = pl_analysis_counter(a, rx.order[i]);
        const pl_finding *f = &c->finding;
        cells k;
        finding_cells(c, rx.off, &k);
        fprintf(out, "| %s | `", f->verdict == PL_VERDICT_LEAK ? "**leak**" :
                                 f->verdict == PL_VERDICT_RUNNING_OUT ? "**running-out**" :
                                 f->suspect ? "insufficient-data (**suspect**)" : pl_verdict_name(f->verdict));
        md_escape(out, c->label);
        fprintf(out, "` | %s | %s | %s | ", k.growth, k.rate, k.onset);
        md_escape(out, k.eta);
        fprintf(out, " | %s | ", k.conf);
        md_escape(out, f->reason);
        fprintf(out, " |\n");
    }
    for (i = 0; charts && i < rx.s.counters; i++) {
        const pl_counter *c = pl_analysis_counter(a, rx.order[i]);
        char name[256];
        if (charts < 2 && !pl_verdict_is_finding(c->finding.verdict))
            continue;
        pl_chart_file_name(a, rx.order[i], i + 1, "png", name, sizeof name);
        fprintf(out, "%s### %zu. `", i == 0 ? "\n## Charts\n\n" : "", i + 1);
        md_escape(out, c->label);
        fprintf(out, "`\n\n![chart of %s](%s)\n\n", pl_verdict_name(c->finding.verdict), name);
    }
    fprintf(out, "\n_perfleak %s, detector: %s_\n", PL_VERSION,
            rx.s.counters ? pl_analysis_counter(a, 0)->finding.method : "robust");
    free(rx.order);
    return PL_OK;
}

/* ---------- HTML ---------- */

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

static int write_html(const pl_analysis *a, FILE *out, pl_error *err)
{
    rctx rx;
    size_t i;
    int rc;
    char line[1024];
    if ((rc = rctx_init(a, &rx, err)) != PL_OK)
        return rc;
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
          "</style>\n</head>\n<body>\n<h1>perfleak report</h1>\n", out);
    summary_sentence(a, &rx.s, "<span class=\"leak\">", line, sizeof line);
    fprintf(out, "<p class=\"summary\">%s</p>\n", line);
    if (left_out_sentence(a, line, sizeof line))
        fprintf(out, "<p>%s</p>\n", line);
    fputs("<ul>\n", out);
    for (i = 0; i < pl_analysis_log_count(a); i++) {
        log_line(pl_analysis_log(a, i), line, sizeof line);
        fputs("<li>", out);
        html_escape(out, line);
        fputs("</li>\n", out);
    }
    fputs("</ul>\n", out);
    for (i = 0; i < rx.s.findings; i++) {
        const pl_counter *c = pl_analysis_counter(a, rx.order[i]);
        const pl_finding *f = &c->finding;
        cells k;
        char lo[48], hi[48];
        finding_cells(c, rx.off, &k);
        pl_format_value(f->slope_lo, c->unit, lo, sizeof lo);
        pl_format_value(f->slope_hi, c->unit, hi, sizeof hi);
        fprintf(out, "<section class=\"finding\">\n<h2>%zu. <code>", i + 1);
        html_escape(out, c->label);
        fputs("</code></h2>\n<p>", out);
        html_escape(out, f->reason);
        fputs(".</p>\n<dl>\n<dt>Growth</dt><dd>", out);
        html_escape(out, k.growth);
        fprintf(out, "</dd>\n<dt>Rate</dt><dd>%s (95%% interval %s/h to %s/h)</dd>\n"
                "<dt>Since</dt><dd>%s</dd>\n<dt>Confidence</dt><dd>%s</dd>\n",
                k.rate, lo, hi, k.onset, k.conf);
        if (k.eta[0]) {
            fputs("<dt>Limit</dt><dd>", out);
            html_escape(out, k.eta);
            fputs("</dd>\n", out);
        }
        fputs("</dl>\n<figure>\n", out);
        if ((rc = pl_chart_counter(a, rx.order[i], PL_CHART_SVG_INLINE, out, err)) != PL_OK) {
            free(rx.order);
            return rc;
        }
        fputs("</figure>\n</section>\n", out);
    }
    fputs("<h2>All counters</h2>\n<table>\n<thead><tr><th>Verdict</th><th>Counter</th><th>Growth</th>"
          "<th>Rate</th><th>Since</th><th>Limit</th><th>Confidence</th><th>Why</th></tr></thead>\n<tbody>\n", out);
    for (i = 0; i < rx.s.counters; i++) {
        const pl_counter *c = pl_analysis_counter(a, rx.order[i]);
        const pl_finding *f = &c->finding;
        cells k;
        finding_cells(c, rx.off, &k);
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
    free(rx.order);
    return PL_OK;
}

int pl_report_write(const pl_analysis *a, pl_report_format fmt, FILE *out, pl_error *err)
{
    int rc;
    switch (fmt) {
    case PL_REPORT_JSON: rc = dump_json(a, 1, out, err); break;
    case PL_REPORT_JSONL: rc = dump_json_flags(a, 1, out, JSON_COMPACT, err); break;
    case PL_REPORT_MARKDOWN: rc = write_markdown(a, out, 0, err); break;
    case PL_REPORT_HTML: rc = write_html(a, out, err); break;
    default: rc = write_text(a, out, err); break;
    }
    if (rc == PL_OK && (fflush(out) != 0 || ferror(out)))
        rc = pl_err(err, PL_EIO, "cannot write the report: %s", strerror(errno));
    return rc;
}

/* ---------- counters listing ---------- */

int pl_counters_write(const pl_analysis *a, pl_report_format fmt, FILE *out, pl_error *err)
{
    size_t i;
    int off = pl_analysis_display_offset(a);
    if (fmt == PL_REPORT_JSON)
        return dump_json(a, 0, out, err);
    if (fmt == PL_REPORT_JSONL)
        return dump_json_flags(a, 0, out, JSON_COMPACT, err);
    fprintf(out, "%8s  %-16s  %-16s  %12s  %12s  %12s  %s\n", "SAMPLES", "FIRST", "LAST",
            "MIN", "MAX", "LAST", "COUNTER");
    for (i = 0; i < pl_analysis_counter_count(a); i++) {
        const pl_counter *c = pl_analysis_counter(a, i);
        const pl_series_stats *st = pl_series_get_stats(pl_store_series(pl_analysis_store(a), c->series));
        char f[32] = "-", l[32] = "-", mn[32] = "-", mx[32] = "-", lv[32] = "-";
        if (st->samples) {
            pl_time_format_short(st->first_t, off, f, sizeof f);
            pl_time_format_short(st->last_t, off, l, sizeof l);
            pl_format_value(st->min, c->unit, mn, sizeof mn);
            pl_format_value(st->max, c->unit, mx, sizeof mx);
            pl_format_value(st->last_value, c->unit, lv, sizeof lv);
        }
        fprintf(out, "%8zu  %-16s  %-16s  %12s  %12s  %12s  %s\n", st->samples, f, l, mn, mx,
                lv, c->label);
    }
    if (fflush(out) != 0 || ferror(out))
        return pl_err(err, PL_EIO, "cannot write the listing: %s", strerror(errno));
    return PL_OK;
}

/* ---------- files ---------- */

typedef struct report_job {
    const pl_analysis *a;
    pl_report_format fmt;
    int charts;
} report_job;

static int write_job(void *ctx, FILE *f, pl_error *err)
{
    const report_job *j = ctx;
    if (j->fmt == PL_REPORT_MARKDOWN) {
        int rc = write_markdown(j->a, f, j->charts, err);
        if (rc == PL_OK && (fflush(f) != 0 || ferror(f)))
            rc = pl_err(err, PL_EIO, "cannot write the report: %s", strerror(errno));
        return rc;
    }
    return pl_report_write(j->a, j->fmt, f, err);
}

/* mkdir -p: creates missing parents; an existing non-directory is refused. */
static int make_dir(const char *dir, pl_error *err)
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

int pl_report_write_dir(const pl_analysis *a, const char *dir, int charts, pl_error *err)
{
    static const struct { const char *name; pl_report_format fmt; } files[] = {
        {"report.json", PL_REPORT_JSON},
        {"report.md", PL_REPORT_MARKDOWN},
        {"report.html", PL_REPORT_HTML},
    };
    pl_stage *stage;
    size_t i;
    int rc;
    if (!dir[0])
        return pl_err(err, PL_EUSAGE, "empty output directory name");
    if ((rc = make_dir(dir, err)) != PL_OK)
        return rc;
    if ((rc = pl_stage_create(&stage, dir, err)) != PL_OK)
        return rc;
    for (i = 0; i < sizeof files / sizeof files[0] && rc == PL_OK; i++) {
        report_job job;
        job.a = a;
        job.fmt = files[i].fmt;
        job.charts = charts;
        rc = pl_stage_write(stage, files[i].name, write_job, &job, err);
    }
    if (rc == PL_OK && charts)
        rc = pl_charts_write_stage(a, stage, charts == 2, err);
    /* all or nothing: the old set stands until every file is complete */
    if (rc == PL_OK)
        rc = pl_stage_commit(stage, err);
    pl_stage_free(stage);
    return rc;
}
