/* csv_reader.h - the PDH-CSV/TSV reader's state, shared by its two files:
 * csv.c (the header, libcsv and the one-line fast path, the public
 * calls) and csv_blocks.c (the two-thread block pipeline). Internal. */
#ifndef PL_READ_CSV_READER_H
#define PL_READ_CSV_READER_H

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <csv.h>
#include "perfleak/import.h"
#include "read/decode.h"
#include "util/internal.h"
#include "util/pool.h"

/* The largest magnitude a counter can hold (2^64): a larger value in a
 * log is damage, not data, and would overflow sums and scales. */
#define PL_MAX_VALUE 18446744073709551616.0

/* Limits that keep hostile input from exhausting memory. */
#define PL_MAX_FIELD_BYTES ((size_t)16 << 20)
#define PL_MAX_COLUMNS ((size_t)200000)

/* What a text reader mended or left out, each with its first line (and
 * cell), reported once when the log ends. */
typedef struct pl_csv_repairs {
    size_t bad_ts, bad_ts_line;
    char bad_ts_text[64];
    size_t short_rows, short_line, long_rows, long_line;
    size_t bad_values, bad_value_line, bad_value_col;
    char bad_value_text[64];
    size_t huge_values, huge_value_line, huge_value_col;
    char huge_value_text[64];
    size_t dropped_last;   /* line of a cut-off last row, 0 if none */
    size_t backwards, backwards_line; /* rows earlier than the row before */
} pl_csv_repairs;

/* Block mode (csv_blocks.c): after the header, text is cut into blocks
 * of whole lines; blocks are parsed on two threads at once and stored
 * strictly in order, one at a time, by whichever thread is free. */
struct pl_reader;
struct block;
typedef struct pl_csv_pipeline {
    int threads;
    int par_on, par_off;   /* block mode running / not to be tried */
    int th_started, th_stop;
    pl_pool pool;          /* the second thread */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct block *blk;
    int fill;              /* block being filled, -1 none */
    size_t next_seq, store_seq;
    int storing;
    struct block *offered; /* a block whose last third of columns waits to be stored */
    struct block *acc;     /* parsed rows of short blocks, stored together */
    int offer_state;       /* 0 waiting, 1 taken, 2 done */
    int offer_rc;
    pl_error offer_err;
    /* the sequential path, for text the pipeline leaves (csv.c's) */
    int (*feed_seq)(struct pl_reader *r, const char *buf, size_t n);
    char *pcarry;          /* text after a full block's last line end */
    size_t npcarry, cappcarry;
} pl_csv_pipeline;

struct pl_reader {
    char *name;
    pl_reader_sink sink;
    char *encoding_opt;
    pl_warn_fn warn;
    void *warn_ctx;
    pl_sticky st;       /* the first failure, reported by every later call */
    int finished;

    pl_decoder dec;        /* bytes to UTF-8 */

    /* csv stage */
    int csv_started;
    char delim;
    int utc_offset_set;    /* --utc-offset given: minutes east of UTC */
    int utc_offset;
    int decimal_comma;     /* ';' between cells: "1,5" is 1.5 */
    int lead_blank;        /* the header began with blanks (a re-save) */
    char *pre;             /* decoded text held until the delimiter is known */
    size_t npre, cappre;
    size_t prescan;        /* pre[1..prescan) holds no end of the first cell */
    struct csv_parser csv;
    int csv_inited;

    /* header */
    int in_header;
    char **hdr;
    size_t nhdr, caphdr;
    pl_tz tz;
    size_t ncols;          /* cells after the time, the description's included */
    size_t ndesc;          /* 1 when the last of them is a description */
    unsigned char *select;

    /* current row */
    size_t records;        /* completed records, header included */
    size_t field;
    int time_ok;
    pl_time row_time;
    double *vals;
    size_t rows;           /* rows handed to the sink */

    pl_csv_repairs repairs; /* what was mended, reported once at the end */
    pl_time prev_time;
    char last_byte;        /* last character handed to libcsv */
    /* fast path: whole lines of the regular shape bypass libcsv */
    char *tail;            /* a line not yet ended by '\n' */
    size_t ntail, captail;
    const char **cell;     /* ncols + 1 cell starts and lengths */
    size_t *cell_len;

    pl_csv_pipeline par;   /* block mode: csv_blocks.c's */
};

/* ---------- what both files use ---------- */

/* Records a sticky error; every later call reports it again. Returns it. */
static int pl_csv_fail(pl_reader *r, pl_error *err, int code, const char *fmt, ...) PL_PRINTF(4, 5);
static int pl_csv_fail(pl_reader *r, pl_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    if (!r->st.code) {
        char msg[900];
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        pl_sticky_fail(&r->st, code, "%s", msg);
    }
    if (err && err != &r->st.err)
        *err = r->st.err;
    return r->st.code;
}

/* The line being read, 1-based. */
static inline size_t pl_csv_line(const pl_reader *r)
{
    return r->records + 1;
}

/* A row's local time (as the log writes it) as UTC. */
static inline pl_time pl_csv_to_utc(const pl_reader *r, pl_time local)
{
    return local + (pl_time)r->tz.bias * 60 * PL_TICKS_PER_SEC;
}

/* One parsed row to the sink, at its UTC time (a sink error is sticky). */
static inline void pl_csv_deliver_row(pl_reader *r, pl_time local, const double *v)
{
    int rc;
    if (!r->sink.row)
        return;
    rc = r->sink.row(r->sink.ctx, pl_csv_to_utc(r, local), v, r->ncols - r->ndesc, &r->st.err);
    if (rc != PL_OK) {
        r->st.code = rc;
        r->st.err.code = rc;
    }
}

/* At a row boundary: neither libcsv nor the fast path is inside a row. */
static inline int pl_csv_at_row_start(const pl_reader *r)
{
    return !r->in_header && r->cell && r->csv.pstate == 0 && r->field == 0;
}

/* Text through the sequential path (fast lines, else libcsv); csv.c's.
 * Returns the sticky code. */
int pl_csv_feed_seq(pl_reader *r, const char *buf, size_t n);

/* ---------- csv_blocks.c ---------- */

/* Starts block mode (the second thread): 0, or -1 when it cannot be had
 * (the reader then stays sequential). r->par.feed_seq must be set: the
 * pipeline hands what it cannot parse back through it, so that this file
 * does not call up into csv.c. */
int pl_csv_blocks_start(pl_reader *r);
/* Text in block mode. Returns the sticky code. */
int pl_csv_blocks_feed(pl_reader *r, const char *buf, size_t n);
/* Parses and stores what the blocks hold, and leaves block mode. */
void pl_csv_blocks_finish(pl_reader *r);
/* Ends the second thread once it has finished what it is doing. */
void pl_csv_blocks_stop_thread(pl_reader *r);
void pl_csv_blocks_clear(pl_reader *r);

#endif
