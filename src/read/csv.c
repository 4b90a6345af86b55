/* csv.c - streaming reader for PDH-CSV and PDH-TSV logs.
 *
 * Two stages, both fed incrementally so any chunking gives the same rows:
 *   bytes --decode.c (BOM / UTF-8 check / code-page guess, iconv)--> UTF-8
 *   UTF-8 --libcsv--> header cells, then rows of (timestamp, values);
 *   after the header, regular lines skip libcsv (the fast path here, or
 *   csv_blocks.c on two threads).
 * The delimiter is sniffed from the text after the first quoted cell, the
 * format never from the file name. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "perfleak/path.h"
#include "read/csv_reader.h"
#include "read/number.h"




/* ---------- csv stage ---------- */

static int space_only(unsigned char c)
{
    return c == ' ';
}

/* libcsv grows its field buffer without bound; this caps one cell. */
static void *limited_realloc(void *p, size_t n)
{
    if (n > PL_MAX_FIELD_BYTES + 1)
        return NULL;
    return realloc(p, n);
}

static int header_done(pl_reader *r)
{
    pl_log_header h;
    size_t i;
    int rc;
    if (pl_tz_parse(r->hdr[0], &r->tz) != 0)
        return pl_csv_fail(r, NULL, PL_EFORMAT,
                    "%s:1: not a Performance Monitor log: expected a first header cell like \"(PDH-CSV 4.0) (Pacific Standard Time)(480)\", got \"%.*s\"",
                    r->name, (int)pl_utf8_prefix(r->hdr[0], 60), r->hdr[0]);
    if (r->nhdr < 2)
        return pl_csv_fail(r, NULL, PL_EFORMAT,
                    "%s:1: expected counter paths after the time-zone cell, found none",
                    r->name);
    for (i = 1; i < r->nhdr; i++) {
        pl_path p;
        pl_error perr;
        /* A Data Collector Set with a description writes it as one last
         * header cell (quotes and all), and every row then ends with " ". */
        int last = i + 1 == r->nhdr && i >= 2;
        char *clean = pl_utf8_sanitize(r->hdr[i], strlen(r->hdr[i]));
        if (!clean)
            return pl_csv_fail(r, NULL, PL_ENOMEM, "%s: out of memory", r->name);
        free(r->hdr[i]);
        r->hdr[i] = clean;
        if (pl_path_parse(clean, &p, &perr) != PL_OK) {
            if (perr.code == PL_ENOMEM)
                return pl_csv_fail(r, NULL, PL_ENOMEM, "%s: out of memory", r->name);
            if (last) {
                r->ndesc = 1;
                pl_warnf(r->warn, r->warn_ctx,
                         "%s:1: column %zu is not a counter path but text (a data collector set's description: \"%.*s...\"); it and its cells were skipped",
                         r->name, i + 1, (int)pl_utf8_prefix(clean, 40), clean);
                break;
            }
            return pl_csv_fail(r, NULL, PL_EFORMAT,
                        "%s:1: column %zu: not a Performance Monitor log: %s",
                        r->name, i + 1, perr.msg);
        }
        pl_path_clear(&p);
    }
    if (!r->tz.format[0])
        strcpy(r->tz.format, r->delim == '\t' ? "PDH-TSV" : "PDH-CSV");
    if (r->tz.bias_known == 2) {
        char offs[16];
        pl_time_format_offset(-r->tz.bias, offs, sizeof offs);
        pl_warnf(r->warn, r->warn_ctx,
                 "%s:1: the header's time zone \"%s\" was cut off with its UTC offset; assuming %s from its name",
                 r->name, r->tz.name, offs);
    }
    if (r->utc_offset_set) {
        r->tz.bias = -r->utc_offset;
        r->tz.bias_known = 3;
    } else if (!r->tz.bias_known)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s:1: the header gives no UTC offset%s%s%s; times are taken as UTC+00:00 (give the server's UTC offset, e.g. +09:00)",
                 r->name, r->tz.name[0] ? " for time zone \"" : "",
                 r->tz.name, r->tz.name[0] ? "\"" : "");
    r->ncols = r->nhdr - 1;
    r->select = malloc(r->ncols);
    r->vals = malloc(r->ncols * sizeof *r->vals);
    r->cell = malloc((r->ncols + 1) * sizeof *r->cell);
    r->cell_len = malloc((r->ncols + 1) * sizeof *r->cell_len);
    if (!r->select || !r->vals || !r->cell || !r->cell_len)
        return pl_csv_fail(r, NULL, PL_ENOMEM, "%s: out of memory for %zu columns",
                    r->name, r->ncols);
    memset(r->select, 1, r->ncols);
    if (r->ndesc)
        r->select[r->ncols - 1] = 0;
    for (i = 0; i < r->ncols; i++)
        r->vals[i] = NAN;
    h.name = r->name;
    h.tz = &r->tz;
    h.encoding = r->dec.enc_name;
    h.encoding_guessed = r->dec.enc_guessed;
    h.delimiter = r->delim;
    h.ncols = r->ncols - r->ndesc;
    h.paths = (const char *const *)(r->hdr + 1);
    h.select = r->select;
    rc = r->sink.header ? r->sink.header(r->sink.ctx, &h, &r->st.err) : PL_OK;
    if (rc != PL_OK) {
        r->st.code = rc;
        r->st.err.code = rc;
        return rc;
    }
    /* The paths were copied by whoever needed them. */
    for (i = 0; i < r->nhdr; i++)
        free(r->hdr[i]);
    free(r->hdr);
    r->hdr = NULL;
    r->nhdr = r->caphdr = 0;
    return PL_OK;
}


