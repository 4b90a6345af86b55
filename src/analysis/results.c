/* results.c - what an analysis found: its logs and counters, counts by
 * verdict, why nothing could be judged, and the order reports use. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/analysis_internal.h"
#include "perfleak/units.h"
#include "util/internal.h"

int pl_analysis_onset_is_start(const pl_analysis *a, const pl_counter *c)
{
    const pl_series *se = pl_store_series(a->store, c->series);
    const pl_series_stats *st = se ? pl_series_get_stats(se) : NULL;
    if (!st || !st->samples)
        return 1;
    return c->finding.onset - st->first_t <= (st->last_t - st->first_t) / 100;
}

void pl_analysis_onset_text(const pl_analysis *a, const pl_counter *c, char *buf, size_t size)
{
    char t[48];
    if (pl_analysis_onset_is_start(a, c)) {
        snprintf(buf, size, "from the first sample");
        return;
    }
    pl_analysis_time_text(a, c, c->finding.onset, t, sizeof t);
    snprintf(buf, size, "since %s", t);
}

int pl_analysis_machine_offset(const pl_analysis *a, const char *machine)
{
    const char *want = pl_machine_bare(machine);
    size_t i, k;
    if (!pl_analysis_mixed_offsets(a)) /* every log at one offset */
        return pl_analysis_display_offset(a);
    for (i = 0; i < a->nlogs; i++) {
        const pl_log_info *l = &a->logs[i];
        if (!want[0] && !l->n_machines)
            return -l->tz.bias;
        for (k = 0; k < l->n_machines; k++)
            if (strcmp(pl_machine_bare(l->machines[k]), want) == 0)
                return -l->tz.bias;
    }
    return pl_analysis_display_offset(a);
}

int pl_analysis_counter_offset(const pl_analysis *a, const pl_counter *c)
{
    return pl_analysis_machine_offset(a, c->parts.machine);
}

int pl_analysis_mixed_offsets(const pl_analysis *a)
{
    size_t i;
    for (i = 1; i < a->nlogs; i++)
        if (a->logs[i].rows && a->logs[i].tz.bias != a->logs[0].tz.bias)
            return 1;
    return 0;
}

void pl_analysis_time_text(const pl_analysis *a, const pl_counter *c, pl_time t, char *buf, size_t size)
{
    int off = pl_analysis_counter_offset(a, c);
    char when[32], o[16];
    pl_time_format_short(t, off, when, sizeof when);
    if (!pl_analysis_mixed_offsets(a)) {
        snprintf(buf, size, "%s", when);
        return;
    }
    pl_time_format_offset(off, o, sizeof o);
    snprintf(buf, size, "%s (%s)", when, o);
}

size_t pl_analysis_warning_count(const pl_analysis *a) { return a->nwarnings; }
const pl_warning *pl_analysis_warning(const pl_analysis *a, size_t i)
{
    return i < a->nwarnings ? &a->warnings[i] : NULL;
}
size_t pl_analysis_warnings_dropped(const pl_analysis *a) { return a->warnings_dropped; }

size_t pl_analysis_log_count(const pl_analysis *a) { return a->nlogs; }
const pl_log_info *pl_analysis_log(const pl_analysis *a, size_t i)
{
    return i < a->nlogs ? &a->logs[i] : NULL;
}
size_t pl_analysis_counter_count(const pl_analysis *a) { return a->ncounters; }
size_t pl_analysis_aggregates_left_out(const pl_analysis *a) { return a->left_out.n; }
const pl_counter *pl_analysis_counter(const pl_analysis *a, size_t i)
{
    return i < a->ncounters ? &a->counters[i] : NULL;
}
const pl_store *pl_analysis_store(const pl_analysis *a) { return a->store; }

int pl_analysis_display_offset(const pl_analysis *a)
{
    return a->nlogs ? -a->logs[0].tz.bias : 0;
}

