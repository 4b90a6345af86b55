/* stats.h - the detector's statistics: selection and medians, Theil-Sen,
 * Mann-Kendall with the Hamed-Rao correction (internal). */
#ifndef PL_DETECT_STATS_H
#define PL_DETECT_STATS_H

#include <stddef.h>

/* The k-th smallest of n values (0-based; the array is reordered so that
 * v[k] holds it, smaller ones before, larger after). n > 0. */
double pl_select(double *v, size_t n, size_t k);

/* The middle one of three values (not NaN). */
static inline double pl_median3(double a, double b, double c)
{
    double lo = a < b ? a : b, hi = a < b ? b : a;
    return c < lo ? lo : c > hi ? hi : c;
}

/* Median of n values (the array is reordered). NaN when n == 0. */
double pl_median_inplace(double *v, size_t n);

/* Mann-Kendall: S and its variance (with the ties correction), using
 * work (n doubles, the caller's) to count the ties: it cannot fail. */
void pl_mann_kendall(const double *y, size_t n, double *work, double *s, double *var_s);

/* Hamed-Rao variance factor n/n*: >= 1 when the detrended ranks are
 * positively autocorrelated (only significant lags count). work: 2 n
 * doubles of the caller's; it cannot fail. */
double pl_hamed_rao_factor(const double *x, const double *y, size_t n, double slope, double *work);

/* One-sided p-value that the series grows, from S and its variance
 * (continuity-corrected normal approximation). */
double pl_mk_p_increasing(double s, double var_s);

/* Theil-Sen slope of y on x with Sen's interval at the two-sided level
 * conf (e.g. 0.95) using var_s as the variance of S; also the median
 * intercept. 0; 1 when there is no trend to fit (n < 2, or every x the
 * same: samples that share one time); -1 when out of memory. */
int pl_theil_sen(const double *x, const double *y, size_t n, double var_s, double conf,
                 double *slope, double *lo, double *hi, double *intercept);

#endif