/* One data cell (the header's cells go to on_field). */
static void take_field(pl_reader *r, const char *f, size_t len)
{
    if (r->field == 0) {
        r->time_ok = pl_time_parse_pdh(f, len, &r->row_time) == 0;
        if (!r->time_ok && r->repairs.bad_ts++ == 0) {
            r->repairs.bad_ts_line = pl_csv_line(r);
            snprintf(r->repairs.bad_ts_text, sizeof r->repairs.bad_ts_text, "%.*s", (int)pl_utf8_prefix_n(f, len, 40), f);
        }
    } else if (r->field <= r->ncols && r->select[r->field - 1]) {
        double v;
        char dc[64];
        int k;
        const char *comma = r->decimal_comma ? memchr(f, ',', len) : NULL;
        if (comma && len < sizeof dc && !memchr(f, '.', len) &&
            !memchr(comma + 1, ',', len - (size_t)(comma - f) - 1)) {
            /* "1,5" from a ';'-separated re-save: one comma, no point */
            memcpy(dc, f, len);
            dc[comma - f] = '.';
            f = dc;
        }
        k = pl_parse_value(f, len, &v);
        if (k == 1 && fabs(v) > PL_MAX_VALUE) {
            if (r->repairs.huge_values++ == 0) {
                r->repairs.huge_value_line = pl_csv_line(r);
                r->repairs.huge_value_col = r->field + 1;
                snprintf(r->repairs.huge_value_text, sizeof r->repairs.huge_value_text, "%.*s",
                         (int)(len < 40 ? len : 40), f);
            }
        } else if (k == 1) {
            r->vals[r->field - 1] = v;
        } else if (k < 0 && r->repairs.bad_values++ == 0) {
            r->repairs.bad_value_line = pl_csv_line(r);
            r->repairs.bad_value_col = r->field + 1;
            snprintf(r->repairs.bad_value_text, sizeof r->repairs.bad_value_text, "%.*s", (int)pl_utf8_prefix_n(f, len, 40), f);
        }
    }
    r->field++;
}

static void on_field(void *s, size_t len, void *data)
{
    pl_reader *r = data;
    const char *f = s ? (const char *)s : "";
    if (r->st.code)
        return;
    if (r->in_header) {
        /* The time cell plus at most PL_MAX_COLUMNS counters. */
        if (r->nhdr > PL_MAX_COLUMNS) {
            pl_csv_fail(r, NULL, PL_ELIMIT,
                 "%s:1: more than %zu columns in the header; expected a log of at most that many counters",
                 r->name, PL_MAX_COLUMNS);
            return;
        }
        if (pl_grow(&r->hdr, &r->caphdr, r->nhdr + 1, sizeof *r->hdr) != 0) {
            pl_csv_fail(r, NULL, PL_ENOMEM, "%s:1: out of memory reading the header", r->name);
            return;
        }
        if (!(r->hdr[r->nhdr] = pl_strndup(f, len))) {
            pl_csv_fail(r, NULL, PL_ENOMEM, "%s:1: out of memory reading the header", r->name);
            return;
        }
        r->nhdr++;
        return;
    }
    take_field(r, f, len);
}



