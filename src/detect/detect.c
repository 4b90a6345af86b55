/* detect.c - judging one counter: verdict and method names, the method
 * table (the robust detector and the baselines), and what a counter's kind
 * lets it be called (only what is held can leak; free memory runs out). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "detect/baselines.h"
#include "detect/points.h"
#include "detect/robust.h"
#include "perfleak/units.h"
#include "perfleak/timestamp.h"
#include "util/internal.h"
#include "detect/stats.h"

const char *pl_verdict_name(pl_verdict v)
{
    switch (v) {
    case PL_VERDICT_LEAK: return "leak";
    case PL_VERDICT_OK: return "ok";
    case PL_VERDICT_RUNNING_OUT: return "running-out";
    case PL_VERDICT_NOT_APPLICABLE: return "not-applicable";
    default: return "insufficient-data";
    }
}

int pl_verdict_is_finding(pl_verdict v)
{
    return v == PL_VERDICT_LEAK || v == PL_VERDICT_RUNNING_OUT;
}

int pl_verdict_is_judged(pl_verdict v)
{
    return pl_verdict_is_finding(v) || v == PL_VERDICT_OK;
}

/* The methods: name and detector, in the order of pl_method. The
 * baselines judge the series alone; only the robust detector also uses
 * the process ID to tell restarts from collections. */
typedef int (*method_fn)(const pl_series *s, const pl_series *pid, const pl_detect_opts *o,
                         pl_unit unit, pl_finding *f, pl_error *err);

static int least_squares(const pl_series *s, const pl_series *pid, const pl_detect_opts *o,
                         pl_unit unit, pl_finding *f, pl_error *err)
{
    (void)pid;
    return pl_detect_least_squares(s, o, unit, f, err);
}

static int mann_kendall(const pl_series *s, const pl_series *pid, const pl_detect_opts *o,
                        pl_unit unit, pl_finding *f, pl_error *err)
{
    (void)pid;
    return pl_detect_mann_kendall(s, o, unit, f, err);
}

static int pal(const pl_series *s, const pl_series *pid, const pl_detect_opts *o,
               pl_unit unit, pl_finding *f, pl_error *err)
{
    (void)pid;
    return pl_detect_pal(s, o, unit, f, err);
}

static const struct {
    pl_method method;
    const char *name;
    method_fn detect;
} METHODS[] = {
    {PL_METHOD_ROBUST, "robust", pl_detect_robust},
    {PL_METHOD_LEAST_SQUARES, "least-squares", least_squares},
    {PL_METHOD_MANN_KENDALL, "mann-kendall", mann_kendall},
    {PL_METHOD_PAL, "pal", pal},
};

#define NMETHODS (sizeof METHODS / sizeof *METHODS)

/* The table's entry for m; the robust detector for anything else. */
static size_t method_at(pl_method m)
{
    size_t i;
    for (i = 0; i < NMETHODS; i++)
        if (METHODS[i].method == m)
            return i;
    return 0;
}

const char *pl_method_name(pl_method m)
{
    return METHODS[method_at(m)].name;
}

int pl_method_parse(const char *name)
{
    size_t i;
    for (i = 0; i < NMETHODS; i++)
        if (strcmp(name, METHODS[i].name) == 0)
            return (int)METHODS[i].method;
    return -1;
}

void pl_detect_opts_init(pl_detect_opts *o)
{
    o->method = PL_METHOD_ROBUST;
    o->min_samples = 30;
    o->min_span_h = 1.0;
    o->decline = 0;
    o->min_r2 = 0.8;
    o->min_growth_pct = 5.0;
    o->alpha = 0.01;
}

int pl_detect(const pl_series *s, const pl_detect_opts *opts, pl_unit unit,
              pl_finding *out, pl_error *err)
{
    return pl_detect_process(s, NULL, opts, unit, out, err);
}

int pl_detect_process(const pl_series *s, const pl_series *pid, const pl_detect_opts *opts,
                      pl_unit unit, pl_finding *out, pl_error *err)
{
    pl_detect_opts def;
    if (!opts) {
        pl_detect_opts_init(&def);
        opts = &def;
    }
    return METHODS[method_at(opts->method)].detect(s, pid, opts, unit, out, err);
}

/* ---------- by kind ---------- */

