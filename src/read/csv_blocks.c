/* csv_blocks.c - the CSV reader's two-thread pipeline: after the header,
 * text is cut into blocks of whole lines; blocks are parsed on two threads
 * at once and stored strictly in order, one at a time, by whichever thread
 * is free, so the rows are the sequential path's whatever the timing. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "read/csv_reader.h"
#include "read/number.h"

#define NBLOCKS 4
#define BLOCK_TEXT ((size_t)512 << 10)
#define BLOCK_MAX ((size_t)32 << 20) /* a block without a line end is cut here */
/* Rows stored by one call at least, as far as ACC_BYTES of values allow.
 * Storing visits every series once per call; a wide log's block holds a
 * few rows (4 of 6 000 counters in 512 KiB), and a visit costs the cache
 * misses on the series' state whatever the rows: short blocks' rows are
 * gathered first. */
#define STORE_ROWS 64
#define ACC_BYTES ((size_t)4 << 20)

enum { B_EMPTY, B_FILLING, B_FILLED, B_PARSING, B_PARSED, B_STORING };

typedef struct block {
    char *text;
    size_t n, cap;
    int state;
    size_t seq;
    pl_time *t;            /* local times of the parsed rows */
    double *v;             /* ncols values per parsed row */
    size_t rows, caprows;
    size_t clean;          /* text bytes the parsed rows cover */
} block;

/* Parses one line of the regular shape into t and v (no reader state is
 * touched: this runs beside the storing thread). 0 for anything that
 * would need a repair or a warning: the sequential path does those. */
static int clean_line(const pl_reader *r, const char *s, size_t len, pl_time *t, double *v)
{
    /* split_line's shape, with the numbers read as the cells are found:
     * a value that ends at its closing quote needs no memchr */
    const char *e = s + len - 1, *p = s, *q;
    size_t k;
    if (e > s && e[-1] == '\r')
        e--;
    if (p >= e || *p != '"' || !(q = memchr(p + 1, '"', (size_t)(e - p - 1))) ||
        (size_t)(q - p - 1) > PL_MAX_FIELD_BYTES || pl_time_parse_pdh(p + 1, (size_t)(q - p - 1), t) != 0)
        return 0;
    p = q + 1;
    for (k = 0; k < r->ncols; k++) {
        double x = NAN;
        const char *n;
        if (p >= e || *p != r->delim || ++p >= e || *p != '"')
            return 0;
        p++;
        if (r->select[k] && (n = pl_number_scan(p, e, &x)) != NULL && n < e && *n == '"') {
            q = n;
        } else {
            x = NAN;
            if (!(q = memchr(p, '"', (size_t)(e - p))) || (size_t)(q - p) > PL_MAX_FIELD_BYTES ||
                (r->select[k] && pl_parse_value(p, (size_t)(q - p), &x) < 0))
                return 0;
        }
        if (fabs(x) > PL_MAX_VALUE)
            return 0; /* the general path sets it aside, with its warning */
        v[k] = x;
        p = q + 1;
    }
    return p == e;
}

static void parse_block(const pl_reader *r, block *b)
{
    size_t off = 0;
    b->rows = 0;
    while (off < b->n) {
        const char *s = b->text + off, *nl = memchr(s, '\n', b->n - off);
        size_t len;
        if (!nl)
            break;
        len = (size_t)(nl - s) + 1;
        if (b->rows == b->caprows) {
            size_t nc = b->caprows ? b->caprows * 2 : 64;
            pl_time *nt = realloc(b->t, nc * sizeof *nt);
            double *nv;
            if (nt)
                b->t = nt;
            nv = nt ? realloc(b->v, nc * (r->ncols ? r->ncols : 1) * sizeof *nv) : NULL;
            if (!nv)
                break; /* the sequential path takes the rest */
            b->v = nv;
            b->caprows = nc;
        }
        if (!clean_line(r, s, len, &b->t[b->rows], b->v + b->rows * r->ncols))
            break;
        b->rows++;
        off += len;
    }
    b->clean = off;
}