static void end_record(pl_reader *r, int c)
{
    size_t i, cells = r->field;
    r->field = 0;
    if (c == -1 && (cells != r->ncols + 1 || r->last_byte != '"')) {
        /* A last row cut short (no line end, and not ending in a closed
         * quote with every cell): the log was still being written. */
        r->repairs.dropped_last = pl_csv_line(r);
    } else if (r->time_ok) {
        if (cells < r->ncols + 1 && r->repairs.short_rows++ == 0)
            r->repairs.short_line = pl_csv_line(r);
        if (cells > r->ncols + 1 && r->repairs.long_rows++ == 0)
            r->repairs.long_line = pl_csv_line(r);
        if (r->rows && r->row_time < r->prev_time && r->repairs.backwards++ == 0)
            r->repairs.backwards_line = pl_csv_line(r);
        r->prev_time = r->row_time;
        pl_csv_deliver_row(r, r->row_time, r->vals);
        r->rows++;
    }
    for (i = 0; i < r->ncols; i++)
        r->vals[i] = NAN;
    r->records++;
}

static void on_record(int c, void *data)
{
    pl_reader *r = data;
    if (r->st.code)
        return;
    if (r->in_header) {
        r->in_header = 0;
        r->records++;
        header_done(r);
        return;
    }
    end_record(r, c);
}

static int csv_feed_lib(pl_reader *r, const char *buf, size_t n)
{
    if (n)
        r->last_byte = buf[n - 1];
    if (n && csv_parse(&r->csv, buf, n, on_field, on_record, r) != n) {
        int e = csv_error(&r->csv);
        if (e == CSV_ENOMEM || e == CSV_ETOOBIG)
            return pl_csv_fail(r, NULL, PL_ELIMIT,
                        "%s:%zu: a cell longer than %zu MiB; expected a Performance Monitor log",
                        r->name, pl_csv_line(r), PL_MAX_FIELD_BYTES >> 20);
        return pl_csv_fail(r, NULL, PL_EFORMAT, "%s:%zu: %s", r->name, pl_csv_line(r),
                    csv_strerror(e));
    }
    return r->st.code;
}

/* Splits a whole line (ending in '\n') of exactly ncols + 1 quoted cells
 * without quotes inside, as every PDH writer writes rows, into cell and
 * cell_len, as libcsv would give them. Returns 0 for any other shape,
 * which libcsv then parses. */
static int split_line(const pl_reader *r, const char *s, size_t len, const char **cell,
                      size_t *cell_len)
{
    const char *e = s + len - 1, *p = s;
    size_t k = 0, want = r->ncols + 1;
    if (e > s && e[-1] == '\r')
        e--;
    while (p < e) {
        const char *q;
        if (*p != '"' || k == want || !(q = memchr(p + 1, '"', (size_t)(e - p - 1))))
            return 0;
        if ((size_t)(q - p - 1) > PL_MAX_FIELD_BYTES)
            return 0; /* libcsv refuses it, with the message */
        cell[k] = p + 1;
        cell_len[k++] = (size_t)(q - p - 1);
        p = q + 1;
        if (p == e)
            break;
        if (*p != r->delim || ++p == e)
            return 0;
    }
    return k == want;
}

/* A regular line taken directly (else 0: libcsv parses it). */
static int fast_line(pl_reader *r, const char *s, size_t len)
{
    size_t k;
    if (!split_line(r, s, len, r->cell, r->cell_len))
        return 0;
    for (k = 0; k < r->ncols + 1 && !r->st.code; k++)
        take_field(r, r->cell[k], r->cell_len[k]);
    end_record(r, '\n');
    return 1;
}


/* Longest line held back for the fast path; longer ones go to libcsv. */
#define MAX_TAIL ((size_t)1 << 20)

