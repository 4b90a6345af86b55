/* diagnose.h - from counters to culprits: after the per-counter verdicts,
 * one finding per leaking process (its counters stitched by ID Process
 * across renumbered instance names, its lives across restarts), per
 * kernel pool that no process accounts for, and for commit growth that
 * no logged process explains; each with the share of the system's growth
 * it accounts for and the next step a support engineer would take. */
#ifndef PERFLEAK_DIAGNOSE_H
#define PERFLEAK_DIAGNOSE_H

#include "perfleak/analysis.h"

typedef enum pl_culprit_type {
    PL_CULPRIT_PROCESS,  /* a process, or a service across its lives */
    PL_CULPRIT_KERNEL,   /* a kernel pool: a driver */
    PL_CULPRIT_SYSTEM    /* commit growth no logged process explains */
} pl_culprit_type;

/* What grows, as bits of pl_finding_kinds. */
enum {
    PL_GROWS_MEMORY = 1,         /* Private Bytes, Working Set (- Private), Page File Bytes */
    PL_GROWS_HANDLES = 2,
    PL_GROWS_THREADS = 4,
    PL_GROWS_ADDRESS_SPACE = 8,  /* Virtual Bytes, while private memory does not */
    PL_GROWS_POOL_PAGED = 16,
    PL_GROWS_POOL_NONPAGED = 32,
    PL_GROWS_COMMIT = 64
};

/* The JSON name of one PL_GROWS_ bit: "memory", "handles", "threads",
 * "address-space", "pool-paged", "pool-nonpaged", "commit". */
const char *pl_grows_name(unsigned bit);

/* A share of a system counter's growth this culprit accounts for. */
typedef struct pl_explains {
    const char *counter;  /* the system counter's path, as in the log */
    double percent;
} pl_explains;

/* A counter's growth per hour, for the finding's figures. */
typedef struct pl_growth_rate {
    const char *counter;  /* "Private Bytes", "Handle Count", ... (English) */
    pl_unit unit;
    double per_hour;
} pl_growth_rate;

/* The next step a support engineer takes, as the diagnosis chose it;
 * the report layer says it in words (pl_next_step_text). */
typedef enum pl_next_step {
    PL_NEXT_POOLMON,           /* kernel pool: poolmon, the tag's driver */
    PL_NEXT_LOG_EVERY_PROCESS, /* system commit: log every process, RAMMap */
    PL_NEXT_RECYCLING,         /* a leak hidden by restarts: capture before one */
    PL_NEXT_UMDH,              /* a heap: UMDH snapshots, DebugDiag */
    PL_NEXT_HANDLE_TRACE,      /* handles: handle.exe, !htrace */
    PL_NEXT_THREAD_DUMPS,      /* threads: two dumps, compare stacks */
    PL_NEXT_VMMAP,             /* address space: VMMap */
    PL_NEXT_OWN_POOL,          /* a process' own pool charge: its handles */
    PL_NEXT_COMMIT_HEAP        /* commit a process accounts for: its heap */
} pl_next_step;

#define PL_DIAG_MAX_COUNTERS 16
#define PL_DIAG_MAX_EXPLAINS 4
#define PL_DIAG_MAX_RATES 8

typedef struct pl_culprit_finding {
    pl_culprit_type type;
    const char *machine;      /* without the leading \\; "" when unnamed */
    char name[128];           /* process name without #n or :PID */
    long pid;                 /* ID Process (the last life's); -1 unknown */
    int by_name;              /* no ID Process: the instance name stood for it */
    int pool;                 /* kernel: 0 paged, 1 nonpaged */
    unsigned kinds;           /* PL_GROWS_ bits */
    const char *counters[PL_DIAG_MAX_COUNTERS]; /* evidence, paths as in the log */
    size_t ncounters;
    size_t evidence[PL_DIAG_MAX_COUNTERS];      /* their counter indexes in the analysis */
    pl_explains explains[PL_DIAG_MAX_EXPLAINS];
    size_t nexplains;
    size_t restarts;          /* lives seen after the first */
    double restart_every_h;   /* typical time between restarts (NaN: none) */
    double ceiling;           /* private memory at which lives ended (NaN: none) */
    pl_time start, end;       /* the culprit's stitched span */
    pl_growth_rate rates[PL_DIAG_MAX_RATES];
    size_t nrates;
    double eta_h;             /* hours to the nearest limit (NaN: none known) */
    double pct_per_hour;      /* fastest growth relative to its level, % an hour */
    char summary[320];        /* "w3wp (PID 200): memory, handles" */
    pl_next_step next;
    int handles_feed_pool;    /* its handles are what grows the paged pool */
} pl_culprit_finding;

typedef struct pl_diagnosis pl_diagnosis;

/* Diagnoses a (after pl_analysis_detect): findings worst first (the
 * sooner a limit is reached, then the faster the relative growth). The
 * paths and machine names point into a, which must outlive the
 * diagnosis. PL_OK, or PL_ENOMEM. */
int pl_diagnose(const pl_analysis *a, pl_diagnosis **out, pl_error *err);
void pl_diagnosis_free(pl_diagnosis *d);

/* What every report and chart of findings renders: an analysis after
 * pl_analysis_detect and its diagnosis, both made once by the caller and
 * passed explicitly (neither is owned here). A renderer runs no stage
 * itself, so what it depends on is in its signature. diagnosis may be
 * NULL only where a contract says so (the counters listing). */
typedef struct pl_result {
    const pl_analysis *analysis;
    const pl_diagnosis *diagnosis;
} pl_result;

/* 1 when f has evidence and none of it is a counter finding of a (the
 * restarts of a recycled service hid it from every counter): a report
 * must then show f's evidence itself. */
int pl_culprit_hidden(const pl_analysis *a, const pl_culprit_finding *f);

/* Findings, worst first (d may be NULL: none). */
size_t pl_diagnosis_count(const pl_diagnosis *d);
const pl_culprit_finding *pl_diagnosis_finding(const pl_diagnosis *d, size_t i);
/* Processes the diagnosis followed (after stitching), and how many of
 * them it could tell by ID Process. */
size_t pl_diagnosis_processes(const pl_diagnosis *d, size_t *by_pid);

#endif
