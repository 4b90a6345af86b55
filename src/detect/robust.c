/* robust.c - perfleak's leak detector.
 *
 * The robust detector judges a counter in five steps, each aimed at a shape
 * that fools simple tools:
 *   1. lives: sharp drops to a low level split the series (process restarts,
 *      a garbage collector's sawtooth). With three or more lives, the
 *      question is whether each life levels off higher than the one before.
 *   2. onset: a flat-then-rising hinge, when it explains the data much
 *      better than one line, moves the judged regime to where growth began.
 *   3. cycles: a dominant period (daily load, GC) found by autocorrelation
 *      is averaged out by judging window medians one period wide.
 *   4. trend: Theil-Sen slope with Sen's interval and a Mann-Kendall test
 *      whose variance is corrected for autocorrelation (Hamed-Rao).
 *   5. sustained and large enough: the growth must go on in the last part
 *      of the regime (a warm-up or a single step levels off) and exceed both
 *      a share of the level and the noise.
 * All of it runs on at most max_buckets points, so it is cheap per counter. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "detect/robust.h"
#include "detect/points.h"
#include "perfleak/units.h"
#include "perfleak/timestamp.h"
#include "util/internal.h"
#include "detect/stats.h"


#define NWIN 24          /* window medians the trend test runs on */
#define MAX_BINS 240     /* resolution of the onset and period searches */
#define LAST_SHARE 0.4   /* the part of the regime that must still grow */
#ifndef RESID_K
#define RESID_K 4.0     /* growth needed, in window spreads around the trend */
#endif
/* ---------- robust detector helpers ---------- */

/* Noise from first differences: robust to trends, steps and spikes. Points
 * that average samples are fewer and smoother, so there the steps between
 * them are mostly the series' own slope (a sawtooth's ramp): second
 * differences cancel it. */
static double noise_sigma(const pl_points *p)
{
    const double *y = p->y;
    double *d = p->work, s;
    size_t i, k = 0, n = p->m;
    if (n < 3)
        return 0;
    if (p->bucketed) {
        for (i = 1; i + 1 < n; i++)
            d[k++] = fabs(y[i + 1] - 2 * y[i] + y[i - 1]);
        s = 1.4826 * pl_median_inplace(d, k) / sqrt(6.0);
    } else {
        for (i = 1; i < n; i++)
            d[k++] = fabs(y[i] - y[i - 1]);
        s = 1.4826 * pl_median_inplace(d, k) / sqrt(2.0);
    }
    return s;
}

/* Indices where a sharp, sustained drop begins a new life. A drop counts
 * when a point lies far below the median of the three before (so a spike
 * up never counts), the next one is still well below (so a single low
 * glitch never counts, while a restarted process may already be warming
 * up again) and most of the fall happens in one step (so slow declines
 * and daily cycles never do). */
static size_t find_resets(const pl_points *p, double sigma, double range, size_t *out, size_t max_out)
{
    const double *y = p->y;
    size_t i, n = 0, m = p->m;
    double need = fmax(8 * sigma, 0.25 * range);
    if (m < 8 || range <= 0)
        return 0;
    for (i = 3; i + 2 <= m && n < max_out; i++) {
        double pre = pl_median3(y[i - 3], y[i - 2], y[i - 1]);
        double drop = pre - y[i];
        int reset;
        if (p->bucketed) {
            /* Points that average samples: a reset inside a bucket leaves
             * its mean halfway, so the fall is the store's one-sample
             * step, and it must stand out from the steps every bucket
             * has (the noise of single samples). */
            drop = p->step[i];
            reset = drop - 2 * p->typical_step >= 0.25 * range &&
                    (pre - y[i + 1] >= 0.3 * drop ||
                     /* a restart warming up within the next bucket: the
                      * low samples pulled this one's mean down, and no
                      * single step went back up (as after a glitch) */
                     (pre - y[i] >= 0.3 * drop && p->back[i] < 0.5 * drop && p->back[i + 1] < 0.5 * drop));
        } else {
            reset = drop >= need && p->step[i] >= 0.5 * drop && pre - y[i + 1] >= 0.3 * drop;
        }
        /* to a low level: a restart falls most of the way, a collection
         * a good part; a process leaving a system total (one commit among
         * many) is a step of a few per cent, not a new life */
        if (reset && pre - fmin(y[i], y[i + 1]) >= 0.1 * fabs(pre)) {
            out[n++] = i;
            i += 2;
        }
    }
    return n;
}