/* A row stored from a block, counted as the sequential path counts it:
 * its line number, and whether time went backwards. */
static void count_row(pl_reader *r, pl_time local)
{
    r->row_time = local;
    if (r->rows && r->row_time < r->prev_time && r->repairs.backwards++ == 0)
        r->repairs.backwards_line = pl_csv_line(r);
    r->prev_time = r->row_time;
    r->rows++;
    r->records++;
}

/* The first column of the part of b's columns offered to the other
 * thread. The storing thread keeps two thirds of a block's: the other one
 * usually comes to its part late, from a block it was parsing, and with
 * halves the storing thread waited 4-7 ms a run for it. On the 104 MB
 * bench log: 70.1 against 71.3 ms on a calm machine, 81.5 against 85.5
 * in a slow spell (30 interleaved runs each). The rows gathered from a
 * wide log's short blocks are split in halves: a dozen blocks were parsed
 * meanwhile, and the other thread is free sooner (6 000 x 4 000: 0.66-0.70
 * against 0.73 s). */
static size_t offer_from(const pl_reader *r, const block *b)
{
    return b == r->par.acc ? r->ncols / 2 : r->ncols * 2 / 3;
}

/* Stores the offered part of the columns of the block being stored, with
 * r->par.mu held (released while storing), on whichever thread gets to it. */
static void store_offered(pl_reader *r)
{
    block *b = r->par.offered;
    r->par.offer_state = 1;
    pthread_mutex_unlock(&r->par.mu);
    r->par.offer_rc = r->sink.rows(r->sink.ctx, b->t, b->v, b->rows, r->ncols, offer_from(r, b), r->ncols - r->ndesc, 0,
                               &r->par.offer_err);
    pthread_mutex_lock(&r->par.mu);
    r->par.offer_state = 2;
    pthread_cond_broadcast(&r->par.cv);
}

/* Stores rows t/v of b (ncols values each) by column, on both threads. */
static void store_rows(pl_reader *r, block *b)
{
    int rc;
    pthread_mutex_lock(&r->par.mu);
    r->par.offered = b;
    r->par.offer_state = 0;
    r->par.offer_rc = PL_OK;
    pthread_cond_broadcast(&r->par.cv);
    pthread_mutex_unlock(&r->par.mu);
    rc = r->sink.rows(r->sink.ctx, b->t, b->v, b->rows, r->ncols, 0, offer_from(r, b), 1, &r->st.err);
    pthread_mutex_lock(&r->par.mu);
    if (r->par.offer_state == 0) /* nobody took it: store it here */
        store_offered(r);
    while (r->par.offer_state != 2)
        pthread_cond_wait(&r->par.cv, &r->par.mu);
    r->par.offered = NULL;
    if (rc == PL_OK && r->par.offer_rc != PL_OK) {
        rc = r->par.offer_rc;
        r->st.err = r->par.offer_err;
    }
    pthread_mutex_unlock(&r->par.mu);
    if (rc != PL_OK) {
        r->st.code = rc;
        r->st.err.code = rc;
    }
}

/* Stores the gathered rows, before anything that comes after them. */
static void flush_acc(pl_reader *r)
{
    if (r->par.acc && r->par.acc->rows && !r->st.code)
        store_rows(r, r->par.acc);
    if (r->par.acc)
        r->par.acc->rows = 0;
}

/* The rows one store call should take at least, for this log's width. */
static size_t store_rows_wanted(const pl_reader *r)
{
    size_t per = ACC_BYTES / ((r->ncols ? r->ncols : 1) * sizeof(double));
    return per < 1 ? 1 : per > STORE_ROWS ? STORE_ROWS : per;
}

