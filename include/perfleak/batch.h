/* batch.h - many servers' logs at once: each log analysed on its own,
 * several in parallel, one JSON Lines record per log in the order given. */
#ifndef PERFLEAK_BATCH_H
#define PERFLEAK_BATCH_H

#include <stdio.h>
#include "perfleak/analysis.h"

typedef struct pl_batch_summary {
    size_t logs;     /* records written */
    size_t leaky;    /* logs with at least one leak or running-out */
    size_t unjudged; /* logs read where nothing could be judged */
    size_t failed;   /* logs that could not be read (an "error" record) */
} pl_batch_summary;

/* Analyses each of logs[0..n) separately with options o (NULL: the
 * defaults; its run_command is what ran without the logs, and each
 * record's tool.command is that and its own log), jobs at a time
 * (0: one per core), and writes one compact JSON record per log to out, in
 * the order given: the JSON report, or {"log": ..., "error": ...} for a
 * log that cannot be read or analysed (memory running out on that log
 * included), both valid UTF-8 whatever the file name and the message
 * held; the next log goes on. Returns PL_OK unless writing fails or memory
 * runs out for even an error record (PL_EIO, PL_ENOMEM); per-log failures
 * are in the records and in *sum. */
int pl_batch_run(const char *const *logs, size_t n, const pl_analysis_opts *o, int jobs,
                 FILE *out, pl_batch_summary *sum, pl_error *err);

#endif