/* Averages [a, b) into at most MAX_BINS bins; returns the bin count and
 * the points per bin through *per. */
static size_t bin_points(const pl_points *p, size_t a, size_t b, double *bt, double *by,
                         size_t *per)
{
    size_t n = b - a, g = (n + MAX_BINS - 1) / MAX_BINS, i, k = 0;
    if (g == 0)
        g = 1;
    for (i = a; i < b; i += g, k++) {
        size_t j, c = 0;
        bt[k] = by[k] = 0;
        for (j = i; j < b && j < i + g; j++, c++) {
            bt[k] += p->t[j];
            by[k] += p->y[j];
        }
        bt[k] /= (double)c;
        by[k] /= (double)c;
    }
    *per = g;
    return k;
}

/* Least-squares line through (x, y): returns the residual sum of squares. */
/* Least squares y = icpt + slope x: returns icpt. */
static double line_fit(const double *x, const double *y, size_t n, double *slope)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0, nn = (double)n, vx;
    size_t i;
    for (i = 0; i < n; i++) {
        sx += x[i]; sy += y[i]; sxx += x[i] * x[i]; sxy += x[i] * y[i];
    }
    vx = sxx - sx * sx / nn;
    *slope = vx > 0 ? (sxy - sx * sy / nn) / vx : 0;
    return (sy - *slope * sx) / nn;
}

static double line_sse(const double *x, const double *y, size_t n, double *slope)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0, b, nn = (double)n, vx;
    size_t i;
    for (i = 0; i < n; i++) {
        sx += x[i]; sy += y[i]; sxx += x[i] * x[i]; sxy += x[i] * y[i]; syy += y[i] * y[i];
    }
    vx = sxx - sx * sx / nn;
    b = vx > 0 ? (sxy - sx * sy / nn) / vx : 0;
    *slope = b;
    return fmax(0, (syy - sy * sy / nn) - b * (sxy - sx * sy / nn));
}

/* Where a flat-then-rising hinge bends, when it fits much better than one
 * straight line; otherwise a. Suffix sums make each candidate O(1). */
static size_t find_onset(const pl_points *p, size_t a, size_t b)
{
    double bt[MAX_BINS], by[MAX_BINS], sfx[5][MAX_BINS + 1], best = INFINITY, slope, sse_line;
    double sy_all = 0, syy_all = 0;
    size_t nb, per, c, bestc = 0, i;
    if (b - a < 16)
        return a;
    nb = bin_points(p, a, b, bt, by, &per);
    sse_line = line_sse(bt, by, nb, &slope);
    if (slope <= 0 || sse_line <= 0)
        return a;
    memset(sfx, 0, sizeof sfx);
    for (i = nb; i-- > 0;) {
        sfx[0][i] = sfx[0][i + 1] + 1;
        sfx[1][i] = sfx[1][i + 1] + bt[i];
        sfx[2][i] = sfx[2][i + 1] + bt[i] * bt[i];
        sfx[3][i] = sfx[3][i + 1] + bt[i] * by[i];
        sfx[4][i] = sfx[4][i + 1] + by[i];
        sy_all += by[i];
        syy_all += by[i] * by[i];
    }
    for (c = nb / 10; c < nb * 85 / 100; c++) {
        /* y = alpha + beta * u, u = max(0, t - tau) */
        double tau = bt[c], n = (double)nb, k = sfx[0][c];
        double su = sfx[1][c] - k * tau;
        double suu = sfx[2][c] - 2 * tau * sfx[1][c] + k * tau * tau;
        double suy = sfx[3][c] - tau * sfx[4][c];
        double vu = suu - su * su / n, cov = suy - su * sy_all / n, beta, sse;
        if (vu <= 0)
            continue;
        beta = cov / vu;
        sse = (syy_all - sy_all * sy_all / n) - beta * cov;
        if (beta > 0 && sse < best) {
            best = sse;
            bestc = c;
        }
    }
    if (best < 0.6 * sse_line && bestc > 0)
        return a + bestc * per;
    return a;
}

/* Dominant period in points (0 when there is none): the first
 * autocorrelation peak after the first zero crossing of the detrended,
 * binned series, if it reaches 0.3. The first peak, not the highest: the
 * multiples of a period correlate as well and would be too long to use. */
