/* tracks.c - what the diagnosis asks of one judged series of a process:
 * does it leak, was it judged at all, which memory counter speaks for the
 * process. Everything above (findings, lives, attribution) asks these. */
#include <math.h>
#include <gsl/gsl_statistics_double.h>
#include "diagnose/diagnose_internal.h"
#include "util/internal.h"

/* Sorts v too: part of the lives code reads the quantiles it leaves. */
double pl_diag_median(double *v, size_t n)
{
    if (!n)
        return NAN;
    pl_sort_doubles(v, n);
    return gsl_stats_median_from_sorted_data(v, 1, n);
}

/* the memory counters in the order the diagnosis judges memory by:
 * Private Bytes is what a heap holds; the working sets follow load and
 * trimming, and count only when nothing better is logged */
static const int MEMORY_CTRS[] = {C_PRIVATE, C_PAGEFILE, C_WS_PRIVATE, C_WS};

int pl_diag_leaks(const track *t)
{
    return t->built && t->f && t->f->verdict == PL_VERDICT_LEAK;
}

int pl_diag_judged(const track *t)
{
    return t->built && t->f && pl_verdict_is_judged(t->f->verdict);
}

int pl_diag_memory_track(const proc *p)
{
    size_t i;
    for (i = 0; i < sizeof MEMORY_CTRS / sizeof *MEMORY_CTRS; i++)
        if (p->t[MEMORY_CTRS[i]].n)
            return MEMORY_CTRS[i];
    return -1;
}

