/* compare.h - did the fix work: the culprits of a capture before a change
 * set against those of one after it, matched by what they are (a process
 * by name, a kernel pool by pool, the system's commit), never by PID or
 * instance number, each with a verdict: gone, slower, unchanged, worse,
 * new, or cannot-tell with how long to log. */
#ifndef PERFLEAK_COMPARE_H
#define PERFLEAK_COMPARE_H

#include <stdint.h>
#include "perfleak/diagnose.h"

typedef enum pl_cmp_verdict {
    PL_CMP_WORSE,       /* leaks faster after: the intervals do not overlap */
    PL_CMP_NEW,         /* healthy (or absent) before, leaks after */
    PL_CMP_UNCHANGED,   /* leaks at a rate whose intervals overlap */
    PL_CMP_SLOWER,      /* leaks slower after: the intervals do not overlap */
    PL_CMP_CANNOT_TELL, /* leaked before; the after capture cannot say */
    PL_CMP_GONE         /* leaked before, not after, which was long enough */
} pl_cmp_verdict;

/* "gone", "slower", "unchanged", "worse", "new", "cannot-tell". */
const char *pl_cmp_verdict_name(pl_cmp_verdict v);

/* One side of a comparison: the culprit there (NULL: none) and the rate of
 * its main counter (its first evidence) with the 95 % interval. */
typedef struct pl_cmp_side {
    const pl_culprit_finding *f;
    const char *counter;        /* "Private Bytes"; NULL: the culprit has no
                                 * counter of the other side's name */
    size_t index;               /* that counter in the side's analysis; SIZE_MAX: none */
    double rate, lo, hi;        /* per hour, in the counter's unit */
    pl_unit unit;
} pl_cmp_side;

typedef struct pl_comparison {
    pl_culprit_type type;
    const char *name;           /* process: its name */
    const char *service;        /* process: its IIS application pool, which
                                 * tells namesakes apart; NULL unknown */
    int pool;                   /* kernel: 0 paged, 1 nonpaged */
    const char *machine;
    unsigned kinds;             /* PL_GROWS_ bits of either side */
    pl_cmp_verdict verdict;
    pl_cmp_side before, after;
    double ratio;               /* after's rate / before's; NaN when not both */
    double log_at_least_h;      /* cannot-tell: how long the after capture must be; else NaN */
    char summary[768];
} pl_comparison;

typedef struct pl_compare pl_compare;

/* Compares the diagnosed results of two captures (each detected and
 * diagnosed; both must outlive the comparison). PL_OK or PL_ENOMEM. */
int pl_compare_create(pl_compare **out, const pl_result *before, const pl_result *after,
                      pl_error *err);
void pl_compare_free(pl_compare *c);
/* The comparisons, most urgent first (worse, new, unchanged, slower,
 * cannot-tell, gone). */
size_t pl_compare_count(const pl_compare *c);
const pl_comparison *pl_compare_item(const pl_compare *c, size_t i);
/* 0 every leak of before is gone and nothing new leaks; 1 a leak remains
 * or a new one appears; 3 what matters cannot be told (and nothing
 * remains). */
int pl_compare_status(const pl_compare *c);
/* The counters a chart of comparison i shows for one side (0 before, 1
 * after), as indexes into that side's analysis: its culprit's lives of
 * the compared counter; where that side has no culprit, every counter of
 * the same path without the instance number ("OrderSvc#1" is an OrderSvc)
 * on the same machine. At most max of them; returns how many. */
size_t pl_compare_counters(const pl_compare *c, size_t i, int side, size_t *idx, size_t max);
/* "OrderSvc on WEB01", "kernel paged pool on WEB01", "system commit on
 * WEB01". */
void pl_comparison_name(const pl_comparison *c, char *buf, size_t size);
/* "3 culprits compared: 1 gone, 1 slower, 1 new." or "No culprit in
 * either capture." */
void pl_compare_tally(const pl_compare *c, char *buf, size_t size);
/* The machines of the before capture, the first max_shown named
 * ("SRV01, SRV02 and 3 more"); "" when it names none. */
void pl_compare_machines(const pl_compare *c, size_t max_shown, char *buf, size_t size);
/* A side (0 before, 1 after) in a line: "2026-03-02 00:00 to 2026-03-04
 * 23:58 (UTC-08:00), 72.0 h, 1 log", or "no samples". */
void pl_compare_side_text(const pl_compare *c, int side, char *buf, size_t size);
const pl_result *pl_compare_before(const pl_compare *c);
const pl_result *pl_compare_after(const pl_compare *c);

#endif