static size_t find_period(const pl_points *p, size_t a, size_t b, double *peak)
{
    double bt[MAX_BINS], by[MAX_BINS], slope, mean = 0, den = 0, prev = 1;
    size_t nb, per, i, k;
    int crossed = 0;
    if (b - a < 24)
        return 0;
    nb = bin_points(p, a, b, bt, by, &per);
    line_sse(bt, by, nb, &slope);
    for (i = 0; i < nb; i++) {
        by[i] -= slope * bt[i];
        mean += by[i];
    }
    mean /= (double)nb;
    for (i = 0; i < nb; i++) {
        by[i] -= mean;
        den += by[i] * by[i];
    }
    if (den <= 0)
        return 0;
    /* Four lags at a time: each sum is still taken in index order (the
     * same bits as one lag at a time), but the four chains of additions
     * overlap instead of each waiting on its own. */
    for (k = 1; k <= nb / 2 + 1; k += 4) {
        double n0 = 0, n1 = 0, n2 = 0, n3 = 0;
        size_t j, common = nb > k + 4 - 1 ? nb - (k + 4 - 1) : 0;
        for (i = 0; i < common; i++) { /* four scalars: an array here was slower */
            double x = by[i];
            const double *q = by + i + k;
            n0 += x * q[0];
            n1 += x * q[1];
            n2 += x * q[2];
            n3 += x * q[3];
        }
        double num[4] = {n0, n1, n2, n3};
        for (j = 0; j < 4 && k + j <= nb / 2 + 1; j++) {
            double r;
            for (i = common; i + k + j < nb; i++)
                num[j] += by[i] * by[i + k + j];
            r = num[j] / den * (double)nb / (double)(nb - (k + j));
            if (r < 0)
                crossed = 1;
            else if (crossed && r < prev && prev >= 0.3) {
                *peak = prev;
                return (k + j - 1) * per; /* prev was the peak */
            }
            prev = r;
        }
    }
    return 0;
}

/* Median of y over [a, b). */
static double window_median(const double *y, size_t a, size_t b, double *tmp)
{
    memcpy(tmp, y + a, (b - a) * sizeof *tmp);
    return pl_median_inplace(tmp, b - a);
}

typedef struct trend {
    double slope, lo, hi, icpt, p, s, var;
    double last_slope;   /* over the last LAST_SHARE of the windows */
    double resid_sigma;  /* spread of the windows around the line */
    size_t k;
} trend;

/* Trend of window medians over [a, b), windows w points wide (w == 0:
 * tile the regime into NWIN windows). */
/* 0; 1 when there is no trend to fit (pl_theil_sen); -1 out of memory. */
static int window_trend(const pl_points *p, size_t a, size_t b, size_t w, trend *tr)
{
    double wx[NWIN], wy[NWIN], work[2 * NWIN], *tmp = p->work, lo, hi, icpt, var, s, hr;
    size_t n = b - a, k = n < NWIN ? n : NWIN, i, last0;
    int rc;
    memset(tr, 0, sizeof *tr);
    if (w == 0 || w > n)
        w = (n + k - 1) / k;
    for (i = 0; i < k; i++) {
        /* window centres evenly spaced; windows overlap when w is a long
         * period, which is what averages the cycle out */
        size_t c = a + w / 2 + (k > 1 ? (n - w) * i / (k - 1) : 0), s0, s1;
        s0 = c >= a + w / 2 ? c - w / 2 : a;
        s1 = s0 + w <= b ? s0 + w : b;
        wy[i] = window_median(p->y, s0, s1, tmp);
        wx[i] = 0.5 * (p->t[s0] + p->t[s1 - 1]);
    }
    tr->k = k;
    pl_mann_kendall(wy, k, work, &s, &var);
    if ((rc = pl_theil_sen(wx, wy, k, var, 0.95, &tr->slope, &lo, &hi, &icpt)) != 0)
        return rc;
    hr = pl_hamed_rao_factor(wx, wy, k, tr->slope, work);
    var *= hr;
    if ((rc = pl_theil_sen(wx, wy, k, var, 0.95, &tr->slope, &tr->lo, &tr->hi, &tr->icpt)) != 0)
        return rc;
    tr->s = s;
    tr->var = var;
    tr->p = pl_mk_p_increasing(s, var);
    /* Growth at the end of the regime, by least squares on the window
     * medians: a stair near the end still counts as growth there, where
     * Theil-Sen would look past it. */
    last0 = k - (size_t)ceil(LAST_SHARE * (double)k);
    if (k - last0 >= 3) {
        line_sse(wx + last0, wy + last0, k - last0, &tr->last_slope);
    } else {
        tr->last_slope = tr->slope;
    }
    {
        double r[NWIN];
        for (i = 0; i < k; i++)
            r[i] = fabs(wy[i] - (tr->icpt + tr->slope * wx[i]));
        tr->resid_sigma = 1.4826 * pl_median_inplace(r, k);
    }
    return 0;
}

