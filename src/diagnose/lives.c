/* lives.c - lives of a service. Processes of one name that follow each
 * other (one ends as the next starts; with overlapped recycling the next
 * starts a little before) are lives of one service. When most lives grow
 * as a leak does and each ends near one ceiling, the service leaks and is
 * restarted before it runs out (an IIS pool recycled at its memory limit,
 * a service that crashes at a limit and is restarted): per counter the
 * restarts hide it, per life they do not. A life that only climbs back to
 * where the life before it levelled off is warming up, not leaking; so is
 * a life whose growth is all at its start (the detector's warm-up test). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diagnose/diagnose_internal.h"
#include "util/internal.h"

#define LIFE_GAP_H 0.25    /* the next life starts within this after the last ended, */
#define LIFE_GAP_BUCKETS 3 /* ... plus this many buckets (the one holding the change is dropped) */
#define LIFE_OVERLAP_H 0.25 /* or this much before it ended (overlapped recycling) */
#define BEYOND_SHARE 0.05  /* above the life before by this share of its level */

/* The values of t's buckets from share lo to share hi of its count: the
 * quantile q of them (NaN for none). */
static double part_quantile(const track *t, double lo, double hi, double q)
{
    size_t len = pl_diag_tb_len(t), n = 0, i, cap = 0, seen = 0, nb = 0, a, b;
    double *v = NULL, m;
    pbucket bk;
    for (i = 0; i < len; i++)
        nb += pl_diag_tb_get(t, i, &bk);
    a = (size_t)floor(lo * (double)nb);
    b = (size_t)ceil(hi * (double)nb);
    if (b <= a || pl_grow(&v, &cap, b - a, sizeof *v) != 0) {
        free(v);
        return NAN;
    }
    for (i = 0; i < len; i++) {
        if (!pl_diag_tb_get(t, i, &bk))
            continue;
        if (seen >= a && seen < b)
            v[n++] = bk.mean;
        seen++;
    }
    pl_diag_median(v, n); /* sorts */
    m = n ? v[(size_t)floor(q * (double)(n - 1) + 0.5)] : NAN;
    free(v);
    return m;
}

double pl_diag_end_level(const track *t)
{
    return part_quantile(t, 0.9, 1.0, 0.5);
}

int pl_diag_beyond_previous(const proc *p, int k)
{
    const proc *q;
    double before = NAN, end = pl_diag_end_level(&p->t[k]);
    /* where the lives before levelled off: the top of each one's later
     * two thirds (the peak of its daily cycle; for a leaking life, the
     * ceiling it reached), the highest of them */
    for (q = p->prev_life; q; q = q->prev_life)
        if (q->t[k].n) {
            double v = part_quantile(&q->t[k], 1.0 / 3, 1.0, 0.9);
            if (!isnan(v) && !(v <= before))
                before = v;
        }
    if (isnan(before) || isnan(end))
        return 1;
    return end > before * (1 + BEYOND_SHARE);
}

/* Counter k of p leaks, and as a life of a service beyond the life
 * before it. */
static int grows(const proc *p, int k)
{
    return pl_diag_leaks(&p->t[k]) && pl_diag_beyond_previous(p, k);
}

unsigned pl_diag_own_kinds(const proc *p)
{
    unsigned k = 0;
    int m = pl_diag_memory_track(p);
    if (m >= 0 && grows(p, m))
        k |= PL_GROWS_MEMORY;
    if (grows(p, C_HANDLES))
        k |= PL_GROWS_HANDLES;
    if (grows(p, C_THREADS))
        k |= PL_GROWS_THREADS;
    if (!(k & PL_GROWS_MEMORY) && grows(p, C_VIRTUAL)) {
        /* Virtual Bytes that grows as private memory does is the heap
         * (reported as memory when it leaks); address space is growth of
         * the reservations beyond it */
        double v = p->t[C_VIRTUAL].f->slope_per_hour, pr = 0;
        if (m >= 0 && pl_diag_judged(&p->t[m]) && p->t[m].f->slope_per_hour > 0)
            pr = p->t[m].f->slope_per_hour;
        if (v - pr >= 0.5 * v)
            k |= PL_GROWS_ADDRESS_SPACE;
    }
    return k;
}

static int cmp_start(const void *x, const void *y)
{
    const proc *a = *(const proc *const *)x, *b = *(const proc *const *)y;
    int c = strcmp(a->machine, b->machine);
    if (!c)
        c = strcmp(a->name, b->name);
    if (!c)
        c = a->start < b->start ? -1 : a->start > b->start;
    return c;
}

/* The typical level of a process' memory counter (the median of its
 * buckets), for telling apart namesakes restarted at about one time. */
static double typical_level(const proc *p)
{
    int m = pl_diag_memory_track(p);
    return m < 0 ? NAN : part_quantile(&p->t[m], 0, 1, 0.5);
}

typedef struct link {
    proc *q, *p;     /* p may be the life after q */
    double cost;     /* hours between them, and how unlike their levels are */
} link;

