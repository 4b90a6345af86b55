/* store.h - per-counter time series in a bounded number of time buckets.
 *
 * A series keeps every sample exactly until it holds max_buckets of them;
 * then it switches to equal-width time buckets, keeping only those that
 * hold samples, and whenever a new one would exceed max_buckets, merges
 * neighbouring pairs and doubles the width.
 * Memory per series is O(max_buckets) whatever the log's length. Samples
 * may arrive in any time order (several logs merged on time). */
#ifndef PERFLEAK_STORE_H
#define PERFLEAK_STORE_H

#include "perfleak/perfleak.h"

typedef struct pl_bucket {
    pl_time t0;     /* time of the first sample in the bucket */
    uint32_t span;  /* from t0 to the last sample: read it with pl_bucket_t1 */
    uint32_t n;     /* samples; 0 marks an empty bucket */
    double min, max, sum;
    /* The largest fall and rise from one sample to the next, over the
     * samples that came into the bucket in time order, each measured from
     * the series' sample before it (in this bucket or an earlier one); 0
     * when none fell or rose. A reset shows here as one step however many
     * samples the bucket averages. */
    float fall, rise;
} pl_bucket;

/* Bucket spans are kept in 100 ns ticks up to 2^31 of them (214 s), and in
 * milliseconds (marked by the top bit) beyond: every log format perfleak
 * reads dates its samples to the millisecond, so both are exact for them.
 * A span past 2^31 ms (24.8 days, a bucket of a log 17 years long at the
 * default size) is cut there. */
#define PL_BUCKET_SPAN_MS UINT32_C(0x80000000)

/* Time of the last sample in b. */
static inline pl_time pl_bucket_t1(const pl_bucket *b)
{
    return b->t0 + ((b->span & PL_BUCKET_SPAN_MS) ? (pl_time)(b->span & ~PL_BUCKET_SPAN_MS) * 10000
                                                  : (pl_time)b->span);
}

/* The mean of b's samples (b->n > 0). */
static inline double pl_bucket_mean(const pl_bucket *b)
{
    return b->sum / b->n;
}

/* The time halfway between b's first and last samples. */
static inline pl_time pl_bucket_mid(const pl_bucket *b)
{
    return b->t0 + (pl_bucket_t1(b) - b->t0) / 2;
}

/* Summary over every sample a series received. */
typedef struct pl_series_stats {
    size_t samples;   /* values present */
    size_t missing;   /* rows where the value was blank or unparsable */
    pl_time first_t, last_t;
    double min, max, first_value, last_value;
} pl_series_stats;

typedef struct pl_series pl_series;
typedef struct pl_store pl_store;

/* max_buckets: at least 16; 0 selects the default (416, 48 bytes each: 19.5 KiB). PL_OK;
 * PL_EUSAGE for max_buckets below 16; PL_ENOMEM. */
int pl_store_create(pl_store **out, size_t max_buckets, pl_error *err);
void pl_store_free(pl_store *s);

/* Adds an empty series; its id is returned through id. PL_OK, or
 * PL_ENOMEM. */
int pl_store_add_series(pl_store *s, size_t *id, pl_error *err);
size_t pl_store_series_count(const pl_store *s);
const pl_series *pl_store_series(const pl_store *s, size_t id);

/* Adds one sample; a NaN value counts as missing. PL_OK, or PL_ENOMEM
 * (the series then has the samples before). */
int pl_store_add(pl_store *s, size_t id, pl_time t, double v, pl_error *err);
/* Takes back the sample at time t of series id: 1 when it was alone in its
 * bucket and is gone (the statistics follow), 0 when the series has none
 * there (one missing value less is counted), -1 when it shares a bucket
 * and cannot be told apart. */
int pl_store_remove_sample(pl_store *s, size_t id, pl_time t);
/* Counts n more missing values (rows without one) for series id. */
void pl_store_add_missing(pl_store *s, size_t id, size_t n);
/* pl_store_add for n samples of one series: t[i] with v[i * stride]. */
int pl_store_add_column(pl_store *s, size_t id, const pl_time *t, const double *v, size_t stride,
                        size_t n, pl_error *err);

/* Buckets in time order, each holding at least one sample. */
size_t pl_series_bucket_count(const pl_series *s);
const pl_bucket *pl_series_buckets(const pl_series *s);
/* 1 while every sample is kept exactly (one per bucket). */
int pl_series_is_exact(const pl_series *s);
const pl_series_stats *pl_series_get_stats(const pl_series *s);

#endif