static pl_time at_hours(const pl_points *p, double h)
{
    return pl_time_add_hours(p->t0, h);
}

/* Three or more lives: a leak when each life levels off higher. */
static int judge_lives(const pl_points *p, const size_t *resets, size_t nres, double sigma,
                       const pl_detect_opts *o, pl_unit unit, pl_finding *f)
{
    double px[64], py[64], work[64], tmp_s, var, lo, hi, icpt, *tmp = p->work;
    size_t nl = 0, j;
    char lvl[48];
    int rc;
    /* The first and last lives are cut by the log's ends: when clearly
     * shorter than a typical life they show no plateau and are left out. */
    {
        size_t len[257], typical;
        for (j = 0; j <= nres; j++)
            len[j] = (j < nres ? resets[j] : p->m) - (j ? resets[j - 1] : 0);
        for (j = 0; j <= nres; j++)
            tmp[j] = (double)len[j];
        typical = (size_t)pl_median_inplace(tmp, nres + 1);
        for (j = 0; j <= nres && nl < 64; j++) {
            /* A bucket the reset fell inside holds the end of the life
             * before as well: a bucketed life starts after it. */
            size_t a = j ? resets[j - 1] + (size_t)(p->bucketed != 0) : 0, b = j < nres ? resets[j] : p->m, tail;
            if (b - a < 4 || ((j == 0 || j == nres) && 10 * (b - a) < 6 * typical))
                continue;
            tail = a + (b - a) / 2; /* the plateau: the life's second half */
            py[nl] = window_median(p->y, tail, b, tmp);
            px[nl] = p->t[tail];
            if (p->bucketed && b - tail >= 2 && b - tail < 8) {
                /* A few buckets a life: which of them fall in its second
                 * half moves with where the resets fall in theirs, and so
                 * would the median of a life that is a ramp (a sawtooth).
                 * A line through them, read at three quarters of the life,
                 * does not move. (More buckets: the median, which a spike
                 * does not move.) */
                double tq = p->t[a] + 0.75 * (p->t[b - 1] - p->t[a]), sl;
                double ic = line_fit(p->t + tail, p->y + tail, b - tail, &sl);
                py[nl] = ic + sl * tq;
                px[nl] = tq;
            }
            nl++;
        }
    }
    f->lives = (int)nres + 1;
    if (nl < 3)
        return 1; /* not enough whole lives: judge as one series */
    pl_mann_kendall(py, nl, work, &tmp_s, &var);
    rc = pl_theil_sen(px, py, nl, var, 0.95, &f->slope_per_hour, &lo, &hi, &icpt);
    if (rc != 0)
        return rc < 0 ? -1 : 1; /* no trend over the lives: judge as one series */
    f->slope_lo = lo;
    f->slope_hi = hi;
    f->points = nl;
    f->start_level = icpt + f->slope_per_hour * px[0];
    f->end_level = icpt + f->slope_per_hour * px[nl - 1];
    f->growth = f->end_level - f->start_level;
    f->growth_pct = f->start_level > 0 ? 100 * f->growth / f->start_level : NAN;
    f->p_value = pl_mk_p_increasing(tmp_s, var);
    pl_format_value(py[nl - 1], unit, lvl, sizeof lvl);
    /* Kendall's tau over the lives: most pairs must rise. */
    if (tmp_s / (nl * (nl - 1) / 2.0) >= 0.5 && f->growth > 4 * sigma &&
        f->growth_pct >= o->min_growth_pct) {
        char tail[96];
        f->verdict = PL_VERDICT_LEAK;
        f->confidence = fmin(0.99, 1 - f->p_value / 2);
        snprintf(tail, sizeof tail, ", each of %zu lives (restarts or collections) levelling off higher",
                 nl);
        pl_reason_growth(f, unit, px[nl - 1] - px[0], tail);
        f->onset = at_hours(p, 0);
    } else {
        f->verdict = PL_VERDICT_OK;
        f->confidence = 0.9;
        snprintf(f->reason, sizeof f->reason,
                 "dropped back %zu times (restarts or collections) and every life levels off at about the same height (last: %s)",
                 nres, lvl);
    }
    return 0;
}

static int cmp_size(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    return (a > b) - (a < b);
}

