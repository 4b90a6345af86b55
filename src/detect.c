/* detect.c - the baseline leak detector: a least-squares line through the
 * bucket means, its R², and a minimum-growth gate.
 *
 * This is deliberately the simple, documented baseline (what
 * PerfmonAnalyzer-style tools do). It is fooled by warm-ups that span most
 * of a log, single steps and restarts; the robust detector replaces it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include "perfleak/detect.h"
#include "perfleak/units.h"
#include "internal.h"

const char *pl_verdict_name(pl_verdict v)
{
    switch (v) {
    case PL_VERDICT_LEAK: return "leak";
    case PL_VERDICT_OK: return "ok";
    default: return "insufficient-data";
    }
}

void pl_detect_opts_init(pl_detect_opts *o)
{
    o->min_samples = 10;
    o->min_r2 = 0.8;
    o->min_growth_pct = 10.0;
}

int pl_detect(const pl_series *s, const pl_detect_opts *opts, const char *unit,
              pl_finding *f, pl_error *err)
{
    pl_detect_opts def;
    const pl_series_stats *st = pl_series_get_stats(s);
    const pl_bucket *b = pl_series_buckets(s);
    size_t nb = pl_series_bucket_count(s), i, m = 0;
    double *x = NULL, *y = NULL, c0, c1, cov00, cov01, cov11, sumsq;
    double mean = 0, sst = 0, span_h, base, tq;
    char g[64], r[64], d[64];
    pl_time t_first = 0;

    if (!opts) {
        pl_detect_opts_init(&def);
        opts = &def;
    }
    memset(f, 0, sizeof *f);
    snprintf(f->method, sizeof f->method, "least-squares");
    f->verdict = PL_VERDICT_INSUFFICIENT;
    f->growth_pct = NAN;
    f->regime_start = f->onset = st->first_t;
    f->regime_end = st->last_t;
    if (st->samples < opts->min_samples) {
        snprintf(f->reason, sizeof f->reason,
                 "only %zu sample%s with a value; at least %zu are needed",
                 st->samples, st->samples == 1 ? "" : "s", opts->min_samples);
        return PL_OK;
    }
    if (st->last_t == st->first_t) {
        snprintf(f->reason, sizeof f->reason, "every sample has the same time");
        return PL_OK;
    }
    x = malloc(nb * sizeof *x);
    y = malloc(nb * sizeof *y);
    if (!x || !y) {
        free(x);
        free(y);
        return pl_err(err, PL_ENOMEM, "out of memory in detection");
    }
    for (i = 0; i < nb; i++) {
        if (!b[i].n)
            continue;
        if (m == 0)
            t_first = b[i].t0;
        /* Bucket midpoint in hours since the first sample. */
        x[m] = (double)((b[i].t0 - t_first) + (b[i].t1 - b[i].t0) / 2) /
               (3600.0 * PL_TICKS_PER_SEC);
        y[m] = b[i].sum / b[i].n;
        mean += y[m];
        m++;
    }
    mean /= (double)m;
    for (i = 0; i < m; i++)
        sst += (y[i] - mean) * (y[i] - mean);
    gsl_fit_linear(x, 1, y, 1, m, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
    /* Judge the whole span from the first to the last sample, not between
     * bucket midpoints, which would understate the growth. */
    span_h = (double)(st->last_t - t_first) / (3600.0 * PL_TICKS_PER_SEC);
    f->points = m;
    f->slope_per_hour = c1;
    tq = m > 2 ? gsl_cdf_tdist_Pinv(0.975, (double)(m - 2)) : 0;
    f->slope_lo = c1 - tq * sqrt(cov11);
    f->slope_hi = c1 + tq * sqrt(cov11);
    f->r2 = sst > 0 ? 1.0 - sumsq / sst : 0.0;
    if (f->r2 < 0)
        f->r2 = 0;
    f->start_level = c0;
    f->end_level = c0 + c1 * span_h;
    f->growth = f->end_level - f->start_level;
    /* Relative growth needs a base; a series starting at or below zero is
     * measured against its mean magnitude instead. */
    base = f->start_level > 0 ? f->start_level : fabs(mean);
    f->growth_pct = base > 0 ? 100.0 * f->growth / base : NAN;
    free(x);
    free(y);

    pl_format_value(fabs(f->growth), unit, g, sizeof g);
    pl_format_value(c1, unit, r, sizeof r);
    pl_format_duration(span_h * 3600, d, sizeof d);
    f->verdict = PL_VERDICT_OK;
    if (sst == 0) {
        f->confidence = 1.0;
        snprintf(f->reason, sizeof f->reason, "constant at every sample");
    } else if (c1 <= 0 || f->slope_lo <= 0) {
        f->confidence = c1 <= 0 ? 0.9 : 0.6;
        snprintf(f->reason, sizeof f->reason,
                 "no significant growth: the straight-line trend is %s/h over %s",
                 r, d);
    } else if (f->r2 < opts->min_r2) {
        f->confidence = 1.0 - f->r2;
        snprintf(f->reason, sizeof f->reason,
                 "no sustained growth: a straight line explains only %.0f%% of the variation (R\xC2\xB2 %.2f)",
                 100 * f->r2, f->r2);
    } else if (!(f->growth_pct >= opts->min_growth_pct)) {
        f->confidence = 0.7;
        snprintf(f->reason, sizeof f->reason,
                 "grew only %s (%.1f%%) over %s, below the %.0f%% gate", g,
                 isnan(f->growth_pct) ? 0.0 : f->growth_pct, d,
                 opts->min_growth_pct);
    } else {
        f->verdict = PL_VERDICT_LEAK;
        f->confidence = f->r2;
        snprintf(f->reason, sizeof f->reason,
                 "grew %s (%.0f%%) over %s at %s/h, steadily (straight-line fit R\xC2\xB2 %.2f)",
                 g, f->growth_pct, d, r, f->r2);
    }
    return PL_OK;
}
