/* judge.c - every counter of an analysis judged, on the threads -j
 * allows, with the limit each grows towards and when it gets there. */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/analysis_internal.h"
#include "perfleak/counters.h"
#include "util/internal.h"
#include "util/pool.h"

/* The limit counter c grows towards: the user's, else for Committed Bytes
 * the last Commit Limit logged for its machine. */
static void find_limit(const pl_analysis *a, const pl_counter *c, pl_finding *f)
{
    size_t i, sid;
    for (i = 0; i < a->opts.n_limits; i++) {
        if (pl_select_matches(a->limit_pat[i], c->path, c->path_en)) {
            f->limit = a->limit_val[i];
            snprintf(f->limit_source, sizeof f->limit_source, "--limit");
            return;
        }
    }
    if (pl_counter_is(&c->parts, "Memory", "Committed Bytes") &&
        pl_strmap_get(&a->commit_limit, c->parts.machine ? c->parts.machine : "", &sid)) {
        const pl_series_stats *st = pl_series_get_stats(pl_store_series(a->store, sid));
        if (st->samples) {
            f->limit = st->last_value;
            snprintf(f->limit_source, sizeof f->limit_source, "Memory\\Commit Limit");
        }
    }
}

/* Judges counters, taking the next one not yet taken from *next until
 * none are left: counters differ in cost (a long log with restarts takes
 * longer than a flat one), so taking turns would leave one thread idle. */
static int detect_share(pl_analysis *a, atomic_size_t *next, pl_error *err)
{
    size_t i;
    while ((i = atomic_fetch_add(next, 1)) < a->ncounters) {
        pl_counter *c = &a->counters[i];
        pl_finding *f = &c->finding;
        const pl_series *pid = NULL;
        int rc;
        /* found here, where failing can be said, for the diagnosis to ask
         * for without failing */
        a->pid_of[i] = NO_SERIES;
        if (c->parts.object && c->parts.instance) {
            char *k = pl_path_instance_key(&c->parts);
            size_t sid;
            if (!k)
                return pl_err(err, PL_ENOMEM, "out of memory");
            if (pl_strmap_get(&a->process_id, k, &sid))
                a->pid_of[i] = sid;
            free(k);
        }
        if (a->pid_of[i] != NO_SERIES && pl_strcasecmp(c->parts.object, "Process") == 0 &&
            !pl_counter_is(&c->parts, "Process", "ID Process"))
            pid = pl_store_series(a->store, a->pid_of[i]);
        rc = pl_detect_counter(pl_store_series(a->store, c->series), pid, &a->opts.detect,
                               c->kind, c->unit, f, err);
        if (rc != PL_OK)
            return rc;
        if (c->kind == PL_KIND_HELD)
            find_limit(a, c, f);
        if (f->verdict == PL_VERDICT_LEAK && !isnan(f->limit) && f->slope_per_hour > 0) {
            /* From the fitted level now, at the estimated rate and, to be
             * safe, at the fastest rate the interval allows. */
            double left = fmax(0, f->limit - f->end_level);
            f->eta_h = left / f->slope_per_hour;
            f->eta_h_early = f->slope_hi > f->slope_per_hour ? left / f->slope_hi : f->eta_h;
        }
    }
    return PL_OK;
}

typedef struct detect_job {
    pl_analysis *a;
    atomic_size_t next;
    pl_pool_job job;
} detect_job;

/* One thread's share: counters by the shared index; the first error
 * stops every thread's share. */
static void *detect_thread(void *arg)
{
    detect_job *j = arg;
    pl_error err;
    pl_pool_job_fail(&j->job, detect_share(j->a, &j->next, &err), &err);
    return NULL;
}

/* A limit that names no counter is a typo the user should hear of, not
 * a limit silently never reached. */
static void warn_unmatched_limits(const pl_analysis *a)
{
    size_t i, k;
    for (i = 0; i < a->opts.n_limits; i++) {
        for (k = 0; k < a->ncounters; k++)
            if (pl_select_matches(a->limit_pat[i], a->counters[k].path, a->counters[k].path_en))
                break;
        if (k == a->ncounters)
            pl_warnf(a->opts.warn, a->opts.warn_ctx,
                     "the limit for '%s' matches no counter analysed; it was not used",
                     a->limit_pat[i]);
    }
}

/* Logs of one machine in time order, with a gap between two of them
 * longer than an hour and ten sampling intervals: the capture stopped
 * (a reboot, a collector stopped), and the reports say where. */
