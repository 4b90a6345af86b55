/* inputs.h - what a customer attaches, as it comes: a log, a directory
 * (C:\PerfLogs with logman's numbered run folders), an archive (zip, tar,
 * 7z, cab; tar compressed with gzip, bzip2, xz or zstd) or a single
 * compressed log (.csv.gz, .blg.xz). The logs in it are found by their
 * content, never their names, and handed over one by one as streams:
 * nothing is extracted to the file system, and a member's name (even
 * "../../etc/x" or an absolute path) is only ever a label. */
#ifndef PERFLEAK_INPUTS_H
#define PERFLEAK_INPUTS_H

#include <stddef.h>
#include <stdio.h>
#include "perfleak/import.h"

/* Bytes a member may expand to unless the caller sets more. */
#define PL_MAX_EXPAND_DEFAULT (16ULL << 30)
/* Until the caller sets a limit, a member that expands more than this
 * many times its compressed size is stopped once past PL_RATIO_AFTER
 * bytes: a compression bomb (4 GiB of zeros in 4 MB) is refused within
 * a second, and a real log (10 to 50 times) never is. */
#define PL_MAX_RATIO 1000.0
#define PL_RATIO_AFTER (64ULL << 20)

typedef struct pl_input_opts {
    unsigned long long max_expand; /* 0: PL_MAX_EXPAND_DEFAULT, and the ratio check */
    pl_warn_fn warn;               /* the files skipped are said here; may be NULL */
    void *warn_ctx;
} pl_input_opts;

/* Called for each log found, in order (a directory in name order, an
 * archive in its own order): label names it in every output
 * ("case.zip:PerfLogs/Admin/SRV01_20260302-000001/DataCollector01.blg",
 * "<stdin>" for "-"), src gives its bytes (valid during the call only).
 * A code other than PL_OK stops the walk and is returned. */
typedef int (*pl_input_fn)(void *ctx, const char *label, const pl_source *src, pl_error *err);

/* Hands every log path holds to fn. A plain file given by name is handed
 * over whatever it holds (its reader says what is wrong with it); in a
 * directory or an archive, files that are no log are skipped and listed
 * once in a warning; an archive inside one is opened one level deep.
 * PL_OK; PL_EIO (cannot open or read, naming it); PL_EFORMAT (a damaged
 * archive, naming it and where it broke; a directory or archive with no
 * log); PL_ELIMIT (a member beyond the expansion limits); PL_EUNSUPPORTED
 * (libarchive cannot be loaded); PL_ENOMEM; or fn's code. */
int pl_inputs_read(const char *path, const pl_input_opts *o, pl_input_fn fn, void *ctx,
                   pl_error *err);

/* As pl_inputs_read, for an open stream named label (read to its end,
 * not closed): a log, or an archive or compressed file read from it. */
int pl_inputs_read_stream(FILE *f, const char *label, const pl_input_opts *o, pl_input_fn fn,
                          void *ctx, pl_error *err);

/* 1 when the first bytes of a file are those of a Performance Monitor
 * log: a .blg, or text (UTF-8, UTF-16, a code page) that begins with
 * "(PDH-CSV" or "(PDH-TSV" (after blanks, a quote, a byte order mark). */
int pl_is_perfmon_log(const void *head, size_t n);

#endif
