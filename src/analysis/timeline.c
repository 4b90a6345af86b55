/* timeline.c - the times of the log being read (see timeline.h): the
 * interval, the span, and the lone rows a clock reset leaves. */
#include <string.h>
#include "analysis/timeline.h"
#include "detect/stats.h"

void pl_timeline_init(pl_timeline *tl)
{
    memset(tl, 0, sizeof *tl);
}

static pl_time tabs(pl_time x)
{
    return x < 0 ? -x : x;
}

/* Row `row` at time t, with the times n1 and n2 of the rows beside it (or,
 * for the first and last row, the two after or before it): a candidate to
 * set aside when it is over an hour from both and they are within a
 * hundredth of that of each other (pl_timeline_far_rows decides). */
static void lone_check(pl_timeline *tl, pl_time t, pl_time n1, pl_time n2, size_t row)
{
    pl_time g1 = tabs(t - n1), g2 = tabs(t - n2), g = g1 < g2 ? g1 : g2;
    if (g <= PL_TICKS_PER_HOUR || tabs(n1 - n2) >= g / 100) /* a division: ticks of centuries overflow a product */
        return;
    if (tl->nlone == PL_TL_LONE) {
        tl->lone_overflow = 1;
        return;
    }
    tl->lone[tl->nlone].t = t;
    tl->lone[tl->nlone].gap = g;
    tl->lone[tl->nlone++].row = row;
}

/* Keeps the PL_TL_LONE + 1 smallest (sign 1) or largest (-1) times. */
static void keep_extreme(pl_time *v, size_t *n, pl_time t, int sign)
{
    size_t i = *n;
    if (*n == PL_TL_LONE + 1) {
        if ((sign > 0 && t >= v[PL_TL_LONE]) || (sign < 0 && t <= v[PL_TL_LONE]))
            return;
        i = PL_TL_LONE;
    } else {
        (*n)++;
    }
    while (i > 0 && (sign > 0 ? t < v[i - 1] : t > v[i - 1])) {
        v[i] = v[i - 1];
        i--;
    }
    v[i] = t;
}

void pl_timeline_add(pl_timeline *tl, pl_time t)
{
    keep_extreme(tl->low, &tl->nlow, t, 1);
    keep_extreme(tl->high, &tl->nhigh, t, -1);
    if (tl->rows >= 2)
        lone_check(tl, tl->prev_t, tl->t1, t, tl->rows - 1);
    if (tl->rows == 2)
        lone_check(tl, tl->t1, tl->prev_t, t, 0); /* the first row: both on one side */
    tl->t2 = tl->t1;
    tl->t1 = tl->prev_t;
    if (tl->rows && tl->ndiffs < PL_TL_DIFFS && t > tl->prev_t)
        tl->diffs[tl->ndiffs++] = (double)(t - tl->prev_t) / PL_TICKS_PER_SEC;
    tl->prev_t = t;
    tl->rows++;
}

double pl_timeline_interval(pl_timeline *tl)
{
    return tl->ndiffs ? pl_select(tl->diffs, tl->ndiffs, tl->ndiffs / 2) : 0;
}

size_t pl_timeline_far_rows(pl_timeline *tl, double interval_s)
{
    double farf = 1000 * interval_s * (double)PL_TICKS_PER_SEC;
    pl_time far = farf < 4e18 ? (pl_time)farf : (pl_time)4e18; /* no overflow */
    size_t i, n = 0;
    if (far < 24 * PL_TICKS_PER_HOUR)
        far = 24 * PL_TICKS_PER_HOUR;
    if (tl->rows >= 3)
        lone_check(tl, tl->prev_t, tl->t1, tl->t2, tl->rows - 1); /* the last row */
    for (i = 0; i < tl->nlone; i++)
        if (tl->lone[i].gap > far)
            tl->lone[n++] = tl->lone[i];
    if (n == 0 || tl->lone_overflow || tl->rows < n + 2)
        return 0;
    return n;
}

/* The first of the times v[0..nv) (extremes, most extreme first) that is
 * not one of the n rows set aside; fallback when all are. */
static pl_time first_kept(const pl_time *v, size_t nv, const pl_lone_row *lone, size_t n,
                          pl_time fallback)
{
    size_t i, k;
    for (i = 0; i < nv; i++) {
        for (k = 0; k < n && lone[k].t != v[i]; k++)
            ;
        if (k == n)
            return v[i];
    }
    return fallback;
}

void pl_timeline_span_without(const pl_timeline *tl, size_t n, pl_time *start, pl_time *end)
{
    *start = first_kept(tl->low, tl->nlow, tl->lone, n, *start);
    *end = first_kept(tl->high, tl->nhigh, tl->lone, n, *end);
}
