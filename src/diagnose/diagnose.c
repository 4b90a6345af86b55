/* diagnose.c - from counters to culprits (see diagnose.h): each process
 * followed by its ID (identity.c), its lives chained into a service
 * (lives.c), each judged on its own series, then one finding per leaking
 * service, and the system counters' growth set against them
 * (attribution.c). The next step is chosen here as a kind; the report
 * layer says it in words. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "detect/points.h"
#include "diagnose/diagnose_internal.h"
#include "util/internal.h"

#define LIFE_ALONE_H 4.0   /* the least a life must span to be a finding alone */

const char *pl_grows_name(unsigned bit)
{
    switch (bit) {
    case PL_GROWS_MEMORY: return "memory";
    case PL_GROWS_HANDLES: return "handles";
    case PL_GROWS_THREADS: return "threads";
    case PL_GROWS_ADDRESS_SPACE: return "address-space";
    case PL_GROWS_POOL_PAGED: return "pool-paged";
    case PL_GROWS_POOL_NONPAGED: return "pool-nonpaged";
    case PL_GROWS_COMMIT: return "commit";
    default: return "";
    }
}

/* Judges one track on its own series: a life on its hours, a column the
 * analysis judged already as it stands. */
static int judge_track(work *w, track *t, int k, const pl_detect_opts *o, pl_error *err)
{
    size_t j;
    int rc;
    const pl_series *s = t->src;
    t->built = 1;
    if (t->src && o == &w->opts) {
        t->f = &pl_analysis_counter(w->a, t->src_col)->finding;
        return PL_OK;
    }
    if (!t->src && (t->n < o->min_samples || (double)(t->b[t->n - 1].t1 - t->b[0].t0) / (double)PL_TICKS_PER_HOUR < o->min_span_h)) {
        /* too short to judge (a process that lived a sample or two, as
         * conhost and cmd do): counted, not stored and judged, so that PID
         * churn costs its buckets only */
        t->f = &w->short_life;
        return PL_OK;
    }
    if (!t->src) {
        if ((rc = pl_store_add_series(w->store, &t->series, err)) != PL_OK)
            return rc;
        for (j = 0; j < t->n; j++)
            if ((rc = pl_store_add(w->store, t->series,
                                   t->b[j].t0 + (t->b[j].t1 - t->b[j].t0) / 2, t->b[j].mean,
                                   err)) != PL_OK)
                return rc;
        s = pl_store_series(w->store, t->series);
    }
    if (!(t->own = malloc(sizeof *t->own)))
        return pl_err(err, PL_ENOMEM, "out of memory");
    t->f = t->own;
    return pl_detect_counter(s, NULL, o, PL_KIND_HELD, PL_DIAG_CTR_UNIT[k], t->own, err);
}

/* Judges each process' counters on the series its buckets make. */
static int judge(work *w, pl_error *err)
{
    size_t i;
    int k, rc;
    for (i = 0; i < w->np; i++) {
        proc *pr = w->p[i];
        const pl_detect_opts *o = pr->prev_life || pr->next_life ? &w->life_opts : &w->opts;
        for (k = 0; k < NCTR; k++)
            if (pr->t[k].n && (rc = judge_track(w, &pr->t[k], k, o, err)) != PL_OK)
                return rc;
    }
    return PL_OK;
}

/* A service not found leaking as a whole is one entry at most: the last
 * of its lives long enough to judge alone, if that one leaks. An earlier
 * life that grew while the latest does not was restarted out of it (or
 * was warming up under a daily load). */
static int life_findings(pl_diagnosis *d, work *w, proc *first)
{
    proc *p, *pick = NULL;
    unsigned kinds;
    for (p = first; p; p = p->next_life) {
        /* a life judged on its own needs the span a whole log would, and
         * hours of it: a service restarted shortly before the log ends is
         * still warming up */
        if (!p->claimed && (!(p->prev_life || p->next_life) ||
                            (double)(p->end - p->start) / (double)PL_TICKS_PER_HOUR >=
                                fmax(w->opts.min_span_h, LIFE_ALONE_H)))
            pick = p;
    }
    if (!pick || !(kinds = pl_diag_own_kinds(pick)))
        return 0;
    if (!pl_diag_process_finding(d, w->a, pick, kinds))
        return -1;
    for (p = first; p; p = p->next_life)
        if (p != pick) {
            p->claimed = 1;
            p->fi = pick->fi;
        }
    return 0;
}