int pl_csv_feed_seq(pl_reader *r, const char *buf, size_t n)
{
    while (n && !r->st.code) {
        const char *nl;
        size_t k;
        if (!r->ntail && !pl_csv_at_row_start(r)) {
            /* libcsv is in a row (or the header): give it up to the line end. */
            nl = memchr(buf, '\n', n);
            k = nl ? (size_t)(nl - buf) + 1 : n;
            csv_feed_lib(r, buf, k);
            buf += k;
            n -= k;
            continue;
        }
        nl = memchr(buf, '\n', n);
        if (!nl) {
            if (r->ntail + n > MAX_TAIL) {
                csv_feed_lib(r, r->tail, r->ntail);
                r->ntail = 0;
                csv_feed_lib(r, buf, n);
            } else if (pl_append(&r->tail, &r->ntail, &r->captail, buf, n)) {
                return pl_csv_fail(r, NULL, PL_ENOMEM, "%s: out of memory", r->name);
            }
            return r->st.code;
        }
        k = (size_t)(nl - buf) + 1;
        if (r->ntail) {
            if (pl_append(&r->tail, &r->ntail, &r->captail, buf, k))
                return pl_csv_fail(r, NULL, PL_ENOMEM, "%s: out of memory", r->name);
            if (!fast_line(r, r->tail, r->ntail))
                csv_feed_lib(r, r->tail, r->ntail);
            r->ntail = 0;
        } else if (!fast_line(r, buf, k)) {
            csv_feed_lib(r, buf, k);
        }
        buf += k;
        n -= k;
    }
    return r->st.code;
}

/* Text after decoding: in block mode once the header is read and two
 * threads are allowed, else line by line here. */
static int csv_feed(pl_reader *r, const char *buf, size_t n)
{
    if (!r->par.par_on && !r->par.par_off && r->par.threads >= 2) {
        /* The header goes the sequential way a line at a time, so that
         * block mode takes over at the first row rather than after the
         * first buffer (a megabyte of rows read on one thread). */
        while (n && !pl_csv_at_row_start(r) && !r->st.code) {
            const char *nl = memchr(buf, '\n', n);
            size_t k = nl ? (size_t)(nl - buf) + 1 : n;
            pl_csv_feed_seq(r, buf, k);
            buf += k;
            n -= k;
        }
        if (!n || r->st.code)
            return r->st.code;
        r->par.feed_seq = pl_csv_feed_seq;
        if (pl_csv_blocks_start(r) != 0) {
            r->par.par_off = 1; /* no second thread: one is enough */
            pl_csv_blocks_clear(r);
        } else if (r->ntail) {
            /* The line held back for the fast path starts the first block. */
            size_t k = r->ntail;
            r->ntail = 0;
            if (pl_csv_blocks_feed(r, r->tail, k) != PL_OK)
                return r->st.code;
        }
    }
    if (r->par.par_on)
        return pl_csv_blocks_feed(r, buf, n);
    return pl_csv_feed_seq(r, buf, n);
}

/* Decides the delimiter from the text after the first cell. PDH writes
 * that cell quoted; a spreadsheet re-save of a PDH log writes it bare, and
 * where the locale's list separator is ';' with decimal commas. */