/* Appends b's rows to the gathered ones: 0, or -1 out of memory. */
static int gather(pl_reader *r, const block *b)
{
    block *a = r->par.acc;
    size_t need = a->rows + b->rows;
    if (need > a->caprows) {
        pl_time *nt = realloc(a->t, need * sizeof *nt);
        double *nv;
        if (!nt)
            return -1;
        a->t = nt;
        if (!(nv = realloc(a->v, need * r->ncols * sizeof *nv)))
            return -1;
        a->v = nv;
        a->caprows = need;
    }
    memcpy(a->t + a->rows, b->t, b->rows * sizeof *b->t);
    memcpy(a->v + a->rows * r->ncols, b->v, b->rows * r->ncols * sizeof *b->v);
    a->rows = need;
    return 0;
}

/* Stores a parsed block: its clean rows as the sequential path would have
 * (line numbers, order checks), then the rest sequentially. */
static void store_block(pl_reader *r, block *b)
{
    size_t i;
    if (r->st.code)
        return;
    if (!pl_csv_at_row_start(r) || r->ntail) {
        flush_acc(r);
        r->par.feed_seq(r, b->text, b->n);
        return;
    }
    if (r->sink.rows && r->ncols >= 64) {
        /* Line numbers and time order row by row, then the values by
         * column, on both threads. */
        size_t want = store_rows_wanted(r);
        for (i = 0; i < b->rows; i++) {
            count_row(r, b->t[i]);
            b->t[i] = pl_csv_to_utc(r, b->t[i]);
        }
        if (b->rows >= want && !(r->par.acc && r->par.acc->rows)) {
            store_rows(r, b);
        } else if (b->rows) {
            if (!r->par.acc || gather(r, b) != 0) {
                flush_acc(r); /* no room to gather: as it comes */
                if (!r->st.code)
                    store_rows(r, b);
            } else if (r->par.acc->rows >= want) {
                flush_acc(r);
            }
        }
    } else {
        for (i = 0; i < b->rows && !r->st.code; i++) {
            pl_csv_deliver_row(r, b->t[i], b->v + i * r->ncols);
            count_row(r, b->t[i]);
        }
    }
    if (b->clean < b->n && !r->st.code) {
        flush_acc(r);
        r->par.feed_seq(r, b->text + b->clean, b->n - b->clean);
    }
}

/* One piece of work, with r->par.mu held (released while working): store the
 * next block in order if it is parsed, else parse a filled block.
 * Returns 0 when there was nothing to do. */
static int do_work(pl_reader *r)
{
    int i, pick = -1;
    if (r->par.offered && r->par.offer_state == 0) {
        store_offered(r);
        return 1;
    }
    if (!r->par.storing)
        for (i = 0; i < NBLOCKS; i++)
            if (r->par.blk[i].state == B_PARSED && r->par.blk[i].seq == r->par.store_seq) {
                block *b = &r->par.blk[i];
                b->state = B_STORING;
                r->par.storing = 1;
                pthread_mutex_unlock(&r->par.mu);
                store_block(r, b);
                pthread_mutex_lock(&r->par.mu);
                b->state = B_EMPTY;
                b->n = 0;
                r->par.store_seq++;
                r->par.storing = 0;
                pthread_cond_broadcast(&r->par.cv);
                return 1;
            }
    for (i = 0; i < NBLOCKS; i++)
        if (r->par.blk[i].state == B_FILLED && (pick < 0 || r->par.blk[i].seq < r->par.blk[pick].seq))
            pick = i;
    if (pick < 0)
        return 0;
    r->par.blk[pick].state = B_PARSING;
    pthread_mutex_unlock(&r->par.mu);
    parse_block(r, &r->par.blk[pick]);
    pthread_mutex_lock(&r->par.mu);
    r->par.blk[pick].state = B_PARSED;
    pthread_cond_broadcast(&r->par.cv);
    return 1;
}