int pl_analysis_span(const pl_analysis *a, pl_time *t0, pl_time *t1, size_t *rows)
{
    size_t i, n = 0;
    for (i = 0; i < a->nlogs; i++) {
        const pl_log_info *l = &a->logs[i];
        if (!l->rows)
            continue;
        if (!n || l->start < *t0)
            *t0 = l->start;
        if (!n || l->end > *t1)
            *t1 = l->end;
        n += l->rows;
    }
    *rows = n;
    return n > 0;
}

int pl_analysis_machines(const pl_analysis *a, const char ***names, size_t *n, pl_error *err)
{
    size_t i, j, k, total = 0;
    const char **v;
    *names = NULL;
    *n = 0;
    for (i = 0; i < a->nlogs; i++)
        total += a->logs[i].n_machines;
    if (!total)
        return PL_OK;
    if (!(v = malloc(total * sizeof *v)))
        return pl_err(err, PL_ENOMEM, "out of memory");
    for (i = 0; i < a->nlogs; i++)
        for (j = 0; j < a->logs[i].n_machines; j++) {
            const char *m = a->logs[i].machines[j];
            for (k = 0; k < *n && strcmp(v[k], m) != 0; k++)
                ;
            if (k == *n)
                v[(*n)++] = m;
        }
    *names = v;
    return PL_OK;
}

static int is_leak(pl_verdict v)
{
    return v == PL_VERDICT_LEAK;
}

/* Counters whose verdict pred holds. */
static size_t count_verdicts(const pl_analysis *a, int (*pred)(pl_verdict))
{
    size_t i, n = 0;
    for (i = 0; i < a->ncounters; i++)
        n += (size_t)pred(a->counters[i].finding.verdict);
    return n;
}

size_t pl_analysis_finding_count(const pl_analysis *a)
{
    return count_verdicts(a, pl_verdict_is_finding);
}

size_t pl_analysis_judged_count(const pl_analysis *a)
{
    return count_verdicts(a, pl_verdict_is_judged);
}

int pl_analysis_nothing_judged(const pl_analysis *a, char *why, size_t size)
{
    size_t i, few = 0, na = 0, flat = 0;
    char d[32], need[32];
    double span = pl_analysis_span_s(a), min_h = a->opts.detect.min_span_h;
    if (pl_analysis_judged_count(a))
        return 0;
    if (a->ncounters == 0) {
        snprintf(why, size, "no counter matched the selection (try --counter '*' or `perfleak counters`)");
        return 1;
    }
    for (i = 0; i < a->ncounters; i++) {
        few += a->counters[i].finding.verdict == PL_VERDICT_INSUFFICIENT;
        na += a->counters[i].finding.verdict == PL_VERDICT_NOT_APPLICABLE;
        /* enough samples, but in their last stretch all at one time */
        flat += a->counters[i].finding.verdict == PL_VERDICT_INSUFFICIENT &&
                strncmp(a->counters[i].finding.reason, "no trend", 8) == 0;
    }
    pl_format_duration(span, d, sizeof d);
    pl_format_span_hours(min_h, need, sizeof need);
    if (flat && flat == few && !na)
        snprintf(why, size, "no trend can be fitted: the samples share one time from some point on "
                 "(a clock set back, or segments merged with the same times)");
    else if (few && span < min_h * 3600)
        snprintf(why, size, "the log covers only %s; log at least %s to judge", d, need);
    else if (few && !na)
        snprintf(why, size, "no counter has enough samples (at least %zu over %s)",
                 a->opts.detect.min_samples, need);
    else if (!few)
        snprintf(why, size, "none of the counters is of something held that can leak (they are rates, percentages, caches...); select Process or Memory counters of bytes, handles or threads");
    else
        snprintf(why, size, "the counters of something held have too few samples (at least %zu over %s), the others cannot leak",
                 a->opts.detect.min_samples, need);
    return 1;
}