static int csv_start(pl_reader *r, int final)
{
    size_t i, gap;
    int bare;
    if (r->npre == 0)
        return final ? pl_csv_fail(r, NULL, PL_EFORMAT,
                            "%s: empty file; expected a Performance Monitor log", r->name)
                     : PL_OK;
    /* a spreadsheet may write a blank before the first cell */
    if (r->pre[0] == ' ' && r->prescan == 0) {
        size_t k = 0;
        while (k < r->npre && r->pre[k] == ' ')
            k++;
        if (k == r->npre)
            return final ? pl_csv_fail(r, NULL, PL_EFORMAT,
                                       "%s:1: not a Performance Monitor log: the header is blank", r->name)
                         : PL_OK;
        memmove(r->pre, r->pre + k, r->npre - k);
        r->npre -= k;
        r->lead_blank = 1;
    }
    bare = r->pre[0] == '(';
    if ((r->pre[0] != '"' && !bare) || (!bare && r->npre > 1 && r->pre[1] != '(')) {
        size_t k;
        char got[48];
        for (k = 0; k < r->npre && k + 1 < sizeof got && r->pre[k] != '\n' && r->pre[k] != '\r'; k++)
            got[k] = (unsigned char)r->pre[k] < 0x20 ? '?' : r->pre[k];
        got[k] = '\0';
        /* a wrong encoding given reads a real log as this: say which */
        return pl_csv_fail(r, NULL, PL_EFORMAT,
                    "%s:1: not a Performance Monitor log: expected a header starting with \"(PDH-CSV 4.0)\", got \"%s\"%s%s%s",
                    r->name, got, r->encoding_opt ? " (read as " : "",
                    r->encoding_opt ? r->encoding_opt : "", r->encoding_opt ? ", the encoding given)" : "");
    }
    /* from where the last call stopped: text may come a character at a
     * time, and rescanning it all each time was quadratic */
    i = r->prescan > 1 ? r->prescan : 1;
    if (bare) {
        for (; i < r->npre && !strchr(",\t;\r\n", r->pre[i]); i++)
            ;
        r->prescan = i;
        i--; /* as if the cell's closing quote stood at i */
    } else {
        for (; i < r->npre && r->pre[i] != '"'; i++)
            ;
        r->prescan = i;
    }
    if (i + 1 >= r->npre) {
        if (!final && r->npre < PL_MAX_HEADER_BYTES)
            return PL_OK;       /* wait for more text */
        return pl_csv_fail(r, NULL, PL_EFORMAT,
                    "%s:1: not a Performance Monitor log: the first header cell never ends",
                    r->name);
    }
    /* a re-save may put blanks around the separator: `"..." , "..."` */
    for (gap = i + 1; gap < r->npre && r->pre[gap] == ' '; gap++)
        ;
    if (gap == r->npre && !final && r->npre < PL_MAX_HEADER_BYTES)
        return PL_OK;
    if (gap > i + 1 && gap < r->npre && strchr(",;\t", r->pre[gap])) {
        memmove(r->pre + i + 1, r->pre + gap, r->npre - gap);
        r->npre -= gap - (i + 1);
        r->lead_blank = 1;
    }
    if (r->pre[i + 1] == ',' || r->pre[i + 1] == '\t' || r->pre[i + 1] == ';') {
        r->delim = r->pre[i + 1];
    } else if (r->pre[i + 1] == '\r' || r->pre[i + 1] == '\n') {
        const char *bar = memchr(r->pre, '|', i + 1);
        return pl_csv_fail(r, NULL, PL_EFORMAT,
                    "%s:1: expected counter paths after the time-zone cell, found none%s",
                    r->name, bar ? " (the line holds '|', which is no separator a PDH log uses: ',', ';' or a tab)" : "");
    } else {
        return pl_csv_fail(r, NULL, PL_EFORMAT,
                    "%s:1: not a Performance Monitor log: expected ',', ';' or a tab after the first header cell, got '%c'",
                    r->name, (unsigned char)r->pre[i + 1] < 0x20 ? '?' : r->pre[i + 1]);
    }
    r->decimal_comma = r->delim == ';';
    if (bare || r->decimal_comma || r->lead_blank)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s:1: not as Windows writes it but re-saved by a spreadsheet (%s%s%s%s%s); read as a PDH log, though values it rounded (\"2.20E+12\") stay rounded",
                 r->name, r->lead_blank ? "blanks around the header's cells" : "",
                 r->lead_blank && (bare || r->decimal_comma) ? ", " : "",
                 bare ? "cells without quotes" : "",
                 bare && r->decimal_comma ? ", " : "",
                 r->decimal_comma ? "';' between cells, decimal commas" : "");
    if (csv_init(&r->csv, CSV_APPEND_NULL) != 0)
        return pl_csv_fail(r, NULL, PL_ENOMEM, "%s: out of memory", r->name);
    r->csv_inited = 1;
    csv_set_delim(&r->csv, (unsigned char)r->delim);
    csv_set_space_func(&r->csv, space_only);
    /* libcsv's own line ends (CR, LF) are ours: no per-byte callback. */
    csv_set_realloc_func(&r->csv, limited_realloc);
    /* libcsv grows a cell's buffer by this much at a time: large steps keep
     * a huge cell from costing a quadratic number of copies. */
    csv_set_blk_size(&r->csv, (size_t)1 << 20);
    csv_set_free_func(&r->csv, free);
    r->csv_started = 1;
    csv_feed(r, r->pre, r->npre);
    free(r->pre);
    r->pre = NULL;
    r->npre = r->cappre = r->prescan = 0;
    return r->st.code;
}

