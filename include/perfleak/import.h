/* import.h - streaming readers for Performance Monitor logs.
 *
 * A reader is fed bytes in chunks of any size and calls back once for the
 * header and once per row; the samples it reports do not depend on how the
 * input was cut. Text is handed on as UTF-8 whatever the file's encoding. */
#ifndef PERFLEAK_IMPORT_H
#define PERFLEAK_IMPORT_H

#include <stdio.h>
#include "perfleak/perfleak.h"
#include "perfleak/timestamp.h"

typedef enum pl_format {
    PL_FORMAT_UNKNOWN = 0,
    PL_FORMAT_TEXT,  /* PDH-CSV or PDH-TSV (any encoding) */
    PL_FORMAT_BLG,   /* binary .blg (event-trace container) */
    PL_FORMAT_NEED_MORE
} pl_format;

/* Guesses the format from the first len bytes of a file (never from its
 * name). PL_FORMAT_NEED_MORE when len is too short to tell. */
pl_format pl_sniff(const void *buf, size_t len);

/* What a reader knows once the header has been read. */
typedef struct pl_log_header {
    const char *name;      /* file name given to the reader */
    const pl_tz *tz;
    const char *encoding;  /* e.g. "UTF-8", "UTF-16LE", "WINDOWS-1251" */
    int encoding_guessed;  /* 1 when no BOM and no --encoding said it */
    char delimiter;        /* ',', '\t', or ';' for a spreadsheet re-save */
    size_t ncols;          /* counter columns (the timestamp not counted) */
    const char *const *paths; /* ncols UTF-8 paths, as in the header */
    unsigned char *select; /* ncols flags, all 1: set 0 to skip a column */
} pl_log_header;

typedef struct pl_reader_sink {
    void *ctx;
    /* Called once. A non-PL_OK return stops the reader with that error. */
    int (*header)(void *ctx, pl_log_header *hdr, pl_error *err);
    /* Called per data row: UTC time and ncols values, NaN where a value is
     * missing (or its column was deselected). */
    int (*row)(void *ctx, pl_time utc, const double *values, size_t n,
               pl_error *err);
    /* .blg only: columns first..hdr->ncols-1 were appended after the
     * header (an instance appeared). Rows after it carry hdr->ncols values.
     * May be NULL when the caller reads text logs only. */
    int (*columns)(void *ctx, pl_log_header *hdr, size_t first, pl_error *err);
    /* Optional, for text logs read on two threads: nrows rows at once (UTC
     * times t, values v[row * stride + column]), but only columns
     * col_lo..col_hi-1. The reader calls it twice per block, at the same
     * time from two threads: with the first two thirds of the columns and
     * meta set (it also does what row() does once per row: the thread with
     * the per-row work takes fewer columns), and with the last third. Rows of one
     * column always arrive in order. NULL: row() is used. */
    int (*rows)(void *ctx, const pl_time *t, const double *v, size_t nrows, size_t stride,
                size_t col_lo, size_t col_hi, int meta, pl_error *err);
    /* Optional, .blg only: a row as row() gives it (n values, NaN where
     * missing), with the npresent columns the sample named listed in
     * present (each once, any order); every other column is NaN. Given,
     * it is called instead of row(), so that a sink can do work in
     * proportion to what a sample holds, not to every column the log ever
     * had. NULL: row(). */
    int (*sparse_row)(void *ctx, pl_time utc, const double *values, size_t n,
                      const size_t *present, size_t npresent, pl_error *err);
} pl_reader_sink;

typedef struct pl_reader_opts {
    const char *encoding;  /* NULL: BOM, else UTF-8 if valid, else a guess */
    pl_warn_fn warn;       /* may be NULL */
    void *warn_ctx;
    int threads;           /* 2 or more: parse text logs on one thread while
                            * the sink stores rows on another (rows arrive in
                            * the same order either way); 0 or 1: one thread */
    /* Called by pl_log_read_file after each read with the bytes read so far
     * and the file's size (0 when unknown, as for a pipe). May be NULL. */
    void (*progress)(void *ctx, const char *name, unsigned long long done,
                     unsigned long long total);
    void *progress_ctx;
    /* Text logs: when set, times are taken as logged at utc_offset minutes
     * east of UTC whatever the header says (for a header whose time-zone
     * field is empty, as Chinese and Japanese Windows often write it). */
    int utc_offset_set;
    int utc_offset;
} pl_reader_opts;