/* Adds the points where the process ID changed to resets (kept sorted,
 * resets closer than three points merged). Returns the new count. */
static size_t add_pid_resets(const pl_points *p, const pl_series *pid, size_t *resets,
                             size_t n, size_t max)
{
    const pl_bucket *b = pl_series_buckets(pid);
    size_t nb = pl_series_bucket_count(pid), i, k, out;
    double prev = NAN;
    for (i = 0; i < nb && n < max; i++) {
        pl_time at = -1;
        if (!b[i].n || !pl_is_pid(b[i].min) || !pl_is_pid(b[i].max)) {
            prev = NAN; /* not an ID: nothing known of the process here */
            continue;
        }
        /* Buckets keep no first and last values: a bucket of one ID
         * changed where it differs from the one before; one holding
         * several changed inside, and says nothing of its ends. */
        if (b[i].min != b[i].max)
            at = pl_bucket_mid(&b[i]);
        else if (!isnan(prev) && b[i].min != prev)
            at = b[i].t0;
        prev = b[i].min == b[i].max ? b[i].min : NAN;
        if (at >= 0) {
            double h = (double)(at - p->t0) / (double)PL_TICKS_PER_HOUR;
            size_t lo = 0, hi = p->m;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (p->t[mid] < h) lo = mid + 1; else hi = mid;
            }
            if (lo > 0 && lo < p->m)
                resets[n++] = lo;
        }
    }
    qsort(resets, n, sizeof *resets, cmp_size);
    for (k = 0, out = 0; k < n; k++)
        if (out == 0 || resets[k] >= resets[out - 1] + 3)
            resets[out++] = resets[k];
    return out;
}

/* 1 when an ID the column held comes back after another held it: the
 * instance name passes between processes that live on (svchost#2
 * renumbered as others start and stop), so its lives are not the
 * restarts of one service. -1 out of memory. */
static int pid_returns(const pl_series *pid)
{
    const pl_bucket *b = pl_series_buckets(pid);
    size_t nb = pl_series_bucket_count(pid), i, n = 0;
    double *runs = malloc((nb ? nb : 1) * sizeof *runs);
    int back = 0;
    if (!runs)
        return -1;
    for (i = 0; i < nb; i++)
        if (b[i].n && b[i].min == b[i].max && pl_is_pid(b[i].min) && (n == 0 || runs[n - 1] != b[i].min))
            runs[n++] = b[i].min;
    pl_sort_doubles(runs, n);
    for (i = 1; i < n && !back; i++)
        back = runs[i] == runs[i - 1];
    free(runs);
    return back;
}

/* Median of the points in the last quarter of the regime's time minus
 * that of the first quarter: the growth the log shows end to end. Under a
 * cycle of period_h hours the quarters are whole periods, so that both
 * medians see every phase of it. */
static double span_change(const pl_points *p, size_t a, double period_h)
{
    double t0 = p->t[a], t1 = p->t[p->m - 1], q = 0.25 * (t1 - t0), first, last;
    double *tmp = p->work;
    size_t i, n = 0;
    if (period_h > 0 && q < 0.5 * (t1 - t0))
        q = fmin(0.5 * (t1 - t0), period_h * ceil(q / period_h));
    for (i = a; i < p->m && p->t[i] <= t0 + q; i++)
        tmp[n++] = p->y[i];
    first = pl_median_inplace(tmp, n);
    n = 0;
    for (i = p->m; i-- > a && p->t[i] >= t1 - q;)
        tmp[n++] = p->y[i];
    last = pl_median_inplace(tmp, n);
    return last - first;
}

/* The median of the values at points [a, b) (NaN when empty). */
static double median_of(const pl_points *p, size_t a, size_t b)
{
    if (b <= a)
        return NAN;
    return window_median(p->y, a, b, p->work);
}

/* The level the judged regime [onset, m) ends at: the median of its last
 * tenth of time. */
static double regime_end(const pl_points *p, size_t onset)
{
    double t1 = p->t[p->m - 1], from = t1 - 0.1 * (t1 - p->t[onset]);
    size_t i = p->m;
    while (i > onset + 1 && p->t[i - 1] >= from)
        i--;
    return median_of(p, i, p->m);
}

/* The level the series held before the judged regime: the 90th
 * percentile of the life before the restart at a (from prev, where that
 * life began: where it levelled off, or the ceiling a leaking life
 * reached) and of the points of this life before its onset, whichever is
 * higher. -INFINITY when there is nothing before. */
