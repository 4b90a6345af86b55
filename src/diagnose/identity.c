/* identity.c - a process is its ID Process, not its instance name. When
 * the older of two w3wp exits, Perfmon renames the survivor w3wp#1 to
 * w3wp, and its counters move column. Every bucket of a Process counter
 * is given to the process whose ID Process that column had at that time
 * (a bucket in which the ID changed is left out), so each process gets
 * one series per counter, whichever column it sat in. Process V2 names
 * ("w3wp:1234") carry the ID themselves; without either, the instance
 * name stands for the process. An ID is a whole number a process can
 * have: anything else in the column (NaN, a fraction, 2^63) is "not
 * logged" there, never converted blindly. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "detect/points.h"
#include "diagnose/diagnose_internal.h"
#include "perfleak/counters.h"
#include "util/internal.h"

const char *const PL_DIAG_CTR_NAME[NCTR] = {
    "Private Bytes", "Working Set - Private", "Working Set", "Page File Bytes",
    "Virtual Bytes", "Handle Count", "Thread Count", "Pool Paged Bytes", "Pool Nonpaged Bytes"};
const pl_unit PL_DIAG_CTR_UNIT[NCTR] = {
    PL_UNIT_BYTES, PL_UNIT_BYTES, PL_UNIT_BYTES, PL_UNIT_BYTES, PL_UNIT_BYTES,
    PL_UNIT_HANDLES, PL_UNIT_THREADS, PL_UNIT_BYTES, PL_UNIT_BYTES};

/* Windows process IDs are 32-bit. */
#define PID_MAX 4294967295.0

/* c's names in English: its parts, or for a translated log its English
 * path parsed into buf (*owned set: the caller clears buf). NULL when
 * that path does not parse. */
static const pl_path *english(const pl_counter *c, pl_path *buf, int *owned)
{
    *owned = 0;
    if (!c->path_en)
        return &c->parts;
    if (pl_path_parse(c->path_en, buf, NULL) != PL_OK)
        return NULL;
    *owned = 1;
    return buf;
}

static int counter_type(const pl_path *p)
{
    int k;
    if (!p->object || !p->counter ||
        (pl_strcasecmp(p->object, "Process") != 0 && pl_strcasecmp(p->object, "Process V2") != 0))
        return -1;
    for (k = 0; k < NCTR; k++)
        if (pl_strcasecmp(p->counter, PL_DIAG_CTR_NAME[k]) == 0)
            return k;
    return -1;
}

/* "w3wp#1" -> "w3wp"; "w3wp:1234" -> "w3wp" with *pid 1234 (Process V2;
 * an ID too long to be one is left in the name). */
static void base_name(const char *inst, char *out, size_t size, long *pid)
{
    size_t n = strlen(inst), i;
    const char *colon = strrchr(inst, ':'), *hash = strrchr(inst, '#');
    *pid = -1;
    if (colon && colon[1]) {
        for (i = 1; colon[i] >= '0' && colon[i] <= '9'; i++)
            ;
        if (!colon[i] && i <= 11 && strtod(colon + 1, NULL) <= PID_MAX) {
            *pid = strtol(colon + 1, NULL, 10);
            n = (size_t)(colon - inst);
        }
    } else if (hash && hash[1]) {
        for (i = 1; hash[i] >= '0' && hash[i] <= '9'; i++)
            ;
        if (!hash[i])
            n = (size_t)(hash - inst);
    }
    if (n >= size)
        n = size - 1;
    memcpy(out, inst, n);
    out[n] = '\0';
}

static proc *find_proc(work *w, const char *machine, const char *name, long pid, int by_name)
{
    char key[512];
    size_t i;
    proc *p;
    snprintf(key, sizeof key, "%s\x1F%s\x1F%ld\x1F%d", machine, name, pid, by_name);
    if (pl_strmap_get(&w->by_key, key, &i))
        return w->p[i];
    if (pl_grow(&w->p, &w->capp, w->np + 1, sizeof *w->p) != 0 ||
        pl_strmap_put(&w->by_key, key, w->np) != 0 || !(p = calloc(1, sizeof *p)))
        return NULL;
    p->machine = machine;
    snprintf(p->name, sizeof p->name, "%s", name);
    p->pid = pid;
    p->by_name = by_name;
    p->fi = SIZE_MAX;
    w->p[w->np++] = p;
    return p;
}

