/* points.c - what every detection method starts from: a series' buckets
 * as points in hours, and the parts of a finding they fill the same way. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "detect/points.h"
#include "detect/stats.h"
#include "perfleak/units.h"
#include "util/internal.h"

int pl_points_from_series(const pl_series *s, const pl_detect_opts *o, pl_points *p)
{
    double sign = o && o->decline ? -1 : 1;
    const pl_bucket *b = pl_series_buckets(s), *prev = NULL;
    const pl_series_stats *st = pl_series_get_stats(s);
    size_t nb = pl_series_bucket_count(s), i;
    memset(p, 0, sizeof *p);
    p->t = malloc((nb ? nb : 1) * sizeof *p->t);
    p->y = malloc((nb ? nb : 1) * sizeof *p->y);
    p->step = malloc((nb ? nb : 1) * sizeof *p->step);
    p->back = malloc((nb ? nb : 1) * sizeof *p->back);
    p->work = malloc((nb + 1) * sizeof *p->work);
    if (!p->t || !p->y || !p->step || !p->back || !p->work) {
        pl_points_clear(p);
        return -1;
    }
    p->t0 = st->first_t;
    p->span_h = (double)(st->last_t - st->first_t) / (double)PL_TICKS_PER_HOUR;
    for (i = 0; i < nb; i++) {
        double step;
        if (!b[i].n)
            continue;
        p->t[p->m] = (double)(pl_bucket_mid(&b[i]) - p->t0) /
                     (double)PL_TICKS_PER_HOUR;
        p->y[p->m] = sign * (pl_bucket_mean(&b[i]));
        if (!prev) {
            step = 0;
        } else if (prev->n == 1 && b[i].n == 1) {
            step = p->y[p->m - 1] - p->y[p->m];
        } else {
            step = sign > 0 ? b[i].fall : b[i].rise;
            if (prev->n > 1)
                step = fmax(step, sign > 0 ? prev->fall : prev->rise);
        }
        p->step[p->m] = step;
        p->back[p->m] = sign > 0 ? b[i].rise : b[i].fall;
        prev = &b[i];
        p->m++;
    }
    p->bucketed = !pl_series_is_exact(s);
    if (p->bucketed && p->m) {
        /* A bucket's largest step grows with the samples it averages and
         * their noise: what stands out is a step above the usual one. */
        memcpy(p->work, p->step, p->m * sizeof *p->work);
        p->typical_step = pl_median_inplace(p->work, p->m);
    }
    return 0;
}

void pl_points_clear(pl_points *p)
{
    free(p->t);
    free(p->y);
    free(p->step);
    free(p->work);
    free(p->back);
    memset(p, 0, sizeof *p);
}

int pl_finding_begin(const pl_series *s, const pl_detect_opts *o, const char *method,
                     pl_finding *f)
{
    const pl_series_stats *st = pl_series_get_stats(s);
    memset(f, 0, sizeof *f);
    snprintf(f->method, sizeof f->method, "%s", method);
    f->verdict = PL_VERDICT_INSUFFICIENT;
    f->growth_pct = f->p_value = f->limit = f->eta_h = f->eta_h_early = NAN;
    f->regime_start = f->onset = st->first_t;
    f->regime_end = st->last_t;
    f->lives = 1;
    if (st->samples < o->min_samples) {
        snprintf(f->reason, sizeof f->reason,
                 "only %zu sample%s with a value; at least %zu are needed", st->samples,
                 st->samples == 1 ? "" : "s", o->min_samples);
        return 1;
    }
    if (st->last_t == st->first_t) {
        snprintf(f->reason, sizeof f->reason, "every sample has the same time");
        return 1;
    }
    return 0;
}

void pl_reason_growth(pl_finding *f, pl_unit unit, double span_h, const char *tail)
{
    char g[48], r[48], d[32], pct[32] = "", p[24];
    pl_format_amount(fabs(f->growth), unit, g, sizeof g);
    pl_format_value(f->slope_per_hour, unit, r, sizeof r);
    pl_format_duration(span_h * 3600, d, sizeof d);
    if (!isnan(f->growth_pct)) {
        pl_format_pct(f->growth_pct, 0, p, sizeof p);
        snprintf(pct, sizeof pct, " (%s)", p);
    }
    snprintf(f->reason, sizeof f->reason, "%s %s%s over %s at %s/h%s",
             f->growth >= 0 ? "grew" : "fell", g, pct, d, r, tail);
}

/* 1 when some bucket of the ID Process series holds IDs only. */
int pl_series_any_pid(const pl_series *pid)
{
    const pl_bucket *b = pl_series_buckets(pid);
    size_t nb = pl_series_bucket_count(pid), i;
    for (i = 0; i < nb; i++)
        if (b[i].n && pl_is_pid(b[i].min) && pl_is_pid(b[i].max))
            return 1;
    return 0;
}
