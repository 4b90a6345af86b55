/* pdhtime.h - the time cell of sample s of a benchmark log, as relog
 * writes it: March 2026, 15 s apart, milliseconds drawn from r. */
#ifndef BENCH_PDHTIME_H
#define BENCH_PDHTIME_H

#include <stdio.h>
#include "splitmix.h"

static inline void pdh_time_cell(long s, rng *r)
{
    long t = s * 15, day = 1 + t / 86400;
    printf("\"03/%02ld/2026 %02ld:%02ld:%02ld.%03ld\"", day > 28 ? 28 : day, t / 3600 % 24,
           t / 60 % 60, t % 60, (long)(rng_next(r) % 1000));
}

#endif
