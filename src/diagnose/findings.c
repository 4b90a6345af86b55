/* findings.c - one culprit finding: made, given the counters that show it
 * (at most PL_DIAG_MAX_COUNTERS) and the rate of each. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "diagnose/diagnose_internal.h"
#include "util/internal.h"

pl_culprit_finding *pl_diag_new_finding(pl_diagnosis *d, pl_culprit_type type, const char *machine)
{
    pl_culprit_finding *f;
    if (pl_grow(&d->f, &d->cap, d->n + 1, sizeof *d->f) != 0)
        return NULL;
    f = &d->f[d->n++];
    memset(f, 0, sizeof *f);
    f->type = type;
    f->machine = machine;
    f->pid = -1;
    f->restart_every_h = f->ceiling = f->eta_h = f->pct_per_hour = NAN;
    return f;
}

void pl_diag_add_evidence(pl_culprit_finding *f, const pl_analysis *a, size_t ci)
{
    size_t i;
    for (i = 0; i < f->ncounters; i++)
        if (f->evidence[i] == ci)
            return;
    if (f->ncounters < PL_DIAG_MAX_COUNTERS) {
        f->evidence[f->ncounters] = ci;
        f->counters[f->ncounters++] = pl_analysis_counter(a, ci)->path;
    }
}

void pl_diag_add_rate(pl_culprit_finding *f, int k, double per_hour, double level)
{
    size_t i;
    for (i = 0; i < f->nrates && strcmp(f->rates[i].counter, PL_DIAG_CTR_NAME[k]) != 0; i++)
        ;
    if (i == f->nrates) {
        if (f->nrates == PL_DIAG_MAX_RATES)
            return;
        f->nrates++;
    }
    f->rates[i].counter = PL_DIAG_CTR_NAME[k];
    f->rates[i].unit = PL_DIAG_CTR_UNIT[k];
    f->rates[i].per_hour = per_hour;
    if (level > 0 && (isnan(f->pct_per_hour) || 100 * per_hour / level > f->pct_per_hour))
        f->pct_per_hour = 100 * per_hour / level;
}

/* The kind counter k shows growth of. */
static unsigned kind_of(int k)
{
    switch (k) {
    case C_HANDLES: return PL_GROWS_HANDLES;
    case C_THREADS: return PL_GROWS_THREADS;
    case C_VIRTUAL: return PL_GROWS_ADDRESS_SPACE;
    case C_POOL_PAGED: return PL_GROWS_POOL_PAGED;
    case C_POOL_NONPAGED: return PL_GROWS_POOL_NONPAGED;
    default: return PL_GROWS_MEMORY;
    }
}

void pl_diag_process_evidence(pl_culprit_finding *f, const pl_analysis *a, const proc *p)
{
    int k, m = pl_diag_memory_track(p);
    size_t i;
    for (k = 0; k < NCTR; k++) {
        const track *t = &p->t[k];
        unsigned kind = kind_of(k);
        if (!pl_diag_leaks(t) || !(f->kinds & kind) || k == C_POOL_PAGED || k == C_POOL_NONPAGED)
            continue;
        /* memory is shown by the counter it was judged on, and the
         * working sets beside it when they leak too */
        if (kind == PL_GROWS_MEMORY && k != m && !pl_diag_leaks(&p->t[m]))
            continue;
        for (i = 0; i < t->ncols; i++)
            pl_diag_add_evidence(f, a, t->cols[i]);
        pl_diag_add_rate(f, k, t->f->slope_per_hour, t->f->end_level);
    }
}

pl_culprit_finding *pl_diag_process_finding(pl_diagnosis *d, const pl_analysis *a, proc *p,
                                            unsigned kinds)
{
    pl_culprit_finding *f = pl_diag_new_finding(d, PL_CULPRIT_PROCESS, p->machine);
    if (!f)
        return NULL;
    snprintf(f->name, sizeof f->name, "%s", p->name);
    f->pid = p->pid;
    f->by_name = p->by_name;
    f->kinds = kinds;
    f->start = p->start;
    f->end = p->end;
    pl_diag_process_evidence(f, a, p);
    p->claimed = 1;
    p->fi = d->n - 1;
    return f;
}

pl_culprit_finding *pl_diag_finding_of(pl_diagnosis *d, const proc *p)
{
    return p->fi < d->n ? &d->f[p->fi] : NULL;
}

