/* baselines.c - the simple detectors perfleak is measured against:
 * least squares with R^2 (what PerfmonAnalyzer-style tools do), Mann-Kendall
 * with Sen's slope but no autocorrelation correction, and PAL's rule of a
 * first-to-last slope of at least 100 MB an hour. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include "detect/baselines.h"
#include "detect/points.h"
#include "perfleak/units.h"
#include "util/internal.h"
#include "detect/stats.h"

int pl_detect_least_squares(const pl_series *s, const pl_detect_opts *o, pl_unit unit,
                            pl_finding *f, pl_error *err)
{
    pl_points p;
    double c0, c1, cov00, cov01, cov11, sumsq, mean = 0, sst = 0, base, tq, gate;
    char r[64], d[64];
    size_t i;
    if (pl_finding_begin(s, o, "least-squares", f))
        return PL_OK;
    if (pl_points_from_series(s, o, &p))
        return pl_err(err, PL_ENOMEM, "out of memory in detection");
    for (i = 0; i < p.m; i++)
        mean += p.y[i];
    mean /= (double)p.m;
    for (i = 0; i < p.m; i++)
        sst += (p.y[i] - mean) * (p.y[i] - mean);
    gsl_fit_linear(p.t, 1, p.y, 1, p.m, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
    f->points = p.m;
    f->slope_per_hour = c1;
    tq = p.m > 2 ? gsl_cdf_tdist_Pinv(0.975, (double)(p.m - 2)) : 0;
    f->slope_lo = c1 - tq * sqrt(cov11);
    f->slope_hi = c1 + tq * sqrt(cov11);
    f->r2 = sst > 0 ? 1.0 - sumsq / sst : 0.0;
    if (f->r2 < 0)
        f->r2 = 0;
    /* Judge the whole span from the first to the last sample, not between
     * bucket midpoints, which would understate the growth. */
    f->start_level = c0;
    f->end_level = c0 + c1 * p.span_h;
    f->growth = f->end_level - f->start_level;
    /* Relative growth needs a base; a series starting at or below zero is
     * measured against its mean magnitude instead. */
    base = f->start_level > 0 ? f->start_level : fabs(mean);
    f->growth_pct = base > 0 ? 100.0 * f->growth / base : NAN;
    gate = o->min_growth_pct;
    pl_format_value(c1, unit, r, sizeof r);
    pl_format_duration(p.span_h * 3600, d, sizeof d);
    f->verdict = PL_VERDICT_OK;
    if (sst == 0) {
        f->confidence = 1.0;
        snprintf(f->reason, sizeof f->reason, "constant at every sample");
    } else if (c1 <= 0 || f->slope_lo <= 0) {
        f->confidence = c1 <= 0 ? 0.9 : 0.6;
        snprintf(f->reason, sizeof f->reason,
                 "no significant growth: the straight-line trend is %s/h over %s", r, d);
    } else if (f->r2 < o->min_r2) {
        f->confidence = 1.0 - f->r2;
        snprintf(f->reason, sizeof f->reason,
                 "no sustained growth: a straight line explains only %.0f%% of the variation (R\xC2\xB2 %.2f)",
                 100 * f->r2, f->r2);
    } else if (!(f->growth_pct >= gate)) {
        f->confidence = 0.7;
        pl_reason_growth(f, unit, p.span_h, "");
        snprintf(f->reason + strlen(f->reason), sizeof f->reason - strlen(f->reason),
                 ", below the %.0f%% gate", gate);
    } else {
        char tail[64];
        f->verdict = PL_VERDICT_LEAK;
        f->confidence = f->r2;
        snprintf(tail, sizeof tail, ", steadily (straight-line fit R\xC2\xB2 %.2f)", f->r2);
        pl_reason_growth(f, unit, p.span_h, tail);
    }
    pl_points_clear(&p);
    return PL_OK;
}

/* At most this many points for the O(n^2) statistics: bucket means are
 * averaged in groups, as a user of the method would do. */
#define MK_MAX_POINTS 256

