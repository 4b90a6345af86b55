/* attribution.c - whose growth it is. A kernel pool or Committed Bytes
 * that grows is set against the change of each service's own pool bytes
 * or private bytes over the same time. A service is all its lives: a
 * restarted process' warm-up nets against its old life's exit, so only a
 * service whose own counter grows moves the total. Only a service that
 * leaks (a finding of its own, or its counter judged a leak) can explain
 * the growth and be named for it; its share is its change over the
 * system counter's, and the shares named never sum past 100 %. Growth the
 * healthy services account for (load, warm-ups) is nobody's leak; what
 * no logged process accounts for is the kernel's (a driver) or the
 * system's (a process not logged). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diagnose/diagnose_internal.h"
#include "util/internal.h"

#define SHARE_OWNED 50.0   /* % of a system counter's growth processes must explain */
#define SHARE_NAMED 10.0   /* % a process must explain to be named for it */
#define SHARE_REST 35.0    /* % no logged process explains that is the kernel's or the system's */
#define MAX_WHO 256

/* The level of t around time x: the median of the bucket means within
 * w of it, or NaN when there are none. */
static double level_near(const track *t, pl_time x, pl_time w)
{
    double v[64];
    size_t n = 0, i, len = pl_diag_tb_len(t);
    pbucket b;
    for (i = 0; i < len && n < 64; i++)
        if (pl_diag_tb_get(t, i, &b) && b.t1 >= x - w && b.t0 <= x + w)
            v[n++] = b.mean;
    return n ? pl_diag_median(v, n) : NAN;
}

/* The level of a service (the life alive then) around x; 0 when no
 * life of it was running. */
static double service_level(const proc *first, int ctr, pl_time x, pl_time w)
{
    const proc *p;
    for (p = first; p; p = p->next_life)
        if (p->start <= x + w && p->end >= x - w && p->t[ctr].n) {
            double v = level_near(&p->t[ctr], x, w);
            if (!isnan(v))
                return v;
        }
    return 0;
}

/* How much a service's counter ctr changed from t0 to t1. */
static double service_change(const proc *first, int ctr, pl_time t0, pl_time t1)
{
    pl_time w = (t1 - t0) / 20 + 1;
    return service_level(first, ctr, t1, w) - service_level(first, ctr, t0, w);
}

/* The change of a system counter over its judged regime. */
static double system_change(const pl_analysis *a, const pl_counter *c)
{
    const pl_finding *f = &c->finding;
    const pl_series *s = pl_store_series(pl_analysis_store(a), c->series);
    track t;
    proc p;
    memset(&t, 0, sizeof t);
    memset(&p, 0, sizeof p);
    t.src = s;
    t.n = 1;
    p.t[0] = t;
    p.start = f->regime_start;
    p.end = f->regime_end;
    return service_change(&p, 0, f->regime_start, f->regime_end);
}

/* A system counter of machine m (English object\counter), if analysed. */
static size_t system_counter(const work *w, const char *m, const char *counter)
{
    size_t i;
    for (i = 0; i < w->nsys; i++)
        if (strcmp(w->sys[i].machine, m) == 0 && strcmp(w->sys[i].counter, counter) == 0)
            return w->sys[i].ci;
    return SIZE_MAX;
}

/* A service can explain growth of its counter ctr when it leaks: it has
 * a finding of a kind that grows that counter, or a life of it leaks
 * there beyond the life before. */
static int can_explain(pl_diagnosis *d, const proc *first, int ctr)
{
    const proc *p;
    for (p = first; p; p = p->next_life) {
        const pl_culprit_finding *f = pl_diag_finding_of(d, p);
        if (f && ((ctr == C_PRIVATE && (f->kinds & PL_GROWS_MEMORY)) ||
                  (ctr == C_POOL_PAGED && (f->kinds & (PL_GROWS_HANDLES | PL_GROWS_POOL_PAGED))) ||
                  (ctr == C_POOL_NONPAGED && (f->kinds & (PL_GROWS_THREADS | PL_GROWS_POOL_NONPAGED)))))
            return 1;
        if (pl_diag_leaks(&p->t[ctr]) && pl_diag_beyond_previous(p, ctr))
            return 1;
    }
    return 0;
}

/* The life of a service its finding goes to: the one that has a finding,
 * else the last. */
static proc *finding_life(pl_diagnosis *d, proc *first)
{
    proc *p, *last = first;
    for (p = first; p; p = p->next_life) {
        if (pl_diag_finding_of(d, p))
            return p;
        last = p;
    }
    return last;
}