/* Hands decoded UTF-8 to the csv stage (the decoder's receiver). */
static int on_text(void *ctx, const char *buf, size_t n)
{
    pl_reader *r = ctx;
    if (r->st.code)
        return r->st.code;
    if (r->csv_started)
        return csv_feed(r, buf, n);
    if (pl_append(&r->pre, &r->npre, &r->cappre, buf, n))
        return pl_csv_fail(r, NULL, PL_ENOMEM, "%s: out of memory", r->name);
    return csv_start(r, 0);
}

/* A decoder's failure of its own becomes the reader's; one that came
 * from the csv stage is the reader's already. */
static int decoded(pl_reader *r, int rc)
{
    if (rc != PL_OK && !r->st.code)
        pl_csv_fail(r, NULL, rc, "%s", r->dec.st.err.msg);
    return r->st.code;
}

/* ---------- public ---------- */

int pl_reader_create(pl_reader **out, const char *name,
                     const pl_reader_opts *opts, const pl_reader_sink *sink,
                     pl_error *err)
{
    pl_reader *r = calloc(1, sizeof *r);
    *out = NULL;
    if (!r)
        return pl_err(err, PL_ENOMEM, "%s: out of memory", name);
    r->in_header = 1;
    r->dec.cd = (iconv_t)-1; /* pl_reader_free may come before the decoder is set up */
    r->name = pl_strdup(name);
    if (opts && opts->encoding && opts->encoding[0])
        r->encoding_opt = pl_strdup(opts->encoding);
    if (opts && opts->utc_offset_set) {
        r->utc_offset_set = 1;
        r->utc_offset = opts->utc_offset;
    }
    if (!r->name || (opts && opts->encoding && opts->encoding[0] && !r->encoding_opt) ||
        pl_decoder_init(&r->dec, r->name, r->encoding_opt, on_text, r) != PL_OK) {
        pl_reader_free(r);
        return pl_err(err, PL_ENOMEM, "%s: out of memory", name);
    }
    if (opts) {
        r->warn = opts->warn;
        r->warn_ctx = opts->warn_ctx;
        r->par.threads = opts->threads;
    }
    if (sink)
        r->sink = *sink;
    *out = r;
    return PL_OK;
}

int pl_reader_feed(pl_reader *r, const void *buf, size_t len, pl_error *err)
{
    if (!r->st.code && r->finished)
        pl_csv_fail(r, NULL, PL_EUSAGE, "%s: data fed after the end", r->name);
    if (!r->st.code && len)
        decoded(r, pl_decoder_feed(&r->dec, buf, len));
    if (r->st.code)
        return pl_csv_fail(r, err, r->st.code, "%s", r->st.err.msg);
    return PL_OK;
}

static void report_repairs(pl_reader *r)
{
    if (r->dec.invalid_seqs)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s: %zu byte sequence(s) invalid in %s were replaced by U+FFFD (name the right encoding to read them)",
                 r->name, r->dec.invalid_seqs, r->dec.enc_name);
    if (r->repairs.bad_ts)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s:%zu: %zu row(s) without a timestamp like \"09/16/2021 07:51:58.569\" were skipped (first: \"%s\")",
                 r->name, r->repairs.bad_ts_line, r->repairs.bad_ts, r->repairs.bad_ts_text);
    if (r->repairs.short_rows)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s:%zu: %zu row(s) had fewer than %zu cells; the missing values were left blank",
                 r->name, r->repairs.short_line, r->repairs.short_rows, r->ncols + 1);
    if (r->repairs.long_rows)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s:%zu: %zu row(s) had more than %zu cells; the extra cells were ignored",
                 r->name, r->repairs.long_line, r->repairs.long_rows, r->ncols + 1);
    if (r->repairs.bad_values)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s:%zu: column %zu: %zu value(s) that are not numbers (first: \"%s\") were treated as missing",
                 r->name, r->repairs.bad_value_line, r->repairs.bad_value_col, r->repairs.bad_values,
                 r->repairs.bad_value_text);
    if (r->repairs.huge_values)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s:%zu: column %zu: %zu value(s) beyond what a counter can hold (2^64; first: \"%s\") were treated as missing",
                 r->name, r->repairs.huge_value_line, r->repairs.huge_value_col, r->repairs.huge_values,
                 r->repairs.huge_value_text);
    if (r->repairs.backwards)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s:%zu: time went backwards %zu time(s) (segments out of order?); samples are ordered by time",
                 r->name, r->repairs.backwards_line, r->repairs.backwards);
    if (r->repairs.dropped_last)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s:%zu: the last row is incomplete (log still being written?) and was ignored",
                 r->name, r->repairs.dropped_last);
}