static double before_regime(const pl_points *p, size_t prev, size_t a, size_t onset)
{
    size_t spans[2][2] = {{prev, a}, {a, onset}}, k, i;
    double best = -INFINITY;
    for (k = 0; k < 2; k++) {
        size_t lo = spans[k][0], n = spans[k][1] > lo ? spans[k][1] - lo : 0;
        double *tmp = p->work;
        if (n < 3)
            continue;
        for (i = 0; i < n; i++)
            tmp[i] = p->y[lo + i];
        best = fmax(best, pl_select(tmp, n, n * 9 / 10));
    }
    return best;
}

/* The median of the points whose times fall in [from, to), and the
 * change of the median from the window's first half to its second, per
 * hour. 0 when fewer than 6 points fall in it. */
static int window_level(const pl_points *p, size_t a0, double from, double to, double *med,
                        double *rate)
{
    size_t a = a0, b, h;
    while (a < p->m && p->t[a] < from)
        a++;
    b = a;
    while (b < p->m && p->t[b] < to)
        b++;
    if (b - a < 6)
        return 0;
    h = a + (b - a) / 2;
    *med = median_of(p, a, b);
    *rate = (median_of(p, h, b) - median_of(p, a, h)) / (0.5 * (p->t[b - 1] - p->t[a]));
    return 1;
}

/* A warm-up: the growth of [onset, m) is concentrated at its start.
 * Taken in thirds of its time, the medians of a steady leak step up
 * about equally; a concave curve whose last third is flat steps up from
 * the first to the second and hardly after: under 0.3 of that, or under
 * 0.6 of it while the last third itself rises at under 0.3 of the first
 * third's rate, and slowing down (the first third rising faster than the
 * second). Medians, not fitted slopes, so that noise does not decide it;
 * under a cycle of period_h the thirds are whole periods and the rates
 * within them (one phase of it) are not used. */
static int warmed_up(const pl_points *p, size_t onset, double period_h, double gate_pct)
{
    double t0 = p->t[onset], t1 = p->t[p->m - 1], w = (t1 - t0) / 3, mid, med[3], rate[3], ratio, last;
    if (p->m - onset < 24 || w <= 0)
        return 0;
    if (period_h > 0 && w >= period_h)
        w = period_h * floor(w / period_h);
    mid = 0.5 * (t0 + t1);
    if (!window_level(p, onset, t0, t0 + w, &med[0], &rate[0]) ||
        !window_level(p, onset, mid - w / 2, mid + w / 2, &med[1], &rate[1]) ||
        !window_level(p, onset, t1 - w, t1 + 1, &med[2], &rate[2]) || !(med[1] > med[0]))
        return 0;
    /* the last third, or its end if that is higher: a step late in it
     * is growth the third's median does not show */
    last = fmax(med[2], period_h > 0 ? med[2] : regime_end(p, onset));
    ratio = (last - med[1]) / (med[1] - med[0]);
    if (period_h > 0)
        return ratio < 0.3;
    /* and slowing down, as a warm-up does: a staircase whose last step
     * came early rises in its thirds in no order */
    if (!(rate[0] > rate[1]))
        return 0;
    if (ratio < 0.3)
        return 1;
    /* less clear-cut: the last third slow too, and either still slowing
     * down (a warm-up's rate keeps falling; a leak under a warm-up
     * settles at the leak's rate) or adding too little to matter */
    return ratio < 0.6 && rate[0] > 0 && rate[2] < 0.3 * rate[0] &&
           (rate[2] < 0.6 * rate[1] || last - med[1] < 0.01 * gate_pct * fabs(med[1]));
}

/* The least growth of a count that is a leak: a fraction of a thread
 * is noise however many per cent it is of two. */
static double least_count(pl_unit unit)
{
    switch (unit) {
    case PL_UNIT_HANDLES: return 20;
    case PL_UNIT_THREADS: return 3;
    case PL_UNIT_PROCESSES:
    case PL_UNIT_ENTRIES:
    case PL_UNIT_OBJECTS: return 3;
    default: return 0;
    }
}

/* What judging one series carries from step to step. Each step returns
 * 0 to go on, 1 when it gave the verdict, -1 when out of memory. */
typedef struct robust_run {
    pl_points p;
    size_t resets[256], nres;
    size_t a;         /* the last life's first point */
    size_t onset, period;
    double sigma, range;
    trend tr;
} robust_run;

/* The series' spread and noise; a series too short or constant is
 * judged here. */
