/* winmodel.h - randomly drawn whole-server logs, modelled on Windows as
 * it is rather than on the cases the diagnosis was written for: System is
 * PID 4 and the session processes never restart, PIDs are multiples of 4,
 * Perfmon numbers namesakes by creation order (a restarted svchost takes
 * the last #n, younger namesakes move down a column), 64-bit processes
 * reserve about 2 TB, _Total and Idle are logged, Committed Bytes holds
 * the pools, sample intervals from 15 s to 5 min and logs of 1 to 3 days.
 * A healthy server draws its restarts (nightly, every few hours, a
 * Defender update, a service restart), warm-ups from minutes to hours,
 * daily cycles, GC sawtooths and thread-pool bursts within one process,
 * overlapped IIS recycling, PID churn (conhost, WmiPrvSE), a crash with
 * WerFault and a file cache that eats Available MBytes. A leaking server
 * adds exactly one culprit of a drawn kind. For the property tests of the
 * diagnosis (tests/test_winmodel.c) and `make bench-accuracy`. */
#ifndef TESTS_WINMODEL_H
#define TESTS_WINMODEL_H

#include <stddef.h>
#include <stdint.h>
#include "perfleak/diagnose.h"

typedef enum wm_leak {
    WM_HEALTHY,
    WM_HEAP,             /* a service's private memory */
    WM_HANDLES,          /* a service's handles (and the paged pool with them) */
    WM_SLOW_HANDLES,     /* 15 % in 48 h under noise and a daily cycle */
    WM_THREADS,
    WM_ADDRESS,          /* a 32-bit process' reservations, private flat */
    WM_POOL_PAGED,       /* a driver */
    WM_POOL_NONPAGED,
    WM_RECYCLED_LIMIT,   /* an app pool recycled at its private memory limit */
    WM_RECYCLED_SCHEDULE,/* an app pool that leaks, recycled every few hours */
    WM_CRASH_LOOP,       /* crashes at a limit, WerFault, restarted by the SCM */
    WM_COMMIT_UNLOGGED,  /* a process the collector did not log */
    WM_NLEAKS
} wm_leak;

typedef struct wm_expect {
    pl_culprit_type type;
    char name[32];       /* process: its name */
    int pool;            /* kernel: 0 paged, 1 nonpaged */
    unsigned kind;       /* the PL_GROWS_ bit a right finding names */
    size_t restarts;     /* at least this many */
} wm_expect;

typedef struct wm_log {
    char desc[512];      /* what was drawn, for a failing test's message */
    char *text;          /* PDH-CSV */
    size_t len;
    wm_expect expect;
    size_t nexpect;      /* 0: healthy */
    double hours;
    double interval_s;
} wm_log;

const char *wm_leak_name(wm_leak k);
/* Draws a server with leak (WM_HEALTHY: none) from seed. 0, or -1 when
 * out of memory. */
int wm_draw(uint64_t seed, wm_leak leak, wm_log *out);
void wm_free(wm_log *l);

/* Scores d against l: *tp right findings (culprit and kind), *fp others,
 * *fn the expected culprit not found. */
void wm_score(const wm_log *l, const pl_diagnosis *d, size_t *tp, size_t *fp, size_t *fn);

#endif
