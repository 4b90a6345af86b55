/* rowsort.c - an external merge sort of timed rows for convert: a wrapped
 * circular log or overlapping files must be written in time order, and
 * ten million rows of a wide log do not fit in memory (668 MB were held
 * for 10 M rows before). A chunk of rows is sorted in memory; full chunks
 * go to an unlinked temporary file as sorted runs, read back through a
 * small buffer each and merged. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/rowsort.h"
#include "util/internal.h"

#define DEFAULT_CHUNK ((size_t)32 << 20)
#define RUN_BUF ((size_t)64 << 10)

/* A record: time, sequence number, then the values. */
typedef struct run {
    long off;          /* first record in the file */
    size_t n, next;    /* records, and the next to read */
    unsigned char *buf;
    size_t nbuf, pos;  /* records in buf, and the current one */
} run;

struct pl_rowsort {
    size_t ncols, rec, chunk_rows;
    unsigned char *chunk;
    size_t n;          /* records in the chunk */
    uint64_t seq;
    FILE *f;           /* tmpfile(): removed by the system when closed */
    run *runs;
    size_t nruns, capruns;
};

int pl_rowsort_create(pl_rowsort **out, size_t ncols, size_t chunk_bytes, pl_error *err)
{
    pl_rowsort *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s)
        return pl_err(err, PL_ENOMEM, "out of memory sorting rows");
    s->ncols = ncols;
    s->rec = 16 + ncols * sizeof(double);
    s->chunk_rows = (chunk_bytes ? chunk_bytes : DEFAULT_CHUNK) / s->rec;
    if (s->chunk_rows < 2)
        s->chunk_rows = 2;
    if (!(s->chunk = malloc(s->chunk_rows * s->rec))) {
        free(s);
        return pl_err(err, PL_ENOMEM, "out of memory sorting rows");
    }
    *out = s;
    return PL_OK;
}

void pl_rowsort_free(pl_rowsort *s)
{
    size_t i;
    if (!s)
        return;
    for (i = 0; i < s->nruns; i++)
        free(s->runs[i].buf);
    free(s->runs);
    free(s->chunk);
    if (s->f)
        fclose(s->f);
    free(s);
}

static int cmp_rec(const void *x, const void *y)
{
    pl_time a, b;
    uint64_t sa, sb;
    memcpy(&a, x, 8);
    memcpy(&b, y, 8);
    if (a != b)
        return a < b ? -1 : 1;
    memcpy(&sa, (const unsigned char *)x + 8, 8);
    memcpy(&sb, (const unsigned char *)y + 8, 8);
    return sa < sb ? -1 : sa > sb;
}

/* The chunk, sorted, as a run at the end of the file. */
static int spill(pl_rowsort *s, pl_error *err)
{
    run *r;
    if (!s->n)
        return PL_OK;
    qsort(s->chunk, s->n, s->rec, cmp_rec);
    if (!s->f && !(s->f = tmpfile()))
        return pl_err(err, PL_EIO, "cannot create a temporary file to sort rows in: %s",
                      strerror(errno));
    if (pl_grow(&s->runs, &s->capruns, s->nruns + 1, sizeof *s->runs))
        return pl_err(err, PL_ENOMEM, "out of memory sorting rows");
    if (fseek(s->f, 0, SEEK_END) != 0)
        return pl_err(err, PL_EIO, "temporary file for sorting rows: %s", strerror(errno));
    r = &s->runs[s->nruns];
    memset(r, 0, sizeof *r);
    r->off = ftell(s->f);
    r->n = s->n;
    if (r->off < 0 || fwrite(s->chunk, s->rec, s->n, s->f) != s->n)
        return pl_err(err, PL_EIO, "temporary file for sorting rows: cannot write: %s",
                      strerror(errno));
    s->nruns++;
    s->n = 0;
    return PL_OK;
}

int pl_rowsort_add(pl_rowsort *s, pl_time t, const double *v, pl_error *err)
{
    unsigned char *p;
    int rc;
    if (s->n == s->chunk_rows && (rc = spill(s, err)) != PL_OK)
        return rc;
    p = s->chunk + s->n * s->rec;
    memcpy(p, &t, 8);
    memcpy(p + 8, &s->seq, 8);
    memcpy(p + 16, v, s->ncols * sizeof(double));
    s->seq++;
    s->n++;
    return PL_OK;
}

/* The current record of run r, refilling its buffer; NULL when done. */
static const unsigned char *run_head(pl_rowsort *s, run *r, int *failed)
{
    if (r->pos < r->nbuf)
        return r->buf + r->pos * s->rec;
    if (r->next == r->n)
        return NULL;
    {
        size_t per = RUN_BUF / s->rec ? RUN_BUF / s->rec : 1, k = r->n - r->next < per ? r->n - r->next : per;
        if (!r->buf && !(r->buf = malloc(per * s->rec))) {
            *failed = PL_ENOMEM;
            return NULL;
        }
        if (fseek(s->f, r->off + (long)(r->next * s->rec), SEEK_SET) != 0 ||
            fread(r->buf, s->rec, k, s->f) != k) {
            *failed = PL_EIO;
            return NULL;
        }
        r->next += k;
        r->nbuf = k;
        r->pos = 0;
    }
    return r->buf;
}

int pl_rowsort_each(pl_rowsort *s, int (*fn)(void *ctx, pl_time t, const double *v, pl_error *err),
                    void *ctx, pl_error *err)
{
    double *row = malloc((s->ncols ? s->ncols : 1) * sizeof *row);
    int rc = PL_OK, failed = 0;
    size_t i;
    if (!row)
        return pl_err(err, PL_ENOMEM, "out of memory sorting rows");
    if (s->nruns == 0) {
        /* everything fitted in the chunk: no file */
        qsort(s->chunk, s->n, s->rec, cmp_rec);
        for (i = 0; i < s->n && rc == PL_OK; i++) {
            pl_time t;
            memcpy(&t, s->chunk + i * s->rec, 8);
            memcpy(row, s->chunk + i * s->rec + 16, s->ncols * sizeof(double));
            rc = fn(ctx, t, row, err);
        }
        free(row);
        return rc;
    }
    if ((rc = spill(s, err)) != PL_OK) {
        free(row);
        return rc;
    }
    /* k-way merge: the runs are few (one per chunk), a scan picks the
     * smallest head */
    for (;;) {
        const unsigned char *best = NULL;
        run *br = NULL;
        pl_time t;
        for (i = 0; i < s->nruns; i++) {
            const unsigned char *h = run_head(s, &s->runs[i], &failed);
            if (failed)
                break;
            if (h && (!best || cmp_rec(h, best) < 0)) {
                best = h;
                br = &s->runs[i];
            }
        }
        if (failed) {
            rc = failed == PL_ENOMEM ? pl_err(err, PL_ENOMEM, "out of memory sorting rows")
                                     : pl_err(err, PL_EIO, "temporary file for sorting rows: cannot read: %s",
                                              strerror(errno));
            break;
        }
        if (!best)
            break;
        memcpy(&t, best, 8);
        memcpy(row, best + 16, s->ncols * sizeof(double));
        br->pos++;
        if ((rc = fn(ctx, t, row, err)) != PL_OK)
            break;
    }
    free(row);
    return rc;
}
