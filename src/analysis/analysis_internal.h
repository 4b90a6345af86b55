/* analysis_internal.h - an analysis' state, shared by the files that
 * make it (analysis.c: options, warnings), read logs into it (ingest.c,
 * whose state of the log being read is pl_ingest), judge it (judge.c)
 * and answer questions about it (results.c). */
#ifndef PL_ANALYSIS_INTERNAL_H
#define PL_ANALYSIS_INTERNAL_H

#include "perfleak/analysis.h"
#include "perfleak/timestamp.h"
#include "util/strmap.h"
#include "analysis/select.h"
#include "analysis/timeline.h"

#define NO_SERIES ((size_t)-1)

/* The log being read: ingest.c's alone. */
typedef struct pl_ingest {
    pl_log_info *cur;
    size_t *col;               /* column -> series id or NO_SERIES */
    /* sparse rows (.blg): the rows that named each column, so that the
     * rest count as missing at the end, as relog's blank cells would */
    size_t *col_present;
    int sparse;
    size_t ncol;
    int col_shared;            /* two columns feed one series */
    size_t outside;            /* rows left out by the time window */
    /* sparse rows gathered (times, values and which a row named, bstride
     * columns a row) to be stored by column: one visit of a series per
     * batch rather than per row (see on_sparse_row) */
    pl_time *bt;
    double *bv;
    unsigned char *bp;
    size_t brows, bmax, bstride;
    pl_timeline tl;            /* its interval and rows dated far from the rest */
} pl_ingest;

struct pl_analysis {
    pl_analysis_opts opts;     /* opts.warn is record_warning; the caller's: */
    pl_warn_fn user_warn;
    void *user_warn_ctx;
    pl_warning *warnings;      /* kept for the reports (strings owned) */
    size_t nwarnings, capwarnings, warnings_dropped;
    int warn_oom;              /* one could not be kept: the next call says so */
    pl_window window;          /* opts.begin/end */
    char *run_command;         /* pl_analysis_set_run: what the reports say ran */
    long long run_time;        /* Unix seconds; 0 unset */
    char **include, **exclude; /* owned copies of the patterns */
    pl_selection sel;          /* over them */
    char **limit_pat;          /* user limits: pattern and value */
    double *limit_val;
    pl_store *store;
    pl_log_info *logs;
    size_t nlogs, caplogs;
    pl_counter *counters;
    size_t ncounters, capcounters;
    pl_strmap by_path;         /* "path\x1Foccurrence" -> counter index */
    pl_strmap commit_limit;    /* machine ("" none) -> series of Memory\Commit Limit */
    pl_strmap process_id;      /* process instance key -> series of its ID Process */
    size_t *pid_of;            /* after detect: each counter's ID Process series, or NO_SERIES */
    pl_strmap seen_paths;      /* paths of the log being read (repeats) */
    pl_strmap left_out;        /* English paths of _Total/Idle the default set skipped */
    pl_strmap app_pools;       /* "machine\x1Fpid\x1Fpool" of IIS worker processes */

    pl_ingest in;              /* the log being read */
};

/* ingest.c: frees the state of the log being read. */
void pl_ingest_clear(pl_analysis *a);
/* ingest.c: frees what l holds. */
void pl_log_info_clear(pl_log_info *l);

#endif