size_t pl_diag_tb_len(const track *t)
{
    return t->src ? pl_series_bucket_count(t->src) : t->n;
}

int pl_diag_tb_get(const track *t, size_t j, pbucket *out)
{
    if (t->src) {
        const pl_bucket *b = &pl_series_buckets(t->src)[j];
        if (!b->n)
            return 0;
        out->t0 = b->t0;
        out->t1 = pl_bucket_t1(b);
        out->mean = pl_bucket_mean(b);
        out->max = b->max;
        return 1;
    }
    *out = t->b[j];
    return 1;
}

static void add_col(track *t, size_t col)
{
    size_t i;
    for (i = 0; i < t->ncols && t->cols[i] != col; i++)
        ;
    if (i == t->ncols && t->ncols < sizeof t->cols / sizeof *t->cols)
        t->cols[t->ncols++] = col;
}

static int add_bucket(track *t, const pl_bucket *b, size_t col);

/* A track that held a whole column gets its buckets copied, before
 * another column's are added. */
static int materialize(track *t)
{
    const pl_series *s = t->src;
    const pl_bucket *b;
    size_t i, nb;
    if (!s)
        return 0;
    b = pl_series_buckets(s);
    nb = pl_series_bucket_count(s);
    t->src = NULL;
    t->n = 0;
    for (i = 0; i < nb; i++)
        if (b[i].n && add_bucket(t, &b[i], t->src_col) != 0)
            return -1;
    return 0;
}

/* The whole column col (series s) is t's, if t has nothing yet. */
static int add_column(track *t, const pl_series *s, size_t col)
{
    const pl_bucket *b = pl_series_buckets(s);
    size_t i, nb = pl_series_bucket_count(s);
    if (!t->n && !t->src) {
        t->src = s;
        t->src_col = col;
        for (i = 0; i < nb; i++)
            t->n += b[i].n != 0;
        add_col(t, col);
        return 0;
    }
    for (i = 0; i < nb; i++)
        if (b[i].n && add_bucket(t, &b[i], col) != 0)
            return -1;
    return 0;
}

static int add_bucket(track *t, const pl_bucket *b, size_t col)
{
    if (materialize(t) != 0 || pl_grow(&t->b, &t->cap, t->n + 1, sizeof *t->b) != 0)
        return -1;
    t->b[t->n].t0 = b->t0;
    t->b[t->n].t1 = pl_bucket_t1(b);
    t->b[t->n].mean = pl_bucket_mean(b);
    t->b[t->n].max = b->max;
    t->n++;
    add_col(t, col);
    return 0;
}

/* v as a process ID, or -1 when no process has that ID. */
static long as_pid(double v)
{
    if (!pl_is_pid(v))
        return -1;
    return (long)v;
}

/* The ID Process a column had over [t0, t1]: -1 when it is not logged
 * there, is no ID, or changed within it. pid's buckets are in time
 * order. */