static int measure(robust_run *r, pl_finding *f)
{
    pl_points *p = &r->p;
    double *tmp = p->work;
    if (p->m < 8) {
        snprintf(f->reason, sizeof f->reason, "only %zu time points", p->m);
        return 1;
    }
    memcpy(tmp, p->y, p->m * sizeof *tmp);
    r->range = pl_select(tmp, p->m, p->m * 95 / 100);
    r->range -= pl_select(tmp, p->m * 95 / 100, p->m * 5 / 100);
    r->sigma = noise_sigma(p);
    f->verdict = PL_VERDICT_OK;
    if (r->range <= 0 && p->y[0] == p->y[p->m - 1]) {
        f->confidence = 1;
        f->p_value = 1;
        snprintf(f->reason, sizeof f->reason, "constant at every sample");
        return 1;
    }
    return 0;
}

/* 1. lives. Where ID Process is logged, a life ends only where the ID
 * changes: a drop within one process (a collection, a thread pool
 * shrinking) is part of its life, not a restart. Three lives or more
 * may be judged as lives; else the last one is the regime judged. */
static int split_lives(robust_run *r, const pl_series *pid, const pl_detect_opts *o, pl_unit unit,
                       pl_finding *f)
{
    const pl_points *p = &r->p;
    size_t max = sizeof r->resets / sizeof r->resets[0];
    int by_pid = pid && pl_series_any_pid(pid), returns, rc;
    r->nres = by_pid ? add_pid_resets(p, pid, r->resets, 0, max)
                     : find_resets(p, r->sigma, r->range, r->resets, max);
    r->a = 0;
    /* lives by ID whose IDs come back are of processes that held the
     * column in turn (namesakes renumbered): whether each levels off
     * higher says nothing, and the last one is judged */
    if (r->nres >= 2 && by_pid && (returns = pid_returns(pid)) != 0) {
        if (returns < 0)
            return -1;
    } else if (r->nres >= 2) {
        if ((rc = judge_lives(p, r->resets, r->nres, r->sigma, o, unit, f)) < 0)
            return -1;
        if (rc == 0) {
            f->regime_start = p->t0;
            return 1;
        }
    }
    if (r->nres >= 1) {
        r->a = r->resets[r->nres - 1];
        f->lives = (int)r->nres + 1;
        if (p->m - r->a < 16 || p->m - r->a < p->m / 4) {
            f->confidence = 0.8;
            f->regime_start = at_hours(p, p->t[r->a]);
            snprintf(f->reason, sizeof f->reason,
                     "grew, then dropped back sharply near the end of the log (released or restarted)");
            return 1;
        }
    }
    return 0;
}

/* 2. onset, 3. cycles, 4. trend: the regime's figures into f. */
static int fit_regime(robust_run *r, pl_finding *f)
{
    const pl_points *p = &r->p;
    double peak = 0, level, dur;
    size_t i;
    int rc;
    r->onset = find_onset(p, r->a, p->m);
    /* Windows one period wide need two periods to slide over; with fewer
     * than three, only a strong cycle is trusted (a wander can look
     * periodic for a while). */
    r->period = find_period(p, r->onset, p->m, &peak);
    if (r->period && ((p->m - r->onset) < 2 * r->period ||
                      ((p->m - r->onset) < 3 * r->period && peak < 0.6)))
        r->period = 0;
    if (r->period)
        f->period_h = p->t[r->onset + r->period] - p->t[r->onset];
    if ((rc = window_trend(p, r->onset, p->m, r->period, &r->tr)) != 0) {
        if (rc < 0)
            return -1;
        /* a regime whose samples all share one time (a clock set back,
         * merged segments): nothing to fit a trend to */
        f->verdict = PL_VERDICT_INSUFFICIENT;
        f->confidence = 0;
        snprintf(f->reason, sizeof f->reason, "no trend: the samples from the last regime on share one time");
        return 1;
    }
    dur = r->onset ? p->span_h - p->t[r->onset] : p->span_h;
    f->regime_start = at_hours(p, r->onset ? p->t[r->onset] : 0);
    f->onset = f->regime_start;
    f->points = r->tr.k;
    f->slope_per_hour = r->tr.slope;
    f->slope_lo = r->tr.lo;
    f->slope_hi = r->tr.hi;
    f->p_value = r->tr.p;
    level = r->tr.icpt + r->tr.slope * (r->onset ? p->t[r->onset] : 0);
    f->start_level = level;
    f->growth = r->tr.slope * dur;
    f->end_level = level + f->growth;
    {
        double base = level > 0 ? level : 0;
        for (i = 0; base <= 0 && i < p->m; i++)
            base = fmax(base, fabs(p->y[i]));
        f->growth_pct = base > 0 ? 100 * f->growth / base : NAN;
    }
    return 0;
}