int pl_detect_mann_kendall(const pl_series *s, const pl_detect_opts *o, pl_unit unit,
                           pl_finding *f, pl_error *err)
{
    pl_points p;
    double *x, *y, sv, var, lo, hi, b, base;
    size_t i, n = 0, g;
    int rc;
    if (pl_finding_begin(s, o, "mann-kendall", f))
        return PL_OK;
    if (pl_points_from_series(s, o, &p))
        return pl_err(err, PL_ENOMEM, "out of memory in detection");
    g = (p.m + MK_MAX_POINTS - 1) / MK_MAX_POINTS;
    x = calloc(p.m / g + 1, sizeof *x);
    y = calloc(p.m / g + 1, sizeof *y);
    if (!x || !y) {
        free(x);
        free(y);
        pl_points_clear(&p);
        return pl_err(err, PL_ENOMEM, "out of memory in detection");
    }
    for (i = 0; i < p.m; i += g) {
        size_t j, k = 0;
        for (j = i; j < p.m && j < i + g; j++, k++) {
            x[n] += p.t[j];
            y[n] += p.y[j];
        }
        x[n] /= (double)k;
        y[n] /= (double)k;
        n++;
    }
    pl_mann_kendall(y, n, p.work, &sv, &var);
    f->p_value = pl_mk_p_increasing(sv, var);
    f->points = n;
    f->verdict = PL_VERDICT_OK;
    rc = pl_theil_sen(x, y, n, var, 0.95, &f->slope_per_hour, &lo, &hi, &b);
    if (rc < 0) {
        free(x);
        free(y);
        pl_points_clear(&p);
        return pl_err(err, PL_ENOMEM, "out of memory in detection");
    }
    if (rc > 0) {
        f->verdict = PL_VERDICT_INSUFFICIENT;
        f->confidence = 0;
        snprintf(f->reason, sizeof f->reason, n < 2 ? "no trend: fewer than two time points"
                                                    : "no trend: the samples share one time");
    } else {
        f->slope_lo = lo;
        f->slope_hi = hi;
        f->start_level = b;
        f->end_level = b + f->slope_per_hour * p.span_h;
        f->growth = f->slope_per_hour * p.span_h;
        base = b > 0 ? b : fabs(y[0]);
        f->growth_pct = base > 0 ? 100 * f->growth / base : NAN;
        if (f->p_value < 0.05 && f->growth_pct >= o->min_growth_pct) {
            f->verdict = PL_VERDICT_LEAK;
            pl_reason_growth(f, unit, p.span_h, " (Mann-Kendall trend, Sen's slope)");
        } else {
            snprintf(f->reason, sizeof f->reason, "no significant growth (Mann-Kendall p = %.2g)",
                     f->p_value);
        }
    }
    if (rc == 0)
        f->confidence = f->verdict == PL_VERDICT_LEAK ? 1 - f->p_value : f->p_value;
    free(x);
    free(y);
    pl_points_clear(&p);
    return PL_OK;
}

int pl_detect_pal(const pl_series *s, const pl_detect_opts *o, pl_unit unit,
                  pl_finding *f, pl_error *err)
{
    const pl_series_stats *st = pl_series_get_stats(s);
    double hours = (double)(st->last_t - st->first_t) / (double)PL_TICKS_PER_HOUR;
    double mb = 1048576.0 / pl_unit_bytes(unit); /* the unit's values in a MB */
    double sign = o->decline ? -1 : 1, v0 = sign * st->first_value, v1 = sign * st->last_value;
    (void)err;
    if (pl_finding_begin(s, o, "pal", f))
        return PL_OK;
    f->slope_per_hour = f->slope_lo = f->slope_hi = (v1 - v0) / hours;
    f->start_level = v0;
    f->end_level = v1;
    f->growth = v1 - v0;
    f->growth_pct = v0 > 0 ? 100 * f->growth / v0 : o->decline && v0 < 0 ? 100 * f->growth / -v0 : NAN;
    f->points = 2;
    f->verdict = f->slope_per_hour >= 100 * mb ? PL_VERDICT_LEAK : PL_VERDICT_OK;
    f->confidence = 1;
    if (f->verdict == PL_VERDICT_LEAK)
        pl_reason_growth(f, unit, hours, " (first-to-last slope of at least 100 MB/h)");
    else
        snprintf(f->reason, sizeof f->reason, "first-to-last slope below 100 MB/h");
    return PL_OK;
}