static void *par_thread(void *arg)
{
    pl_reader *r = arg;
    pthread_mutex_lock(&r->par.mu);
    while (!r->par.th_stop)
        if (!do_work(r))
            pthread_cond_wait(&r->par.cv, &r->par.mu);
    pthread_mutex_unlock(&r->par.mu);
    return NULL;
}

void pl_csv_blocks_clear(pl_reader *r)
{
    int i;
    if (!r->par.blk)
        return;
    for (i = 0; i < NBLOCKS; i++) {
        free(r->par.blk[i].text);
        free(r->par.blk[i].t);
        free(r->par.blk[i].v);
    }
    free(r->par.blk);
    r->par.blk = NULL;
    if (r->par.acc) {
        free(r->par.acc->t);
        free(r->par.acc->v);
        free(r->par.acc);
        r->par.acc = NULL;
    }
}

/* Ends the second thread once it has finished what it is doing. */
void pl_csv_blocks_stop_thread(pl_reader *r)
{
    if (!r->par.th_started)
        return;
    pthread_mutex_lock(&r->par.mu);
    r->par.th_stop = 1;
    pthread_cond_broadcast(&r->par.cv);
    pthread_mutex_unlock(&r->par.mu);
    pl_pool_join(&r->par.pool);
    pthread_cond_destroy(&r->par.cv);
    pthread_mutex_destroy(&r->par.mu);
    r->par.th_started = 0;
}

int pl_csv_blocks_start(pl_reader *r)
{
    int i;
    if (!(r->par.blk = calloc(NBLOCKS, sizeof *r->par.blk)))
        return -1;
    r->par.acc = calloc(1, sizeof *r->par.acc); /* none: every block stored alone */
    for (i = 0; i < NBLOCKS; i++) {
        block *b = &r->par.blk[i];
        b->cap = BLOCK_TEXT + 4096;
        if (!(b->text = malloc(b->cap)))
            return -1;
    }
    if (pthread_mutex_init(&r->par.mu, NULL))
        return -1;
    if (pthread_cond_init(&r->par.cv, NULL)) {
        pthread_mutex_destroy(&r->par.mu);
        return -1;
    }
    if (pl_pool_start(&r->par.pool, 1, par_thread, r) != 1) {
        pthread_cond_destroy(&r->par.cv);
        pthread_mutex_destroy(&r->par.mu);
        return -1;
    }
    r->par.th_started = 1;
    r->par.fill = -1;
    r->par.par_on = 1;
    return 0;
}

static const char *last_nl(const char *s, size_t n)
{
    while (n--)
        if (s[n] == '\n')
            return s + n;
    return NULL;
}

/* Hands the block being filled on; its text after the last line end (all
 * of a block without one below BLOCK_MAX stays) goes to carry. */
static void submit_fill(pl_reader *r, int whole)
{
    block *b = &r->par.blk[r->par.fill];
    size_t keep = b->n;
    if (!whole) {
        const char *nl = b->n ? last_nl(b->text, b->n) : NULL;
        keep = nl ? (size_t)(nl - b->text) + 1 : b->n;
        r->par.npcarry = 0;
        if (keep < b->n && pl_append(&r->par.pcarry, &r->par.npcarry, &r->par.cappcarry, b->text + keep, b->n - keep))
            keep = b->n; /* no room to carry: the block takes it all */
    }
    b->n = keep;
    pthread_mutex_lock(&r->par.mu);
    b->state = B_FILLED;
    r->par.fill = -1;
    pthread_cond_broadcast(&r->par.cv);
    pthread_mutex_unlock(&r->par.mu);
}