double pl_analysis_span_s(const pl_analysis *a)
{
    pl_time lo = 0, hi = 0;
    size_t i;
    int any = 0;
    for (i = 0; i < a->nlogs; i++) {
        const pl_log_info *l = &a->logs[i];
        if (!l->rows)
            continue;
        if (!any || l->start < lo) lo = l->start;
        if (!any || l->end > hi) hi = l->end;
        any = 1;
    }
    return any ? (double)(hi - lo) / PL_TICKS_PER_SEC : 0;
}

size_t pl_analysis_leak_count(const pl_analysis *a)
{
    return count_verdicts(a, is_leak);
}

/* Sort key: findings first, most urgent first: the one that reaches its
 * limit soonest (those without a limit after), then the fastest growth
 * relative to its level (per hour, so that a leak that started late is
 * not behind a slower one over a longer log); then suspects by relative
 * change; ties and the rest keep log order. */
typedef struct { size_t idx; int rank; double eta, rel, pct; } order_key;

/* a before b when a is larger; NaN last */
static int larger_first(double a, double b)
{
    if (a == b || (isnan(a) && isnan(b)))
        return 0;
    if (isnan(a)) return 1;
    if (isnan(b)) return -1;
    return a < b ? 1 : -1;
}

static int cmp_order(const void *x, const void *y)
{
    const order_key *a = x, *b = y;
    int c;
    if (a->rank != b->rank)
        return b->rank - a->rank;
    if (a->rank == 2 && (c = larger_first(-a->eta, -b->eta)) != 0)
        return c;
    if (a->rank == 2 && (c = larger_first(a->rel, b->rel)) != 0)
        return c;
    if (a->rank && (c = larger_first(a->pct, b->pct)) != 0)
        return c;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

int pl_analysis_order(const pl_analysis *a, size_t **order, pl_error *err)
{
    size_t i, n = a->ncounters;
    order_key *k = malloc((n ? n : 1) * sizeof *k);
    size_t *o = malloc((n ? n : 1) * sizeof *o);
    *order = NULL;
    if (!k || !o) {
        free(k);
        free(o);
        return pl_err(err, PL_ENOMEM, "out of memory");
    }
    for (i = 0; i < n; i++) {
        const pl_finding *f = &a->counters[i].finding;
        k[i].idx = i;
        k[i].rank = pl_verdict_is_finding(f->verdict) ? 2 : f->suspect ? 1 : 0;
        k[i].pct = fabs(f->growth_pct);
        k[i].eta = f->eta_h >= 0 ? f->eta_h : NAN;
        k[i].rel = f->start_level > 0 ? fabs(f->slope_per_hour) / f->start_level
                   : fabs(f->end_level) > 0 ? fabs(f->slope_per_hour) / fabs(f->end_level) : NAN;
    }
    qsort(k, n, sizeof *k, cmp_order);
    for (i = 0; i < n; i++)
        o[i] = k[i].idx;
    free(k);
    *order = o;
    return PL_OK;
}

const pl_series *pl_analysis_process_id(const pl_analysis *a, const pl_counter *c)
{
    size_t i = (size_t)(c - a->counters);
    if (!a->pid_of || i >= a->ncounters || a->pid_of[i] == NO_SERIES)
        return NULL;
    return pl_store_series(a->store, a->pid_of[i]);
}

const pl_detect_opts *pl_analysis_detect_opts(const pl_analysis *a)
{
    return &a->opts.detect;
}

const char *pl_analysis_app_pool(const pl_analysis *a, const char *machine, long pid)
{
    char want[300];
    size_t i, n;
    if (pid < 0)
        return NULL;
    n = (size_t)snprintf(want, sizeof want, "%s\x1F%ld\x1F", pl_machine_bare(machine), pid);
    if (n >= sizeof want)
        return NULL;
    for (i = 0; i < a->app_pools.cap; i++) {
        const char *k = a->app_pools.keys[i];
        if (k && pl_strncasecmp(k, want, n) == 0)
            return k + n;
    }
    return NULL;
}
