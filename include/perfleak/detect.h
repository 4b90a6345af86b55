/* detect.h - judging one counter's series: leak, ok, or too little data,
 * with the evidence behind the verdict. */
#ifndef PERFLEAK_DETECT_H
#define PERFLEAK_DETECT_H

#include "perfleak/perfleak.h"
#include "perfleak/store.h"
#include "perfleak/counters.h"

typedef enum pl_verdict {
    PL_VERDICT_INSUFFICIENT = 0, /* "insufficient-data" */
    PL_VERDICT_OK,               /* "ok" */
    PL_VERDICT_LEAK,             /* "leak" */
    PL_VERDICT_RUNNING_OUT,      /* "running-out": free memory falling
                                  * steadily towards zero */
    PL_VERDICT_NOT_APPLICABLE    /* "not-applicable": a counter that cannot
                                  * leak (a rate, a percentage, a cache...),
                                  * described but never judged */
} pl_verdict;

/* A verdict that is something to act on: leak or running-out. */
int pl_verdict_is_finding(pl_verdict v);
/* A verdict from a judgement (leak, running-out or ok). */
int pl_verdict_is_judged(pl_verdict v);

/* The exact strings of the JSON contract. */
const char *pl_verdict_name(pl_verdict v);

/* Which detector judges. The robust one is perfleak's; the others are the
 * baselines it is measured against (make bench-accuracy). */
typedef enum pl_method {
    PL_METHOD_ROBUST = 0,     /* "robust" */
    PL_METHOD_LEAST_SQUARES,  /* "least-squares": slope, R^2 and a growth gate */
    PL_METHOD_MANN_KENDALL,   /* "mann-kendall": MK test + Sen's slope, no AC correction */
    PL_METHOD_PAL             /* "pal": endpoint slope >= 100 MB/hour */
} pl_method;

const char *pl_method_name(pl_method m);
/* -1 when the name is unknown. */
int pl_method_parse(const char *name);

typedef struct pl_detect_opts {
    pl_method method;
    size_t min_samples;     /* fewer present samples: insufficient (default 30) */
    double min_span_h;      /* a shorter span from first to last sample:
                             * insufficient, with what was seen (default 1) */
    int decline;            /* judge decline instead of growth (free memory
                             * running out); set by pl_detect_counter */
    double min_r2;          /* least-squares: fit quality needed (default 0.8) */
    double min_growth_pct;  /* growth over the judged regime, % of its start
                             * level (default 5 robust, 10 baselines) */
    double alpha;           /* significance of the trend test (default 0.01) */
} pl_detect_opts;

/* Fills opts with the defaults above (robust method). */
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
    double p_value;         /* trend test, one-sided (NaN if none) */
    int lives;              /* segments split by resets (restarts, GC) */
    double period_h;        /* cycle removed before judging, hours (0 none) */
    double limit;           /* known limit in the counter's unit (NaN none) */
    char limit_source[64];  /* e.g. "Memory\Commit Limit", "--limit" */
    double eta_h;           /* hours until the limit at the estimated rate */
    double eta_h_early;     /* ... at the upper end of the rate's interval */
    int suspect;            /* insufficient only because the log is too short
                             * or has too few samples, yet it grew as a leak
                             * does: worth a longer log */
    char reason[384];       /* one sentence a person can read */
} pl_finding;

/* Judges series s with opts->method (NULL: robust defaults). unit formats
 * the reason ("bytes", "handles"...; NULL for plain numbers). Sets limit
 * and eta fields to NaN. Returns PL_OK or PL_ENOMEM. */
int pl_detect(const pl_series *s, const pl_detect_opts *opts,
              pl_unit unit, pl_finding *out, pl_error *err);

/* As pl_detect, with the process's ID Process series (may be NULL): a
 * change of process ID starts a new life even when memory does not drop.
 * PL_OK, or PL_ENOMEM (as pl_detect). */
int pl_detect_process(const pl_series *s, const pl_series *pid, const pl_detect_opts *opts,
                      pl_unit unit, pl_finding *out, pl_error *err);

/* The wall f's eta_h runs to, as reports show it: "zero" for free memory
 * running out, else the limit in unit ("2.00 GB"). */
void pl_limit_text(const pl_finding *f, pl_unit unit, char *buf, size_t size);

/* When f's trend reaches its limit, counted from the end of the judged
 * regime: at the estimated rate (eta_h), or with earliest at the fastest
 * (eta_h_early). Only for an f whose eta is known. */
pl_time pl_finding_limit_at(const pl_finding *f, int earliest);

/* Judges a counter by what it is: kind PL_KIND_HELD by opts->method (a
 * leak or not), PL_KIND_FREE by its decline (running-out, with eta_h the
 * hours until it reaches zero), any other kind described with the same
 * figures but given PL_VERDICT_NOT_APPLICABLE and a reason that says why.
 * A counter whose samples span less than opts->min_span_h hours, or that
 * has fewer than opts->min_samples, is insufficient-data, with what it
 * showed in the reason and suspect set when it grew as a leak does.
 * pid may be NULL. Returns PL_OK or PL_ENOMEM. */
int pl_detect_counter(const pl_series *s, const pl_series *pid, const pl_detect_opts *opts,
                      pl_kind kind, pl_unit unit, pl_finding *out, pl_error *err);

#endif