static int cmp_link(const void *x, const void *y)
{
    const link *a = x, *b = y;
    return a->cost < b->cost ? -1 : a->cost > b->cost;
}

/* The links kept for one life q, and the lives looked at for them: a
 * name whose processes churn (a new conhost every sample) has thousands
 * starting as each ends, and only the nearest can be the next life. */
#define LINKS_PER_LIFE 4
#define LOOKS_PER_LIFE 256

/* Candidate links q -> p for processes [i0, i1) of one name, which are in
 * order of start: p starts as q ends, a little before (overlapped
 * recycling) or soon after, and runs on after it. For each q, the
 * LINKS_PER_LIFE cheapest, looking from q's end outwards in time and
 * stopping where the time alone costs more than the links kept, or after
 * LOOKS_PER_LIFE lives. level[] holds each process' typical level. */
static int candidates(work *w, size_t i0, size_t i1, const double *level, link **out, size_t *n,
                      size_t *cap)
{
    pl_time gap = (pl_time)(LIFE_GAP_H * (double)PL_TICKS_PER_HOUR) + LIFE_GAP_BUCKETS * w->bucket_ticks;
    pl_time overlap = (pl_time)(LIFE_OVERLAP_H * (double)PL_TICKS_PER_HOUR) + w->bucket_ticks;
    size_t i;
    for (i = i0; i < i1; i++) {
        proc *q = w->p[i];
        link best[LINKS_PER_LIFE];
        size_t nb = 0, lo = i0, hi = i1, looks = 0, up, k;
        size_t down;
        if (q->by_name)
            continue;
        while (lo < hi) { /* the first start at or after q's end */
            size_t mid = lo + (hi - lo) / 2;
            if (w->p[mid]->start < q->end) lo = mid + 1; else hi = mid;
        }
        up = lo;
        down = lo;
        while (looks < LOOKS_PER_LIFE && (up < i1 || down > i0)) {
            /* the nearer of the next start on either side of q's end */
            int take_up = up < i1 && (down == i0 || w->p[up]->start - q->end <= q->end - w->p[down - 1]->start);
            size_t jj = take_up ? up++ : --down;
            proc *p = w->p[jj];
            double dt = fabs((double)(p->start - q->end)) / (double)PL_TICKS_PER_HOUR, cost, lq = level[i - i0],
                   lp = level[jj - i0];
            if ((take_up ? p->start > q->end + gap : p->start < q->end - overlap)) {
                if (take_up) up = i1; else down = i0; /* beyond the window that way */
                continue;
            }
            if (nb == LINKS_PER_LIFE && dt >= best[nb - 1].cost)
                break; /* time alone costs more than every link kept */
            looks++;
            if (p == q || p->by_name || p->end <= q->end || p->start <= q->start)
                continue;
            cost = dt + (lq > 0 && lp > 0 ? fabs(log(lp / lq)) : 0);
            if (nb == LINKS_PER_LIFE && cost >= best[nb - 1].cost)
                continue;
            /* into the kept links, cheapest first */
            k = nb < LINKS_PER_LIFE ? nb++ : nb - 1;
            while (k > 0 && best[k - 1].cost > cost) {
                best[k] = best[k - 1];
                k--;
            }
            best[k].q = q;
            best[k].p = p;
            best[k].cost = cost;
        }
        if (pl_grow(out, cap, *n + nb, sizeof **out) != 0)
            return -1;
        for (k = 0; k < nb; k++)
            (*out)[(*n)++] = best[k];
    }
    return 0;
}

int pl_diag_chain_lives(work *w)
{
    size_t i = 0, n = 0, cap = 0, capl = 0, k;
    link *l = NULL;
    double *level = NULL;
    if (w->np > 1) /* qsort takes no NULL base, even for nothing */
        qsort(w->p, w->np, sizeof *w->p, cmp_start);
    while (i < w->np) {
        size_t j = i + 1;
        while (j < w->np && strcmp(w->p[j]->machine, w->p[i]->machine) == 0 &&
               strcmp(w->p[j]->name, w->p[i]->name) == 0)
            j++;
        /* several namesakes restarted at about one time (application
         * pools recycled together): the closest in time and level pair
         * up first */
        n = 0;
        if (pl_grow(&level, &capl, j - i, sizeof *level) != 0) {
            free(l);
            free(level);
            return PL_ENOMEM;
        }
        for (k = i; k < j; k++)
            level[k - i] = typical_level(w->p[k]);
        if (candidates(w, i, j, level, &l, &n, &cap) != 0) {
            free(l);
            free(level);
            return PL_ENOMEM;
        }
        if (n > 1)
            qsort(l, n, sizeof *l, cmp_link);
        for (k = 0; k < n; k++)
            if (!l[k].q->next_life && !l[k].p->prev_life) {
                l[k].q->next_life = l[k].p;
                l[k].p->prev_life = l[k].q;
            }
        i = j;
    }
    free(l);
    free(level);
    return PL_OK;
}

