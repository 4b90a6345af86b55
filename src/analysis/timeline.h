/* timeline.h - the times of the log being read: its sampling interval,
 * and the rows dated far from both neighbours (a clock reset, a damaged
 * cell) that are set aside when the log ends. Owned by ingest.c; the
 * rest of the analysis sees only the log's span, rows and interval.
 * Internal. */
#ifndef PL_ANALYSIS_TIMELINE_H
#define PL_ANALYSIS_TIMELINE_H

#include <stddef.h>
#include "perfleak/perfleak.h"

#define PL_TL_DIFFS 1024  /* intervals kept for the median */
#define PL_TL_LONE 8      /* rows set aside at most */

typedef struct pl_lone_row {
    pl_time t, gap;       /* its time, and the smaller gap to a neighbour */
    size_t row;           /* 0-based */
} pl_lone_row;

typedef struct pl_timeline {
    size_t rows;          /* rows added */
    double diffs[PL_TL_DIFFS];
    size_t ndiffs;
    pl_time prev_t;       /* the last row's time */
    pl_time t1, t2;       /* the two rows before it */
    /* candidates found with the next row's time, confirmed at the end */
    pl_lone_row lone[PL_TL_LONE];
    size_t nlone;
    int lone_overflow;
    /* the smallest and largest times, to find the span without them */
    pl_time low[PL_TL_LONE + 1], high[PL_TL_LONE + 1];
    size_t nlow, nhigh;
} pl_timeline;

/* Empties tl for a new log. */
void pl_timeline_init(pl_timeline *tl);
/* Row tl->rows at time t. */
void pl_timeline_add(pl_timeline *tl, pl_time t);
/* The log's sampling interval in seconds: the upper median of the first
 * rows' positive spacings (one that was logged); 0 when none. */
double pl_timeline_interval(pl_timeline *tl);
/* After the last row: how many rows are dated more than a day and a
 * thousand intervals from both neighbours, now tl->lone[0..n); 0 when
 * none, when too many or too few rows would be left to say. */
size_t pl_timeline_far_rows(pl_timeline *tl, double interval_s);
/* The span without the n far rows: the smallest and largest times that
 * are not among them (start and end unchanged when all are). */
void pl_timeline_span_without(const pl_timeline *tl, size_t n, pl_time *start, pl_time *end);

#endif
