/* detect.h - judging one counter's series: leak, ok, or too little data,
 * with the evidence behind the verdict. */
#ifndef PERFLEAK_DETECT_H
#define PERFLEAK_DETECT_H

#include "perfleak/perfleak.h"
#include "perfleak/store.h"

typedef enum pl_verdict {
    PL_VERDICT_INSUFFICIENT = 0, /* "insufficient-data" */
    PL_VERDICT_OK,               /* "ok" */
    PL_VERDICT_LEAK              /* "leak" */
} pl_verdict;

/* The exact strings of the JSON contract. */
const char *pl_verdict_name(pl_verdict v);

typedef struct pl_detect_opts {
    size_t min_samples;     /* fewer present samples: insufficient (default 10) */
    double min_r2;          /* baseline: fit quality needed (default 0.8) */
    double min_growth_pct;  /* growth over the regime, % of start (default 10) */
} pl_detect_opts;

/* Fills opts with the defaults above. */
void pl_detect_opts_init(pl_detect_opts *opts);

typedef struct pl_finding {
    pl_verdict verdict;
    char method[32];        /* which detector judged */
    double slope_per_hour;  /* counter units per hour */
    double slope_lo, slope_hi; /* 95 % interval of the slope */
    double r2;
    double start_level, end_level; /* fitted values at regime ends */
    double growth;          /* end_level - start_level */
    double growth_pct;      /* growth / |start_level| * 100 (NaN if 0) */
    pl_time regime_start, regime_end; /* judged span */
    pl_time onset;          /* when the growth began */
    double confidence;      /* 0..1 */
    size_t points;          /* points the fit used */
    char reason[256];       /* one sentence a person can read */
} pl_finding;

/* Judges series s. unit_hint formats the reason ("bytes", "handles"...;
 * NULL for plain numbers). Returns PL_OK or PL_ENOMEM. */
int pl_detect(const pl_series *s, const pl_detect_opts *opts,
              const char *unit, pl_finding *out, pl_error *err);

#endif