static void warn_gaps(const pl_analysis *a)
{
    size_t i, j, k;
    for (i = 0; i < a->nlogs; i++) {
        const pl_log_info *l = &a->logs[i];
        for (k = 0; k < l->n_machines; k++) {
            const char *m = l->machines[k];
            size_t seen = 0;
            /* each machine once, from the first log naming it */
            for (j = 0; j < i && !seen; j++) {
                size_t q;
                for (q = 0; q < a->logs[j].n_machines; q++)
                    seen |= strcmp(a->logs[j].machines[q], m) == 0;
            }
            if (seen)
                continue;
            for (j = 0; j < a->nlogs; j++) {
                const pl_log_info *x = &a->logs[j], *next = NULL;
                size_t q, r;
                int has = 0;
                for (q = 0; q < x->n_machines; q++)
                    has |= strcmp(x->machines[q], m) == 0;
                if (!has || !x->rows)
                    continue;
                /* the log of this machine that begins first after x ends */
                for (r = 0; r < a->nlogs; r++) {
                    const pl_log_info *y = &a->logs[r];
                    int yh = 0;
                    for (q = 0; q < y->n_machines; q++)
                        yh |= strcmp(y->machines[q], m) == 0;
                    if (yh && y->rows && y->start > x->end && (!next || y->start < next->start))
                        next = y;
                }
                if (next) {
                    double iv = x->interval_s > next->interval_s ? x->interval_s : next->interval_s;
                    double gap = (double)(next->start - x->end) / PL_TICKS_PER_SEC;
                    int overlapped = 0;
                    /* a log covering the gap (one that began before and ends after) */
                    for (r = 0; r < a->nlogs && !overlapped; r++) {
                        const pl_log_info *y = &a->logs[r];
                        int yh = 0;
                        for (q = 0; q < y->n_machines; q++)
                            yh |= strcmp(y->machines[q], m) == 0;
                        overlapped = yh && y->rows && y != x && y->start <= x->end && y->end > x->end;
                    }
                    if (!overlapped && gap > 3600 && gap > 10 * iv) {
                        char d[32], e[32], b[32];
                        pl_format_duration(gap, d, sizeof d);
                        pl_time_format_short(x->end, -x->tz.bias, e, sizeof e);
                        pl_time_format_short(next->start, -next->tz.bias, b, sizeof b);
                        pl_warnf(a->opts.warn, a->opts.warn_ctx,
                                 "%s: no samples for %s between %s (ends %s) and %s (begins %s)", m, d, x->file, e,
                                 next->file, b);
                    }
                }
            }
        }
    }
}

int pl_analysis_detect(pl_analysis *a, pl_error *err)
{
    /* Each counter is judged on its own from the read-only store, so the
     * counters are shared out between threads when there are enough of
     * them to be worth it; results do not depend on it. */
    detect_job j;
    size_t threads = (size_t)pl_analysis_threads(a);
    int rc;
    atomic_init(&j.next, 0);
    free(a->pid_of);
    if (!(a->pid_of = malloc((a->ncounters ? a->ncounters : 1) * sizeof *a->pid_of)))
        return pl_err(err, PL_ENOMEM, "out of memory");
    if (threads < 2 || a->ncounters < 16) {
        rc = detect_share(a, &j.next, err);
    } else {
        j.a = a;
        pl_pool_job_init(&j.job);
        pl_pool_run(threads, detect_thread, &j);
        rc = pl_pool_job_clear(&j.job, err);
    }
    if (rc == PL_OK) {
        warn_unmatched_limits(a);
        warn_gaps(a);
    }
    if (rc == PL_OK && a->warn_oom)
        rc = pl_err(err, PL_ENOMEM, "out of memory keeping a warning");
    return rc;
}

int pl_analysis_jobs(const pl_analysis *a)
{
    return a->opts.threads > 0 ? a->opts.threads : 0;
}

size_t pl_analysis_max_charts(const pl_analysis *a)
{
    return a->opts.max_charts ? a->opts.max_charts : PL_MAX_CHARTS_DEFAULT;
}

int pl_analysis_threads(const pl_analysis *a)
{
    /* by default two: reading is a two-stage pipeline, and judging a
     * log's counters is over in a fraction of its reading */
    return (int)pl_pool_threads(a->opts.threads, a->opts.threads > 0 ? 0 : 2);
}