/* The next step an engineer would take, by what grows. */
static void choose_next(pl_culprit_finding *f)
{
    size_t i;
    if (f->type == PL_CULPRIT_KERNEL)
        f->next = PL_NEXT_POOLMON;
    else if (f->type == PL_CULPRIT_SYSTEM)
        f->next = PL_NEXT_LOG_EVERY_PROCESS;
    else if (f->restarts)
        f->next = PL_NEXT_RECYCLING;
    else if (f->kinds & PL_GROWS_MEMORY)
        f->next = PL_NEXT_UMDH;
    else if (f->kinds & PL_GROWS_HANDLES)
        f->next = PL_NEXT_HANDLE_TRACE;
    else if (f->kinds & PL_GROWS_THREADS)
        f->next = PL_NEXT_THREAD_DUMPS;
    else if (f->kinds & PL_GROWS_ADDRESS_SPACE)
        f->next = PL_NEXT_VMMAP;
    else if (f->kinds & (PL_GROWS_POOL_PAGED | PL_GROWS_POOL_NONPAGED))
        f->next = PL_NEXT_OWN_POOL;
    else
        f->next = PL_NEXT_COMMIT_HEAP;
    for (i = 0; i < f->nexplains; i++)
        if ((f->kinds & PL_GROWS_POOL_PAGED) && (f->kinds & PL_GROWS_HANDLES) &&
            strstr(f->explains[i].counter, "Pool Paged"))
            f->handles_feed_pool = 1;
}

static void kinds_text(unsigned kinds, char *buf, size_t size)
{
    unsigned bit;
    size_t o = 0;
    buf[0] = '\0';
    for (bit = 1; bit <= PL_GROWS_COMMIT; bit <<= 1)
        if (kinds & bit)
            o += (size_t)snprintf(buf + o, o < size ? size - o : 0, "%s%s", o ? ", " : "",
                                  pl_grows_name(bit));
}

/* The finding's one-line label (charts and reports show it). */
static void label(pl_culprit_finding *f)
{
    char kinds[128];
    kinds_text(f->kinds, kinds, sizeof kinds);
    if (f->type == PL_CULPRIT_KERNEL)
        snprintf(f->summary, sizeof f->summary, "kernel %s pool%s%s",
                 f->pool ? "nonpaged" : "paged", f->machine[0] ? " on " : "", f->machine);
    else if (f->type == PL_CULPRIT_SYSTEM)
        snprintf(f->summary, sizeof f->summary, "system commit%s%s", f->machine[0] ? " on " : "",
                 f->machine);
    else if (f->pid >= 0)
        snprintf(f->summary, sizeof f->summary, "%.*s (PID %ld): %s", (int)pl_utf8_prefix(f->name, 120), f->name, f->pid, kinds);
    else if (f->by_name) /* no ID Process: namesakes may be mixed up */
        snprintf(f->summary, sizeof f->summary, "%.*s (by instance name, no ID Process logged): %s",
                 (int)pl_utf8_prefix(f->name, 120), f->name, kinds);
    else
        snprintf(f->summary, sizeof f->summary, "%.*s: %s", (int)pl_utf8_prefix(f->name, 120), f->name, kinds);
}

static int cmp_findings(const void *x, const void *y)
{
    const pl_culprit_finding *a = x, *b = y;
    if (!isnan(a->eta_h) || !isnan(b->eta_h)) {
        if (isnan(a->eta_h))
            return 1;
        if (isnan(b->eta_h))
            return -1;
        if (a->eta_h != b->eta_h)
            return a->eta_h < b->eta_h ? -1 : 1;
    }
    {
        double pa = isnan(a->pct_per_hour) ? 0 : a->pct_per_hour,
               pb = isnan(b->pct_per_hour) ? 0 : b->pct_per_hour;
        if (pa != pb)
            return pa > pb ? -1 : 1;
    }
    return strcmp(a->summary, b->summary);
}

/* ---------- the whole ---------- */

static void work_free(work *w)
{
    size_t i;
    int k;
    for (i = 0; i < w->np; i++) {
        for (k = 0; k < NCTR; k++) {
            free(w->p[i]->t[k].b);
            free(w->p[i]->t[k].own);
        }
        free(w->p[i]);
    }
    free(w->p);
    free(w->sys);
    pl_strmap_clear(&w->by_key);
    pl_store_free(w->store);
}

/* The machines with a system counter to attribute. */
static int machines(const work *w, const char ***out, size_t *n)
{
    size_t i, j, cap = 0;
    *out = NULL;
    *n = 0;
    for (i = 0; i < w->nsys; i++) {
        for (j = 0; j < *n && strcmp((*out)[j], w->sys[i].machine) != 0; j++)
            ;
        if (j == *n) {
            if (pl_grow(out, &cap, *n + 1, sizeof **out) != 0)
                return -1;
            (*out)[(*n)++] = w->sys[i].machine;
        }
    }
    return 0;
}

/* The findings, their evidence's nearest limit, label and next step, in
 * order. */
