/* stats.c - medians and selection, Theil-Sen, Sen's interval and Mann-Kendall with the Hamed-Rao
 * autocorrelation correction. Callers keep n small (window summaries), so
 * the O(n^2) pair loops stay cheap. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include "detect/stats.h"

/* The stretch [*l2, *r2] of [left, right] whose k-th value Floyd and
 * Rivest take as the pivot: about n^(2/3) values placed around k. */
static void sample_around(ptrdiff_t left, ptrdiff_t right, ptrdiff_t k, ptrdiff_t *l2, ptrdiff_t *r2)
{
    double n = (double)(right - left + 1), at = (double)(k - left + 1), z = log(n);
    double s = 0.5 * exp(2 * z / 3), sd = 0.5 * sqrt(z * s * (n - s) / n);
    ptrdiff_t lo, hi;
    if (at < n / 2)
        sd = -sd;
    lo = (ptrdiff_t)((double)k - at * s / n + sd);
    hi = (ptrdiff_t)((double)k + (n - at) * s / n + sd);
    *l2 = lo > left ? lo : left;
    *r2 = hi < right ? hi : right;
}

/* Floyd and Rivest's selection. On a long stretch it first selects k in
 * a sample of about n^(2/3) values around where k should fall, so that
 * the partition that follows leaves only a few values on k's side: about
 * n + min(k, n - k) comparisons against 3n for quickselect, which matters
 * here (the spread and noise of every counter are quantiles of 2 000
 * points). Partitions as Hoare's scheme does, with the k-th value as the
 * pivot, so plateaus of equal values split evenly; afterwards everything
 * left of k is no larger than v[k] and everything right of it no smaller. */
static void fr_select(double *v, ptrdiff_t left, ptrdiff_t right, ptrdiff_t k)
{
    while (right > left) {
        ptrdiff_t i, j;
        double t, x;
        if (right - left > 600) {
            ptrdiff_t l2, r2;
            sample_around(left, right, k, &l2, &r2);
            fr_select(v, l2, r2, k);
        }
        t = v[k];
        i = left;
        j = right;
        x = v[left]; v[left] = v[k]; v[k] = x;
        if (v[right] > t) {
            x = v[right]; v[right] = v[left]; v[left] = x;
        }
        while (i < j) {
            x = v[i]; v[i] = v[j]; v[j] = x;
            i++;
            j--;
            while (v[i] < t)
                i++;
            while (v[j] > t)
                j--;
        }
        if (v[left] == t) {
            x = v[left]; v[left] = v[j]; v[j] = x;
        } else {
            j++;
            x = v[j]; v[j] = v[right]; v[right] = x;
        }
        if (j <= k)
            left = j + 1;
        if (k <= j)
            right = j - 1;
    }
}

/* Selection through a scratch array, for the usual lengths. Each pass
 * writes the values below the pivot from the front of tmp and those above
 * it from the back, both unconditionally, moving only the cursor the
 * comparison picks: no branch depends on the data, where Hoare's
 * partition mispredicts about every other value. The values equal to the
 * pivot are left in the gap between (they compare equal, so the pivot
 * stands for them), the stretch is copied back, and the side holding k is
 * narrowed down next. Pivots as in fr_select: the k-th of a sample around
 * k on long stretches, else the median of three. */
