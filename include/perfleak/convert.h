/* convert.h - relog's job on Linux: any logs perfleak reads (.blg, CSV,
 * TSV) written back as one PDH-CSV or PDH-TSV log. */
#ifndef PERFLEAK_CONVERT_H
#define PERFLEAK_CONVERT_H

#include <stdio.h>
#include "perfleak/perfleak.h"

typedef struct pl_convert_opts {
    char delimiter;                 /* ',' (PDH-CSV, default) or '\t' (PDH-TSV) */
    const char *const *include;     /* counter patterns, matched as analyze
                                     * does (English names of a localized log
                                     * too); none: every counter */
    size_t n_include;
    const char *const *exclude;     /* counters left out */
    size_t n_exclude;
    const char *encoding;           /* of text inputs; NULL: detect */
    const char *begin, *end;        /* the time window, as pl_time_parse_user
                                     * takes it (relog's -b and -e); NULL: open */
    size_t every;                   /* write every Nth row inside it (relog's
                                     * -t); 0 or 1: every row */
    size_t read_size;               /* bytes per read; 0: 1 MiB */
    unsigned long long max_expand;  /* an archive member's limit (inputs.h); 0: the default */
    pl_warn_fn warn;
    void *warn_ctx;
    const char *out_name;           /* the output, for messages; NULL:
                                     * "standard output" */
    /* Progress of the writing pass, as in pl_reader_opts; may be NULL. */
    void (*progress)(void *ctx, const char *name, unsigned long long done,
                     unsigned long long total);
    void *progress_ctx;
} pl_convert_opts;

void pl_convert_opts_init(pl_convert_opts *o);

/* Writes the logs, merged and ordered by time, to out in relog's shape:
 * a quoted header with the first log's time zone and bias, one quoted
 * cell per counter, " " where a counter has no value, CRLF line ends.
 * Each file is read twice (columns first, so the header is complete) and
 * rows are streamed; logs out of time order are sorted in bounded memory
 * (runs in a temporary file). "-" reads standard input (spooled to a
 * temporary file). PL_OK; a reader's error naming the log; PL_EUSAGE when
 * no counter is left to write; PL_EIO naming the output (o->out_name, or
 * "standard output") when it cannot be written; PL_ENOMEM. */
int pl_convert(const char *const *logs, size_t nlogs, const pl_convert_opts *o, FILE *out,
               pl_error *err);

/* relog -q: each log's span and samples (within the window) and the
 * counters pl_convert would write, on out; nothing converted. Errors as
 * pl_convert's. */
int pl_convert_list(const char *const *logs, size_t nlogs, const pl_convert_opts *o, FILE *out,
                    pl_error *err);

#endif