typedef struct pl_reader pl_reader;

/* Creates a reader for PDH-CSV/TSV text. name is used in messages.
 * PL_OK, or PL_ENOMEM. */
int pl_reader_create(pl_reader **out, const char *name,
                     const pl_reader_opts *opts, const pl_reader_sink *sink,
                     pl_error *err);
/* Feeds len bytes. PL_OK, or an error naming the file and line:
 * PL_EFORMAT (not a PDH log), PL_EENCODING, PL_ELIMIT (a header or cell
 * beyond the reader's limits), PL_ENOMEM, or the sink's own code. Errors
 * are final: later calls return the same code. */
int pl_reader_feed(pl_reader *r, const void *buf, size_t len, pl_error *err);
/* Ends the input: flushes the last row and reports repairs as warnings.
 * PL_OK, or as pl_reader_feed (PL_EFORMAT for an empty file or one whose
 * header never ends). */
int pl_reader_finish(pl_reader *r, pl_error *err);
void pl_reader_free(pl_reader *r);

/* Rows read so far (not counting the header). */

/* A reader of binary .blg logs (Windows Vista and later), with the same
 * streaming contract. Columns are reported as they are first seen: the
 * header once the first sample is read, then the columns callback. */
typedef struct pl_blg_reader pl_blg_reader;

/* PL_OK, or PL_ENOMEM. */
int pl_blg_reader_create(pl_blg_reader **out, const char *name,
                         const pl_reader_opts *opts, const pl_reader_sink *sink,
                         pl_error *err);
/* PL_OK, or an error naming the file and offset: PL_EFORMAT (damage the
 * reader cannot step over), PL_EUNSUPPORTED (not a Vista-or-later log),
 * PL_ELIMIT, PL_ENOMEM, or the sink's own code. Final, as for text. */
int pl_blg_reader_feed(pl_blg_reader *r, const void *buf, size_t len, pl_error *err);
/* As pl_blg_reader_feed; PL_EFORMAT when no counter catalog was read. */
int pl_blg_reader_finish(pl_blg_reader *r, pl_error *err);
void pl_blg_reader_free(pl_blg_reader *r);

/* Reads one whole log, text or .blg as its first bytes say, into sink.
 * path "-" is standard input; read_size 0 reads 1 MiB at a time. The
 * buffer form feeds chunk bytes at a time (0: all at once). PL_OK, or an
 * error that starts with the file's name: PL_EIO (cannot open or read),
 * PL_EUNSUPPORTED (pre-Vista or unknown binary), or the reader's. */
int pl_log_read_file(const char *path, size_t read_size, const pl_reader_opts *opts,
                     const pl_reader_sink *sink, pl_error *err);
/* As pl_log_read_file, from an open stream (read to its end, not closed);
 * name is used in messages. */
int pl_log_read_stream(FILE *f, const char *name, size_t read_size, const pl_reader_opts *opts,
                       const pl_reader_sink *sink, pl_error *err);
int pl_log_read_buffer(const char *name, const void *buf, size_t len, size_t chunk,
                       const pl_reader_opts *opts, const pl_reader_sink *sink, pl_error *err);

/* Bytes from anywhere (a member of an archive, a decompressed stream):
 * read puts up to n bytes into buf and returns how many, 0 at the end,
 * -1 on failure with err filled (naming what failed). total: the bytes
 * expected, 0 when unknown (for progress). */
typedef struct pl_source {
    long (*read)(void *ctx, void *buf, size_t n, pl_error *err);
    void *ctx;
    unsigned long long total;
} pl_source;

/* A stream as a source: fs holds f and the name its read errors give,
 * and must live as long as the source is read. total: f's size when it
 * is a regular file, else 0. */
typedef struct pl_file_source {
    FILE *f;
    const char *name;
} pl_file_source;
pl_source pl_source_of_file(pl_file_source *fs, FILE *f, const char *name);

/* As pl_log_read_stream, from a source; name is used in messages. */
int pl_log_read_source(const char *name, const pl_source *src, size_t read_size,
                       const pl_reader_opts *opts, const pl_reader_sink *sink, pl_error *err);

#endif