static long pid_during(const pl_series *pid, pl_time t0, pl_time t1)
{
    const pl_bucket *b = pl_series_buckets(pid);
    size_t n = pl_series_bucket_count(pid), lo = 0, hi = n, i;
    long v = -1;
    while (lo < hi) { /* the first bucket ending at or after t0 */
        size_t mid = lo + (hi - lo) / 2;
        if (b[mid].n == 0 || pl_bucket_t1(&b[mid]) < t0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (i = lo; i < n && (b[i].n == 0 || b[i].t0 <= t1); i++) {
        long here;
        if (!b[i].n)
            continue;
        if (b[i].min != b[i].max || (here = as_pid(b[i].min)) < 0 || (v >= 0 && v != here))
            return -1;
        v = here;
    }
    return v;
}

static int cmp_bucket(const void *x, const void *y)
{
    const pbucket *a = x, *b = y;
    return a->t0 < b->t0 ? -1 : a->t0 > b->t0;
}

/* The system's counters attribution sets against processes. */
static int note_system(work *w, const pl_counter *c, const pl_path *pp, size_t i)
{
    static const char *const sys[] = {"Pool Paged Bytes", "Pool Nonpaged Bytes", "Committed Bytes"};
    size_t q;
    if (pp->instance || !pp->object || pl_strcasecmp(pp->object, "Memory") != 0 || !pp->counter)
        return PL_OK;
    for (q = 0; q < 3; q++)
        if (pl_strcasecmp(pp->counter, sys[q]) == 0) {
            if (pl_grow(&w->sys, &w->capsys, w->nsys + 1, sizeof *w->sys) != 0)
                return PL_ENOMEM;
            w->sys[w->nsys].machine = c->parts.machine ? c->parts.machine : "";
            w->sys[w->nsys].counter = sys[q];
            w->sys[w->nsys++].ci = i;
        }
    return PL_OK;
}

/* Counter i (a Process counter of type type, instance pp->instance) given
 * to the processes it is of. */
static int collect_counter(work *w, size_t i, const pl_counter *c, const pl_path *pp, int type)
{
    const pl_series *s = pl_store_series(pl_analysis_store(w->a), c->series);
    const pl_series *pids;
    const pl_bucket *b = pl_series_buckets(s);
    size_t nb = pl_series_bucket_count(s), j, first = 0, last = nb;
    const char *m = c->parts.machine ? c->parts.machine : "";
    char name[128];
    long vpid, whole;
    proc *pr;
    base_name(pp->instance, name, sizeof name, &vpid);
    pids = vpid >= 0 ? NULL : pl_analysis_process_id(w->a, c);
    if (pids && !pl_series_any_pid(pids))
        pids = NULL; /* no value of it is an ID: as if not logged */
    while (first < nb && !b[first].n)
        first++;
    while (last > first && !b[last - 1].n)
        last--;
    if (first == nb)
        return PL_OK;
    for (j = first; j < last; j++)
        if (b[j].n > 1 && pl_bucket_t1(&b[j]) - b[j].t0 > w->bucket_ticks)
            w->bucket_ticks = pl_bucket_t1(&b[j]) - b[j].t0;
    /* the usual case: one process held the column all along */
    whole = pids ? pid_during(pids, b[first].t0, pl_bucket_t1(&b[last - 1])) : vpid;
    if (!pids || whole >= 0) {
        pr = pids || vpid >= 0 ? find_proc(w, m, name, whole, 0) : find_proc(w, m, pp->instance, -1, 1);
        return pr && add_column(&pr->t[type], s, i) == 0 ? PL_OK : PL_ENOMEM;
    }
    for (j = 0; j < nb; j++) {
        long pid;
        if (!b[j].n || (pid = pid_during(pids, b[j].t0, pl_bucket_t1(&b[j]))) < 0)
            continue;
        if (!(pr = find_proc(w, m, name, pid, 0)) || add_bucket(&pr->t[type], &b[j], i) != 0)
            return PL_ENOMEM;
    }
    return PL_OK;
}

/* Each process' span: from its first bucket to its last, any counter. */
static void spans(work *w)
{
    size_t i;
    for (i = 0; i < w->np; i++) {
        proc *pr = w->p[i];
        int k, any = 0;
        for (k = 0; k < NCTR; k++) {
            track *t = &pr->t[k];
            pl_time t0, t1;
            if (!t->n)
                continue;
            if (t->src) {
                const pl_series_stats *st = pl_series_get_stats(t->src);
                t0 = st->first_t;
                t1 = st->last_t;
            } else {
                qsort(t->b, t->n, sizeof *t->b, cmp_bucket);
                t0 = t->b[0].t0;
                t1 = t->b[t->n - 1].t1;
            }
            if (!any || t0 < pr->start)
                pr->start = t0;
            if (!any || t1 > pr->end)
                pr->end = t1;
            any = 1;
        }
    }
}

int pl_diag_collect(work *w)
{
    size_t i, n = pl_analysis_counter_count(w->a);
    int rc = PL_OK;
    for (i = 0; i < n && rc == PL_OK; i++) {
        const pl_counter *c = pl_analysis_counter(w->a, i);
        pl_path buf;
        const pl_path *pp;
        int owned, type;
        if (!(pp = english(c, &buf, &owned)))
            continue;
        type = counter_type(pp);
        rc = note_system(w, c, pp, i);
        if (rc == PL_OK && type >= 0 && pp->instance && !pl_counter_is_aggregate(pp))
            rc = collect_counter(w, i, c, pp, type);
        if (owned)
            pl_path_clear(&buf);
    }
    if (rc == PL_OK)
        spans(w);
    return rc;
}