/* Replaces every from in s by to, within size bytes. */
static void replace_words(char *s, size_t size, const char *from, const char *to)
{
    char out[sizeof ((pl_finding *)0)->reason];
    size_t n = 0, lf = strlen(from), lt = strlen(to);
    const char *p = s;
    while (*p && n + 1 < sizeof out) {
        if (strncmp(p, from, lf) == 0 && n + lt < sizeof out) {
            memcpy(out + n, to, lt);
            n += lt;
            p += lf;
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
    snprintf(s, size, "%s", out);
}

/* The detector judged the negated series: its numbers back to the
 * counter's own, its words to a decline's. */
static void as_decline(pl_finding *f)
{
    double lo = f->slope_lo;
    f->slope_per_hour = -f->slope_per_hour;
    f->slope_lo = -f->slope_hi;
    f->slope_hi = -lo;
    f->start_level = -f->start_level;
    f->end_level = -f->end_level;
    f->growth = -f->growth;
    f->growth_pct = -f->growth_pct;
    /* the negated series grew where the counter fell, and the other way */
    replace_words(f->reason, sizeof f->reason, "a falling trend", "a rising trend");
    replace_words(f->reason, sizeof f->reason, "growth", "decline");
    replace_words(f->reason, sizeof f->reason, "grew", "\x01");
    replace_words(f->reason, sizeof f->reason, "fell", "rose");
    replace_words(f->reason, sizeof f->reason, "\x01", "fell");
    if (f->verdict == PL_VERDICT_LEAK) {
        f->verdict = PL_VERDICT_RUNNING_OUT;
        f->limit = 0;
        snprintf(f->limit_source, sizeof f->limit_source, "zero");
        if (f->slope_per_hour < 0) {
            double left = fmax(0, f->end_level);
            f->eta_h = left / -f->slope_per_hour;
            f->eta_h_early = f->slope_lo < f->slope_per_hour ? left / -f->slope_lo : f->eta_h;
        }
    }
}

pl_time pl_finding_limit_at(const pl_finding *f, int earliest)
{
    return pl_time_add_hours(f->regime_end, earliest ? f->eta_h_early : f->eta_h);
}

void pl_limit_text(const pl_finding *f, pl_unit unit, char *buf, size_t size)
{
    if (f->verdict == PL_VERDICT_RUNNING_OUT)
        snprintf(buf, size, "zero");
    else
        pl_format_value(f->limit, unit, buf, size);
}

/* A verdict withheld takes its time to the wall with it. */
static void no_limit(pl_finding *f)
{
    f->eta_h = f->eta_h_early = f->limit = NAN;
    f->limit_source[0] = '\0';
}

int pl_detect_counter(const pl_series *s, const pl_series *pid, const pl_detect_opts *opts,
                      pl_kind kind, pl_unit unit, pl_finding *f, pl_error *err)
{
    const pl_series_stats *st = pl_series_get_stats(s);
    pl_detect_opts o;
    double span_h = st->samples ? (double)(st->last_t - st->first_t) / (double)PL_TICKS_PER_HOUR : 0;
    int few, brief, rc;
    size_t min_samples;
    char seen[sizeof f->reason], d[32], need[32];
    if (opts)
        o = *opts;
    else
        pl_detect_opts_init(&o);
    min_samples = o.min_samples;
    few = st->samples < o.min_samples;
    brief = span_h < o.min_span_h;
    /* A short log is still described: the detector runs on what there is
     * (down to 8 samples), and only its verdict is withheld. */
    if (few || brief)
        o.min_samples = o.min_samples < 8 ? o.min_samples : 8;
    o.decline = kind == PL_KIND_FREE;
    rc = pl_detect_process(s, kind == PL_KIND_HELD ? pid : NULL, &o, unit, f, err);
    if (rc != PL_OK)
        return rc;
    if (o.decline)
        as_decline(f);
    if (kind != PL_KIND_HELD && kind != PL_KIND_FREE) {
        snprintf(seen, sizeof seen, "%s", f->reason);
        snprintf(f->reason, sizeof f->reason, "%s; %.300s", pl_kind_why_not(kind), seen);
        f->verdict = PL_VERDICT_NOT_APPLICABLE;
        no_limit(f);
        return PL_OK;
    }
    if (!few && !brief)
        return PL_OK;
    f->suspect = pl_verdict_is_finding(f->verdict);
    f->verdict = PL_VERDICT_INSUFFICIENT;
    no_limit(f);
    snprintf(seen, sizeof seen, "%s", f->reason);
    pl_format_duration(span_h * 3600, d, sizeof d);
    pl_format_span_hours(o.min_span_h, need, sizeof need);
    if (brief)
        snprintf(f->reason, sizeof f->reason, "%.250s; the samples cover only %.31s: log at least %.31s%s to judge",
                 seen, d, need, few ? " with more samples" : "");
    else
        snprintf(f->reason, sizeof f->reason, "%.250s; only %zu sample%s: at least %zu are needed to judge",
                 seen, st->samples, st->samples == 1 ? "" : "s", min_samples);
    return PL_OK;
}
