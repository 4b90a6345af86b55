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
    if (rc == PL_OK)
        warn_unmatched_limits(a);
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