static void finish(pl_diagnosis *d, const pl_analysis *a)
{
    size_t i, j;
    for (i = 0; i < d->n; i++) {
        pl_culprit_finding *f = &d->f[i];
        for (j = 0; j < f->ncounters; j++) {
            const pl_finding *cf = &pl_analysis_counter(a, f->evidence[j])->finding;
            if (cf->verdict == PL_VERDICT_LEAK && !isnan(cf->eta_h) &&
                (isnan(f->eta_h) || cf->eta_h < f->eta_h))
                f->eta_h = cf->eta_h;
        }
        label(f);
        choose_next(f);
    }
    if (d->n > 1)
        qsort(d->f, d->n, sizeof *d->f, cmp_findings);
}

int pl_diagnose(const pl_analysis *a, pl_diagnosis **out, pl_error *err)
{
    pl_diagnosis *d = calloc(1, sizeof *d);
    work w;
    const char **ms = NULL;
    size_t nm = 0, i;
    int rc = PL_ENOMEM;
    *out = NULL;
    memset(&w, 0, sizeof w);
    if (!d)
        goto done;
    w.a = a;
    w.opts = w.life_opts = *pl_analysis_detect_opts(a);
    /* a life of a recycled service is hours, not the log's span; the
     * service as a whole still needs the analysis' span */
    if (w.life_opts.min_span_h > 0.5)
        w.life_opts.min_span_h = 0.5;
    /* a life gathered from buckets has a point a bucket, each the mean
     * of several samples: a few hours of them are a few dozen points */
    if (w.life_opts.min_samples > 16)
        w.life_opts.min_samples = 16;
    if ((rc = pl_store_create(&w.store, 0, err)) != PL_OK ||
        (rc = pl_store_add_series(w.store, &i, err)) != PL_OK)
        goto done;
    /* the finding every method gives a series with nothing to judge */
    pl_finding_begin(pl_store_series(w.store, i), &w.life_opts, "robust", &w.short_life);
    snprintf(w.short_life.reason, sizeof w.short_life.reason, "a life too short to judge alone");
    if ((rc = pl_diag_collect(&w)) != PL_OK)
        goto done;
    if ((rc = pl_diag_chain_lives(&w)) != PL_OK || (rc = judge(&w, err)) != PL_OK)
        goto done;
    rc = PL_ENOMEM;
    for (i = 0; i < w.np; i++) {
        proc *p = w.p[i];
        d->nproc++;
        d->nproc_pid += !p->by_name;
        if (!p->prev_life && p->next_life &&
            pl_diag_service_finding(d, a, p, w.opts.min_span_h) < 0)
            goto done;
    }
    for (i = 0; i < w.np; i++)
        if (!w.p[i]->prev_life && life_findings(d, &w, w.p[i]) < 0)
            goto done;
    if (machines(&w, &ms, &nm) != 0)
        goto done;
    for (i = 0; i < nm; i++)
        if (pl_diag_attribute(d, &w, ms[i], "Pool Paged Bytes", C_POOL_PAGED, PL_GROWS_POOL_PAGED,
                              PL_CULPRIT_KERNEL) < 0 ||
            pl_diag_attribute(d, &w, ms[i], "Pool Nonpaged Bytes", C_POOL_NONPAGED,
                              PL_GROWS_POOL_NONPAGED, PL_CULPRIT_KERNEL) < 0 ||
            pl_diag_attribute(d, &w, ms[i], "Committed Bytes", C_PRIVATE, PL_GROWS_COMMIT,
                              PL_CULPRIT_SYSTEM) < 0)
            goto done;
    finish(d, a);
    rc = PL_OK;
done:
    free((void *)ms);
    work_free(&w);
    if (rc == PL_OK) {
        *out = d;
        return PL_OK;
    }
    pl_diagnosis_free(d);
    if (rc == PL_ENOMEM)
        return pl_err(err, rc, "%s: out of memory diagnosing",
                      pl_analysis_log_count(a) ? pl_analysis_log(a, 0)->file : "the analysis");
    return rc;
}
void pl_diagnosis_free(pl_diagnosis *d)
{
    if (!d)
        return;
    free(d->f);
    free(d);
}

size_t pl_diagnosis_count(const pl_diagnosis *d)
{
    return d ? d->n : 0;
}

const pl_culprit_finding *pl_diagnosis_finding(const pl_diagnosis *d, size_t i)
{
    return d && i < d->n ? &d->f[i] : NULL;
}

size_t pl_diagnosis_processes(const pl_diagnosis *d, size_t *by_pid)
{
    if (by_pid)
        *by_pid = d ? d->nproc_pid : 0;
    return d ? d->nproc : 0;
}

int pl_culprit_hidden(const pl_analysis *a, const pl_culprit_finding *f)
{
    size_t j;
    for (j = 0; j < f->ncounters; j++)
        if (pl_verdict_is_finding(pl_analysis_counter(a, f->evidence[j])->finding.verdict))
            return 0;
    return f->ncounters > 0;
}