static void scratch_select(double *v, double *tmp, ptrdiff_t left, ptrdiff_t right, ptrdiff_t k)
{
    while (right - left >= 16) {
        ptrdiff_t i, a, b, n = right - left + 1;
        double t;
        if (n > 600) {
            ptrdiff_t l2, r2;
            sample_around(left, right, k, &l2, &r2);
            scratch_select(v, tmp, l2, r2, k);
            t = v[k];
        } else {
            t = pl_median3(v[left], v[left + n / 2], v[right]);
        }
        a = 0;
        b = n - 1;
        for (i = left; i <= right; i++) {
            double x = v[i];
            tmp[b] = x;
            tmp[a] = x;
            a += x < t;
            b -= x > t;
        }
        for (i = a; i <= b; i++)
            tmp[i] = t;
        memcpy(v + left, tmp, (size_t)n * sizeof *v);
        if (k < left + a)
            right = left + a - 1;
        else if (k > left + b)
            left = left + b + 1;
        else
            return;
    }
    /* a short stretch: sorted */
    for (ptrdiff_t i = left + 1; i <= right; i++) {
        double x = v[i];
        ptrdiff_t j = i;
        while (j > left && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

#define SCRATCH_ON_STACK 4096

double pl_select(double *v, size_t n, size_t k)
{
    double stack[SCRATCH_ON_STACK], *tmp = n <= SCRATCH_ON_STACK ? stack : malloc(n * sizeof *tmp);
    if (!tmp) { /* no room for the scratch: in place */
        fr_select(v, 0, (ptrdiff_t)n - 1, (ptrdiff_t)k);
        return v[k];
    }
    scratch_select(v, tmp, 0, (ptrdiff_t)n - 1, (ptrdiff_t)k);
    if (tmp != stack)
        free(tmp);
    return v[k];
}

double pl_median_inplace(double *v, size_t n)
{
    double hi, lo;
    size_t i;
    if (n == 0)
        return NAN;
    hi = pl_select(v, n, n / 2);
    if (n % 2)
        return hi;
    /* the lower middle is the largest value left of the upper one */
    lo = v[0];
    for (i = 1; i < n / 2; i++)
        if (v[i] > lo)
            lo = v[i];
    return 0.5 * (lo + hi);
}

void pl_mann_kendall(const double *y, size_t n, double *work, double *s_out, double *var_out)
{
    double s = 0, var, tie = 0, *c = work;
    size_t i, j;
    for (i = 0; i + 1 < n; i++)
        for (j = i + 1; j < n; j++)
            s += (y[j] > y[i]) - (y[j] < y[i]);
    var = (double)n * (n - 1) * (2.0 * n + 5) / 18.0;
    /* Ties: subtract t(t-1)(2t+5)/18 per group of equal values. */
    if (n)
        memcpy(c, y, n * sizeof *c);
    gsl_sort(c, 1, n);
    for (i = 0; i < n;) {
        size_t k = i + 1;
        while (k < n && c[k] == c[i])
            k++;
        if (k - i > 1) {
            double t = (double)(k - i);
            tie += t * (t - 1) * (2 * t + 5) / 18.0;
        }
        i = k;
    }
    *s_out = s;
    *var_out = var - tie > 0 ? var - tie : 1e-12;
}

double pl_hamed_rao_factor(const double *x, const double *y, size_t n, double slope, double *work)
{
    double *r = work, *e = work + n, mean = 0, den = 0, sum = 0, lim, f;
    size_t i, j, k;
    if (n < 6)
        return 1.0;
    for (i = 0; i < n; i++)
        e[i] = y[i] - slope * x[i];
    /* ranks of the detrended values (ties share the mean rank) */
    for (i = 0; i < n; i++) {
        double below = 0, same = 0;
        for (j = 0; j < n; j++) {
            below += e[j] < e[i];
            same += e[j] == e[i];
        }
        r[i] = below + (same + 1) / 2.0;
        mean += r[i];
    }
    mean /= (double)n;
    for (i = 0; i < n; i++)
        den += (r[i] - mean) * (r[i] - mean);
    lim = 1.96 / sqrt((double)n);
    for (k = 1; k < n - 2 && den > 0; k++) {
        double num = 0, rk;
        for (i = 0; i + k < n; i++)
            num += (r[i] - mean) * (r[i + k] - mean);
        rk = num / den;
        if (fabs(rk) > lim) {
            double a = (double)(n - k);
            sum += a * (a - 1) * (a - 2) * rk;
        }
    }
    f = 1 + 2.0 / ((double)n * (n - 1) * (n - 2)) * sum;
    return f < 1 ? 1 : f;
}

double pl_mk_p_increasing(double s, double var_s)
{
    double z;
    if (s > 0)
        z = (s - 1) / sqrt(var_s);
    else if (s < 0)
        z = (s + 1) / sqrt(var_s);
    else
        z = 0;
    return gsl_cdf_ugaussian_Q(z);
}

int pl_theil_sen(const double *x, const double *y, size_t n, double var_s, double conf,
                 double *slope, double *lo, double *hi, double *intercept)
{
    size_t i, j, m = 0, npairs = n * (n - 1) / 2;
    double *sl, *b, c, med;
    if (n < 2)
        return 1;
    sl = malloc(npairs * sizeof *sl);
    b = malloc(n * sizeof *b);
    if (!sl || !b) {
        free(sl);
        free(b);
        return -1;
    }
    for (i = 0; i + 1 < n; i++)
        for (j = i + 1; j < n; j++)
            if (x[j] != x[i])
                sl[m++] = (y[j] - y[i]) / (x[j] - x[i]);
    if (m == 0) {
        free(sl);
        free(b);
        return 1;
    }
    /* The median and Sen's interval, ranks (m -+ C)/2 of the slopes in
     * order, are three order statistics: selected, not sorted for. After
     * the median's selection the smaller half lies left of it, so the
     * lower rank is found there and the upper one to its right. */
    med = pl_median_inplace(sl, m);
    *slope = med;
    c = gsl_cdf_ugaussian_Pinv(0.5 + conf / 2) * sqrt(var_s);
    {
        double m1 = ((double)m - c) / 2.0, m2 = ((double)m + c) / 2.0;
        long l1 = (long)floor(m1), l2 = (long)ceil(m2);
        size_t h = m / 2;
        if (l1 < 0) l1 = 0;
        if (l2 > (long)m - 1) l2 = (long)m - 1;
        *lo = (size_t)l1 < h ? pl_select(sl, h, (size_t)l1) : sl[h];
        *hi = (size_t)l2 > h ? pl_select(sl + h + 1, m - h - 1, (size_t)l2 - h - 1) : sl[h];
    }
    for (i = 0; i < n; i++)
        b[i] = y[i] - med * x[i];
    *intercept = pl_median_inplace(b, n);
    free(sl);
    free(b);
    return 0;
}