/* Takes an empty block to fill, working (or waiting) until there is one. */
static int take_block(pl_reader *r)
{
    int i, got = -1;
    pthread_mutex_lock(&r->par.mu);
    while (got < 0) {
        for (i = 0; i < NBLOCKS && got < 0; i++)
            if (r->par.blk[i].state == B_EMPTY)
                got = i;
        if (got < 0 && !do_work(r))
            pthread_cond_wait(&r->par.cv, &r->par.mu);
    }
    r->par.blk[got].state = B_FILLING;
    r->par.blk[got].seq = r->par.next_seq++;
    r->par.blk[got].n = 0;
    pthread_mutex_unlock(&r->par.mu);
    r->par.fill = got;
    return pl_append(&r->par.blk[got].text, &r->par.blk[got].n, &r->par.blk[got].cap, r->par.pcarry, r->par.npcarry);
}

static int par_failed(pl_reader *r)
{
    int f;
    pthread_mutex_lock(&r->par.mu);
    f = r->st.code;
    pthread_mutex_unlock(&r->par.mu);
    return f;
}

/* The block to fill next, taken if none is: NULL when out of memory or
 * when the second thread has failed. *room: what it takes before it is
 * full (a line longer than a block goes on 64 KiB at a time). */
static block *filling(pl_reader *r, size_t *room)
{
    block *b;
    if (par_failed(r))
        return NULL;
    if (r->par.fill < 0) {
        if (take_block(r)) {
            pl_csv_fail(r, NULL, PL_ENOMEM, "%s: out of memory", r->name);
            return NULL;
        }
        r->par.npcarry = 0;
    }
    b = &r->par.blk[r->par.fill];
    *room = b->n < BLOCK_TEXT ? BLOCK_TEXT - b->n : 65536;
    return b;
}

/* k bytes have been added to the block being filled: hands it on once it
 * is full and holds a line end (or has reached BLOCK_MAX). */
static void filled(pl_reader *r, block *b, size_t k)
{
    if (b->n >= BLOCK_TEXT && (memchr(b->text + b->n - k, '\n', k) || b->n >= BLOCK_MAX))
        submit_fill(r, b->n >= BLOCK_MAX && !last_nl(b->text, b->n));
}

int pl_csv_blocks_feed(pl_reader *r, const char *buf, size_t n)
{
    while (n) {
        size_t room, k;
        block *b = filling(r, &room);
        if (!b)
            return r->st.code;
        k = n < room ? n : room;
        if (pl_append(&b->text, &b->n, &b->cap, buf, k))
            return pl_csv_fail(r, NULL, PL_ENOMEM, "%s: out of memory", r->name);
        buf += k;
        n -= k;
        filled(r, b, k);
    }
    return PL_OK;
}

char *pl_reader_room(pl_reader *r, size_t *len)
{
    block *b;
    size_t room;
    if (r->st.code || r->finished || !r->par.par_on || r->dec.dec != PL_DEC_PASS || !(b = filling(r, &room)))
        return NULL;
    if (pl_grow(&b->text, &b->cap, b->n + room, 1))
        return NULL; /* fed the usual way, which says it is out of memory */
    *len = room;
    return b->text + b->n;
}

int pl_reader_commit(pl_reader *r, size_t n, pl_error *err)
{
    block *b = &r->par.blk[r->par.fill];
    b->n += n;
    filled(r, b, n);
    if (r->st.code)
        return pl_csv_fail(r, err, r->st.code, "%s", r->st.err.msg);
    return PL_OK;
}

/* Ends block mode: the last block, then every block stored, then the
 * second thread stopped. */
void pl_csv_blocks_finish(pl_reader *r)
{
    if (!r->par.par_on)
        return;
    if (r->par.fill < 0 && r->par.npcarry && !take_block(r))
        r->par.npcarry = 0;
    if (r->par.fill >= 0)
        submit_fill(r, 1);
    pthread_mutex_lock(&r->par.mu);
    while (r->par.store_seq < r->par.next_seq)
        if (!do_work(r))
            pthread_cond_wait(&r->par.cv, &r->par.mu);
    pthread_mutex_unlock(&r->par.mu);
    flush_acc(r); /* the other thread still takes its part */
    pl_csv_blocks_stop_thread(r);
    r->par.par_on = 0;
    r->par.par_off = 1;
}