int pl_reader_finish(pl_reader *r, pl_error *err)
{
    if (r->st.code || r->finished)
        goto out;
    r->finished = 1;
    if (decoded(r, pl_decoder_finish(&r->dec)) != PL_OK)
        goto out;
    if (!r->csv_started && !r->st.code)
        csv_start(r, 1);
    if (r->st.code)
        goto out;
    pl_csv_blocks_finish(r);
    if (r->ntail) { /* the last line, without its line end */
        csv_feed_lib(r, r->tail, r->ntail);
        r->ntail = 0;
    }
    if (r->st.code)
        goto out;
    csv_fini(&r->csv, on_field, on_record, r);
    if (r->st.code)
        goto out;
    if (r->in_header) {
        pl_csv_fail(r, NULL, PL_EFORMAT, "%s:1: the header line is incomplete; expected a Performance Monitor log", r->name);
        goto out;
    }
    if (r->rows == 0 && r->repairs.bad_ts) {
        pl_csv_fail(r, NULL, PL_EFORMAT,
             "%s:%zu: expected a timestamp like \"09/16/2021 07:51:58.569\", got \"%s\" (no row had a readable time)",
             r->name, r->repairs.bad_ts_line, r->repairs.bad_ts_text);
        goto out;
    }
    report_repairs(r);
    if (r->rows == 0)
        pl_warnf(r->warn, r->warn_ctx, "%s: the log has a header but no samples", r->name);
out:
    if (r->st.code)
        return pl_csv_fail(r, err, r->st.code, "%s", r->st.err.msg);
    return PL_OK;
}

void pl_reader_free(pl_reader *r)
{
    size_t i;
    if (!r)
        return;
    /* first: a reader abandoned mid-log (its source failed) still has the
     * second thread parsing a block with the header's selection */
    pl_csv_blocks_stop_thread(r);
    pl_csv_blocks_clear(r);
    if (r->csv_inited)
        csv_free(&r->csv);
    pl_decoder_clear(&r->dec);
    for (i = 0; i < r->nhdr; i++)
        free(r->hdr[i]);
    free(r->hdr);
    free(r->pre);
    free(r->select);
    free(r->par.pcarry);
    free(r->vals);
    free(r->tail);
    free((void *)r->cell);
    free(r->cell_len);
    free(r->encoding_opt);
    free(r->name);
    free(r);
}

pl_format pl_sniff(const void *buf, size_t len)
{
    const unsigned char *b = buf;
    if (len < 4)
        return PL_FORMAT_NEED_MORE;
    /* An event-trace log starts with its buffer size (a multiple of 4 KiB
     * below 16 MiB) and has the header event's 0xC0 flag byte further on. */
    {
        uint32_t size = (uint32_t)b[0] | (uint32_t)b[1] << 8 |
                        (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
        if (size >= 0x1000 && size <= 0x1000000 && size % 0x1000 == 0)
            return PL_FORMAT_BLG;
    }
    if (len >= 8 && memcmp(b, "PDH-BIN", 7) == 0)
        return PL_FORMAT_UNKNOWN;
    if (b[0] == '"' || (b[0] == 0xEF && b[1] == 0xBB) || (b[0] == 0xFF && b[1] == 0xFE) ||
        (b[0] == 0xFE && b[1] == 0xFF) || (b[0] == '"' && b[1] == 0) || (b[0] == 0 && b[1] == '"'))
        return PL_FORMAT_TEXT;
    return PL_FORMAT_UNKNOWN;
}