int pl_diag_attribute(pl_diagnosis *d, work *w, const char *m, const char *counter, int ctr,
                      unsigned kind, pl_culprit_type rest)
{
    size_t ci = system_counter(w, m, counter), i, nwho = 0;
    const pl_counter *c;
    double total, owned = 0, healthy = 0, named = 0, share[MAX_WHO];
    proc *who[MAX_WHO];
    int handles_only = ctr == C_POOL_PAGED;
    pl_culprit_finding *f;
    if (ci == SIZE_MAX)
        return 0;
    c = pl_analysis_counter(w->a, ci);
    if (c->finding.verdict != PL_VERDICT_LEAK || !((total = system_change(w->a, c)) > 0))
        return 0;
    for (i = 0; i < w->np; i++) {
        proc *p = w->p[i];
        double ch, pct;
        if (strcmp(p->machine, m) != 0)
            continue;
        if (p->t[ctr].n)
            handles_only = 0;
        if (p->prev_life) /* a service is counted from its first life */
            continue;
        ch = service_change(p, ctr, c->finding.regime_start, c->finding.regime_end);
        if (!(ch > 0))
            continue;
        pct = 100 * ch / total;
        if (!can_explain(d, p, ctr)) {
            healthy += pct;
            continue;
        }
        owned += pct;
        if (pct >= 5 && nwho < MAX_WHO) {
            share[nwho] = pct;
            who[nwho++] = p;
        }
    }
    if (kind == PL_GROWS_COMMIT) {
        /* pool pages are committed too: a growing pool is the kernel's
         * share of the commit growth, and its own finding says so */
        static const char *const pools[] = {"Pool Paged Bytes", "Pool Nonpaged Bytes"};
        size_t pi;
        for (pi = 0; pi < 2; pi++) {
            size_t pc = system_counter(w, m, pools[pi]);
            const pl_counter *pcc = pc == SIZE_MAX ? NULL : pl_analysis_counter(w->a, pc);
            double ch;
            if (!pcc || pcc->finding.verdict != PL_VERDICT_LEAK)
                continue;
            ch = system_change(w->a, pcc);
            if (ch > 0)
                owned += 100 * ch / total;
        }
    }
    if (handles_only) {
        /* no process' pool bytes logged: a handle leak is what feeds the
         * paged pool (handle tables, the objects' own pool) */
        for (i = 0; i < w->np && nwho < MAX_WHO; i++)
            if (strcmp(w->p[i]->machine, m) == 0 && (pl_diag_own_kinds(w->p[i]) & PL_GROWS_HANDLES)) {
                share[nwho] = NAN;
                who[nwho++] = w->p[i];
            }
        owned = nwho ? SHARE_OWNED : 0;
    }
    for (i = 0; i < nwho; i++)
        if (!isnan(share[i]) && share[i] >= SHARE_NAMED)
            named += share[i];
    if (owned >= SHARE_OWNED) {
        for (i = 0; i < nwho; i++) {
            proc *p;
            if (!isnan(share[i]) && share[i] < SHARE_NAMED)
                continue;
            p = finding_life(d, who[i]);
            if (!(f = pl_diag_finding_of(d, p)) && !(f = pl_diag_process_finding(d, w->a, p, 0)))
                return -1;
            f->kinds |= kind;
            pl_diag_add_evidence(f, w->a, ci);
            if (!isnan(share[i]) && p->t[ctr].f)
                pl_diag_add_rate(f, ctr, p->t[ctr].f->slope_per_hour, p->t[ctr].f->end_level);
            if (f->nexplains < PL_DIAG_MAX_EXPLAINS) {
                f->explains[f->nexplains].counter = c->path;
                /* measured on levels, the shares can pass the whole
                 * together (noise, the kernel's own part): scaled back */
                f->explains[f->nexplains++].percent =
                    isnan(share[i]) ? NAN : named > 100 ? 100 * share[i] / named : share[i];
            }
            if (!isnan(c->finding.eta_h) && (isnan(f->eta_h) || c->finding.eta_h < f->eta_h))
                f->eta_h = c->finding.eta_h;
        }
        return 0;
    }
    /* the healthy services' load and warm-ups account for it: nobody's
     * leak, unless a large part is still nobody's (a leak under the
     * warm-ups) */
    if (100 - owned - healthy < SHARE_REST)
        return 0;
    if (!(f = pl_diag_new_finding(d, rest, m)))
        return -1;
    f->kinds = kind;
    f->pool = ctr == C_POOL_NONPAGED;
    f->start = c->finding.regime_start;
    f->end = c->finding.regime_end;
    f->eta_h = c->finding.eta_h;
    pl_diag_add_evidence(f, w->a, ci);
    f->nrates = 1;
    f->rates[0].counter = counter;
    f->rates[0].unit = PL_UNIT_BYTES;
    f->rates[0].per_hour = c->finding.slope_per_hour;
    if (c->finding.end_level > 0)
        f->pct_per_hour = 100 * c->finding.slope_per_hour / c->finding.end_level;
    for (i = 0; i < nwho && f->nexplains < PL_DIAG_MAX_EXPLAINS; i++)
        if (!isnan(share[i]) && share[i] >= SHARE_NAMED) {
            f->explains[f->nexplains].counter = c->path;
            f->explains[f->nexplains++].percent = share[i];
        }
    return 0;
}
