/* points.h - what the detector and its baselines share: a series as
 * arrays of bucket points, and the finding's common start. Internal. */
#ifndef PL_DETECT_POINTS_H
#define PL_DETECT_POINTS_H

#include "perfleak/detect.h"

/* Non-empty buckets as points: t in hours since the first sample. */
typedef struct pl_points {
    size_t m;
    double *t, *y;            /* midpoint time, mean */
    /* The largest fall (rise, under decline) from one sample to the next
     * at point i: between the two means when both points hold one sample
     * each, else the store's largest step into or inside bucket i, or
     * inside bucket i - 1 when that one averages several (a reset inside
     * a bucket leaves its mean halfway and the full fall to point i). */
    double *step;
    double *back;             /* the store's largest step the other way, into or inside bucket i */
    /* Scratch for the detector, at least m + 1 doubles, for one use at a
     * time: allocated with the points, so that no step of judging can
     * fail for want of memory once they exist (a verdict never changes
     * because an allocation failed). */
    double *work;
    double typical_step;      /* median step when buckets average samples, else 0 */
    int bucketed;             /* points average samples (the store left exact mode) */
    double span_h;            /* first to last sample, hours */
    pl_time t0;
} pl_points;

/* o->decline negates the values, so that a decline is judged as growth.
 * 0, or -1 when out of memory (p then empty). */
int pl_points_from_series(const pl_series *s, const pl_detect_opts *o, pl_points *p);
void pl_points_clear(pl_points *p);

/* Zeroes f and fills what every method reports the same way; returns 1
 * when the series has too little data (f is then complete), else 0. */
int pl_finding_begin(const pl_series *s, const pl_detect_opts *o, const char *method,
                     pl_finding *f);

/* 1 when some bucket of an ID Process series holds IDs only (pl_is_pid):
 * a column of values that are no IDs is an ID Process not logged. */
int pl_series_any_pid(const pl_series *pid);

/* Fills f->reason for a method's verdict with a growth figure. */
void pl_reason_growth(pl_finding *f, pl_unit unit, double span_h, const char *tail);

#endif