/* 5. verdict: the regime's trend against what a leak must show. */
static void judge_regime(const robust_run *r, const pl_detect_opts *o, pl_unit unit, pl_finding *f)
{
    const pl_points *p = &r->p;
    const trend *tr = &r->tr;
    size_t onset = r->onset;
    double gate = o->min_growth_pct, growth = f->growth, ends, before;
    double dur = onset ? p->span_h - p->t[onset] : p->span_h;
    if (tr->slope <= 0 || tr->p >= o->alpha) {
        f->confidence = tr->slope <= 0 ? fmin(0.99, 1 - (1 - tr->p) / 2) : fmin(0.99, 0.5 + tr->p / 2);
        if (tr->p > 1 - o->alpha && f->growth_pct <= -gate)
            pl_reason_growth(f, unit, dur, ", a falling trend");
        else
            snprintf(f->reason, sizeof f->reason,
                     "no significant growth (Mann-Kendall p = %.2g after allowing for autocorrelation)",
                     tr->p);
    } else if (!(f->growth_pct >= gate) || growth <= RESID_K * tr->resid_sigma ||
               growth < least_count(unit)) {
        f->confidence = 0.8;
        pl_reason_growth(f, unit, dur, ", too little to matter");
    } else if ((ends = span_change(p, onset, f->period_h)) < 0.4 * growth) {
        /* The windows' slope comes from part of the log (one session of
         * merged logs with weeks between them): the levels at its two ends
         * must show the growth too. */
        char g[48];
        f->confidence = 0.8;
        pl_format_value(fabs(ends), unit, g, sizeof g);
        pl_reason_growth(f, unit, dur, "");
        snprintf(f->reason + strlen(f->reason), sizeof f->reason - strlen(f->reason),
                 " by its trend, but the end of the log is only %s%s from its start (the trend is from part of it)",
                 ends < 0 ? "-" : "", g);
    } else if (tr->last_slope < 0.3 * tr->slope || warmed_up(p, onset, f->period_h, gate)) {
        f->confidence = 0.8;
        pl_reason_growth(f, unit, dur, ", then levelled off");
    } else if (onset > 0 && (before = before_regime(p, r->nres >= 2 ? r->resets[r->nres - 2] : 0, r->a, onset),
                             !(regime_end(p, onset) > before + fmax(4 * r->sigma, 0.01 * gate * fabs(before))))) {
        /* Back from a restart or a dip to where it was before: the
         * life before levelled off there, so this one warming up to it is
         * no growth. */
        char lvl[48];
        f->confidence = 0.8;
        pl_format_value(before, unit, lvl, sizeof lvl);
        pl_reason_growth(f, unit, dur, "");
        snprintf(f->reason + strlen(f->reason), sizeof f->reason - strlen(f->reason),
                 ", back to the %s it held before %s", lvl,
                 onset > r->a ? "it dipped" : "it restarted");
    } else {
        char tail[96];
        f->verdict = PL_VERDICT_LEAK;
        f->confidence = fmin(0.999, 1 - tr->p);
        snprintf(tail, sizeof tail, ", steadily%s%s",
                 tr->last_slope > 1.5 * tr->slope ? " and accelerating" : ", no levelling off",
                 r->period ? " (cycle averaged out)" : "");
        pl_reason_growth(f, unit, dur, tail);
    }
}

int pl_detect_robust(const pl_series *s, const pl_series *pid, const pl_detect_opts *o,
                         pl_unit unit, pl_finding *f, pl_error *err)
{
    robust_run r;
    int rc;
    if (pl_finding_begin(s, o, "robust", f))
        return PL_OK;
    if (pl_points_from_series(s, o, &r.p))
        return pl_err(err, PL_ENOMEM, "out of memory in detection");
    if ((rc = measure(&r, f)) == 0 && (rc = split_lives(&r, pid, o, unit, f)) == 0 &&
        (rc = fit_regime(&r, f)) == 0)
        judge_regime(&r, o, unit, f);
    pl_points_clear(&r.p);
    return rc < 0 ? pl_err(err, PL_ENOMEM, "out of memory in detection") : PL_OK;
}