int pl_diag_service_finding(pl_diagnosis *d, const pl_analysis *a, proc *first,
                            double min_span_h)
{
    proc *p, *last = first;
    size_t lives = 0, judged_n = 0, leaking = 0, nd = 0, nc = 0, nr[NCTR] = {0}, nk[NCTR] = {0};
    size_t whole = 0, whole_leaking = 0, ended_leaking = 0;
    double durs[64], peaks[64], rates[NCTR][64];
    unsigned kinds = 0;
    pl_culprit_finding *f;
    int k;
    for (p = first; p; p = p->next_life) {
        int m = pl_diag_memory_track(p);
        lives++;
        last = p;
        if (m >= 0 && pl_diag_judged(&p->t[m]))
            judged_n++;
        if (m >= 0 && pl_diag_leaks(&p->t[m])) {
            leaking++;
            ended_leaking += p->next_life != NULL;
        }
        if (p->prev_life && p->next_life && m >= 0 && pl_diag_judged(&p->t[m])) {
            whole++;
            whole_leaking += pl_diag_leaks(&p->t[m]);
        }
        if (p->next_life && nd < 64)
            durs[nd++] = (double)(p->next_life->start - p->start) / (double)PL_TICKS_PER_HOUR;
        /* the ceiling: where the lives that ended did; the first is cut
         * by the log's start, and counts only when no whole life does */
        if (p->next_life && m >= 0 && nc < 64 && (p->prev_life || !p->next_life->next_life)) {
            double mx = 0;
            size_t j;
            pbucket b;
            for (j = 0; j < pl_diag_tb_len(&p->t[m]); j++)
                if (pl_diag_tb_get(&p->t[m], j, &b))
                    mx = fmax(mx, b.max);
            peaks[nc++] = mx;
        }
        for (k = 0; k < NCTR; k++)
            if (pl_diag_judged(&p->t[k])) {
                nk[k]++;
                if (pl_diag_leaks(&p->t[k]) && nr[k] < 64)
                    rates[k][nr[k]++] = p->t[k].f->slope_per_hour;
            }
    }
    /* the heap grows in most lives: a leak held back by restarts. The
     * first and last lives are cut by the log's ends (a part of a daily
     * cycle, a warm-up not finished); where there are whole lives, three
     * in four of them must grow too (a daily cycle lifts about half the
     * lives of a service restarted twice a day); and two lives at least
     * must have grown until they ended: one life rising through a daily
     * cycle and restarted (an application pool recycled every 29 h) is a
     * warm-up as often as a leak */
    if (lives < 2 || judged_n < 2 || leaking < 2 || ended_leaking < 2 || 3 * leaking < 2 * judged_n ||
        (whole && (!whole_leaking || 4 * whole_leaking < 3 * whole)) ||
        (double)(last->end - first->start) / (double)PL_TICKS_PER_HOUR < min_span_h)
        return 0;
    /* cut near one ceiling each time: restarted at a limit, or on a
     * schedule as regular as its growth */
    {
        double c = pl_diag_median(peaks, nc);
        size_t j;
        for (j = 0; j < nc; j++)
            if (fabs(peaks[j] - c) > 0.3 * c)
                return 0;
    }
    /* a kind is the service's when it grows in most of the lives that
     * judged it, and at a rate above zero */
    kinds = PL_GROWS_MEMORY;
    if (3 * nr[C_HANDLES] >= 2 * nk[C_HANDLES] && nr[C_HANDLES] >= 2 &&
        pl_diag_median(rates[C_HANDLES], nr[C_HANDLES]) > 0)
        kinds |= PL_GROWS_HANDLES;
    if (3 * nr[C_THREADS] >= 2 * nk[C_THREADS] && nr[C_THREADS] >= 2 &&
        pl_diag_median(rates[C_THREADS], nr[C_THREADS]) > 0)
        kinds |= PL_GROWS_THREADS;
    if (!(f = pl_diag_new_finding(d, PL_CULPRIT_PROCESS, first->machine)))
        return -1;
    snprintf(f->name, sizeof f->name, "%s", first->name);
    f->pid = last->pid;
    f->kinds = kinds;
    f->restarts = lives - 1;
    f->restart_every_h = pl_diag_median(durs, nd);
    f->ceiling = pl_diag_median(peaks, nc);
    f->start = first->start;
    f->end = last->end;
    for (p = first; p; p = p->next_life) {
        p->claimed = 1;
        p->fi = d->n - 1;
        pl_diag_process_evidence(f, a, p);
    }
    for (k = 0; k < NCTR; k++) {
        unsigned bit = k == C_HANDLES ? PL_GROWS_HANDLES : k == C_THREADS ? PL_GROWS_THREADS
                     : k == C_VIRTUAL || k >= C_POOL_PAGED ? 0 : PL_GROWS_MEMORY;
        if (nr[k] && (bit & kinds)) {
            const track *t = &last->t[k];
            pl_diag_add_rate(f, k, pl_diag_median(rates[k], nr[k]),
                             t->built && t->f ? t->f->end_level : 0);
        }
    }
    return 1;
}
