/* diagnose.c - from counters to culprits (see diagnose.h).
 *
 * 1. Processes. A process is its ID Process, not its instance name: when
 *    the older of two w3wp exits, Perfmon renames the survivor w3wp#1 to
 *    w3wp, and its counters move column. Every bucket of a Process
 *    counter is given to the process whose ID Process that column had at
 *    that time (a bucket in which the ID changed is left out), so each
 *    process gets one series per counter, whichever column it sat in.
 *    Process V2 names ("w3wp:1234") carry the ID themselves; without
 *    either, the instance name stands for the process.
 * 2. Lives. Processes of one name that follow each other (one ends as
 *    the next starts) are lives of one service. When most lives grow as
 *    a leak does, the service leaks and is restarted before it runs out
 *    (an IIS pool recycled at its memory limit): per counter the restarts
 *    hide it, per life they do not. Lives that warm up to a plateau do
 *    not grow in their last part and are not a leak.
 * 3. Attribution. A kernel pool or Committed Bytes that grows is set
 *    against the growth of each process' own pool bytes or private bytes
 *    over the same time; what processes account for is part of their
 *    findings, the rest is a kernel (driver) or system finding. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "perfleak/diagnose.h"
#include "perfleak/counters.h"
#include "perfleak/units.h"
#include "util/internal.h"
#include "util/strmap.h"

/* The Process counters followed, by their English names. */
enum { C_PRIVATE, C_WS_PRIVATE, C_WS, C_PAGEFILE, C_VIRTUAL, C_HANDLES, C_THREADS,
       C_POOL_PAGED, C_POOL_NONPAGED, NCTR };
static const char *const CTR_NAME[NCTR] = {
    "Private Bytes", "Working Set - Private", "Working Set", "Page File Bytes",
    "Virtual Bytes", "Handle Count", "Thread Count", "Pool Paged Bytes", "Pool Nonpaged Bytes"};
static const pl_unit CTR_UNIT[NCTR] = {
    PL_UNIT_BYTES, PL_UNIT_BYTES, PL_UNIT_BYTES, PL_UNIT_BYTES, PL_UNIT_BYTES,
    PL_UNIT_HANDLES, PL_UNIT_THREADS, PL_UNIT_BYTES, PL_UNIT_BYTES};
/* the memory counters in the order a finding prefers them */
static const int MEMORY_CTRS[] = {C_PRIVATE, C_WS_PRIVATE, C_PAGEFILE, C_WS};

#define SHARE_OWNED 50.0   /* % of a system counter's growth processes must explain */
#define SHARE_NAMED 10.0   /* % a process must explain to be named for it */
#define LIFE_GAP_H 0.25    /* the next life starts within this after the last ended */
#define LIFE_ALONE_H 4.0   /* the least a life must span to be a finding alone */

typedef struct pbucket {
    pl_time t0, t1;
    double mean, max;
} pbucket;

/* One counter of one process: a whole column of the analysis (src, the
 * usual case: nothing is copied and the analysis' verdict stands), or
 * buckets gathered from the columns the process sat in (b). */
typedef struct track {
    const pl_series *src;   /* the column's series, when it is all this */
    size_t src_col;
    pbucket *b;
    size_t n, cap;          /* buckets held (src: its non-empty ones) */
    size_t cols[4];         /* analysis counters that fed it */
    size_t ncols;
    size_t series;          /* in the diagnosis' store, once built */
    int built;
    const pl_finding *f;    /* the verdict: the analysis' or own */
    pl_finding *own;        /* judged here (stitched, or a life) */
} track;

typedef struct proc {
    const char *machine;
    char name[128];
    long pid;
    int by_name;
    track t[NCTR];
    pl_time start, end;
    struct proc *next_life, *prev_life;
    int judged_memory_leak, judged;
    int claimed;            /* part of a finding already */
    size_t fi;              /* that finding's index, or SIZE_MAX */
} proc;

struct pl_diagnosis {
    pl_culprit_finding *f;
    size_t n, cap;
    size_t nproc, nproc_pid;
};

typedef struct work {
    const pl_analysis *a;
    pl_store *store;
    proc **p;
    size_t np, capp;
    pl_strmap by_key;         /* "machine\x1Fname\x1Fpid\x1Fby_name" -> index in p */
    struct syscounter { const char *machine, *counter; size_t ci; } *sys; /* Memory's */
    size_t nsys, capsys;
    pl_detect_opts opts;      /* the analysis': for a process and a service */
    pl_detect_opts life_opts; /* for one life of a service: hours, not days */
} work;

const char *pl_grows_name(unsigned bit)
{
    switch (bit) {
    case PL_GROWS_MEMORY: return "memory";
    case PL_GROWS_HANDLES: return "handles";
    case PL_GROWS_THREADS: return "threads";
    case PL_GROWS_ADDRESS_SPACE: return "address-space";
    case PL_GROWS_POOL_PAGED: return "pool-paged";
    case PL_GROWS_POOL_NONPAGED: return "pool-nonpaged";
    case PL_GROWS_COMMIT: return "commit";
    default: return "";
    }
}

/* ---------- processes ---------- */

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
        if (pl_strcasecmp(p->counter, CTR_NAME[k]) == 0)
            return k;
    return -1;
}

/* "w3wp#1" -> "w3wp"; "w3wp:1234" -> "w3wp" with *pid 1234 (Process V2). */
static void base_name(const char *inst, char *out, size_t size, long *pid)
{
    size_t n = strlen(inst), i;
    const char *colon = strrchr(inst, ':'), *hash = strrchr(inst, '#');
    *pid = -1;
    if (colon && colon[1]) {
        for (i = 1; colon[i] >= '0' && colon[i] <= '9'; i++)
            ;
        if (!colon[i]) {
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

static size_t tb_len(const track *t)
{
    return t->src ? pl_series_bucket_count(t->src) : t->n;
}

/* Bucket j of t (j < tb_len(t)) into out; 0 when it is empty. */
static int tb_get(const track *t, size_t j, pbucket *out)
{
    if (t->src) {
        const pl_bucket *b = &pl_series_buckets(t->src)[j];
        if (!b->n)
            return 0;
        out->t0 = b->t0;
        out->t1 = pl_bucket_t1(b);
        out->mean = b->sum / b->n;
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
    t->b[t->n].mean = b->sum / b->n;
    t->b[t->n].max = b->max;
    t->n++;
    add_col(t, col);
    return 0;
}

/* The ID Process a column had over [t0, t1]: -1 when it is not logged
 * there or changed within it. pid's buckets are in time order. */
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
        if (!b[i].n)
            continue;
        if (b[i].min != b[i].max || (v >= 0 && (double)v != b[i].min))
            return -1;
        v = (long)b[i].min;
    }
    return v;
}

static int cmp_bucket(const void *x, const void *y)
{
    const pbucket *a = x, *b = y;
    return a->t0 < b->t0 ? -1 : a->t0 > b->t0;
}

/* Every Process counter's buckets, given to the processes they are of. */
static int collect(work *w)
{
    size_t i, n = pl_analysis_counter_count(w->a);
    for (i = 0; i < n; i++) {
        const pl_counter *c = pl_analysis_counter(w->a, i);
        const pl_series *s = pl_store_series(pl_analysis_store(w->a), c->series);
        const pl_series *pids;
        const pl_bucket *b = pl_series_buckets(s);
        size_t nb = pl_series_bucket_count(s), j;
        pl_path buf;
        const pl_path *pp;
        int owned;
        char name[128];
        long vpid;
        int type;
        if (!(pp = english(c, &buf, &owned)))
            continue;
        type = counter_type(pp);
        if (type < 0 && !pp->instance && pp->object && pl_strcasecmp(pp->object, "Memory") == 0 && pp->counter) {
            /* the system's counters attribution sets against processes */
            static const char *const sys[] = {"Pool Paged Bytes", "Pool Nonpaged Bytes", "Committed Bytes"};
            size_t q;
            for (q = 0; q < 3; q++)
                if (pl_strcasecmp(pp->counter, sys[q]) == 0) {
                    if (pl_grow(&w->sys, &w->capsys, w->nsys + 1, sizeof *w->sys) != 0) {
                        if (owned) pl_path_clear(&buf);
                        return PL_ENOMEM;
                    }
                    w->sys[w->nsys].machine = c->parts.machine ? c->parts.machine : "";
                    w->sys[w->nsys].counter = sys[q];
                    w->sys[w->nsys++].ci = i;
                }
        }
        if (type < 0 || !pp->instance || pl_counter_is_aggregate(pp)) {
            if (owned) pl_path_clear(&buf);
            continue;
        }
        base_name(pp->instance, name, sizeof name, &vpid);
        pids = vpid >= 0 ? NULL : pl_analysis_process_id(w->a, c);
        {
            /* the usual case: one process held the column all along */
            size_t first = 0, last = nb;
            long whole = vpid;
            proc *pr;
            while (first < nb && !b[first].n)
                first++;
            while (last > first && !b[last - 1].n)
                last--;
            if (first == nb) {
                if (owned) pl_path_clear(&buf);
                continue;
            }
            if (pids)
                whole = pid_during(pids, b[first].t0, pl_bucket_t1(&b[last - 1]));
            if (!pids || whole >= 0) {
                const char *m = c->parts.machine ? c->parts.machine : "";
                pr = pids || vpid >= 0 ? find_proc(w, m, name, whole, 0) : find_proc(w, m, pp->instance, -1, 1);
                if (!pr || add_column(&pr->t[type], s, i) != 0) {
                    if (owned) pl_path_clear(&buf);
                    return PL_ENOMEM;
                }
                if (owned) pl_path_clear(&buf);
                continue;
            }
        }
        for (j = 0; j < nb; j++) {
            long pid = vpid;
            proc *pr;
            if (!b[j].n)
                continue;
            if (pids && (pid = pid_during(pids, b[j].t0, pl_bucket_t1(&b[j]))) < 0)
                continue;
            pr = pids || vpid >= 0 ? find_proc(w, c->parts.machine ? c->parts.machine : "", name, pid, 0)
                                   : find_proc(w, c->parts.machine ? c->parts.machine : "", pp->instance, -1, 1);
            if (!pr || add_bucket(&pr->t[type], &b[j], i) != 0) {
                if (owned) pl_path_clear(&buf);
                return PL_ENOMEM;
            }
        }
        if (owned) pl_path_clear(&buf);
    }
    for (i = 0; i < w->np; i++) {
        proc *pr = w->p[i];
        int k, any = 0;
        for (k = 0; k < NCTR; k++) {
            track *t = &pr->t[k];
            const pl_series_stats *st;
            if (!t->n)
                continue;
            if (t->src) {
                st = pl_series_get_stats(t->src);
                if (!any || st->first_t < pr->start)
                    pr->start = st->first_t;
                if (!any || st->last_t > pr->end)
                    pr->end = st->last_t;
                any = 1;
                continue;
            }
            qsort(t->b, t->n, sizeof *t->b, cmp_bucket);
            if (!any || t->b[0].t0 < pr->start)
                pr->start = t->b[0].t0;
            if (!any || t->b[t->n - 1].t1 > pr->end)
                pr->end = t->b[t->n - 1].t1;
            any = 1;
        }
    }
    return PL_OK;
}

/* Judges each process' counters on the series its buckets make. */
static int judge(work *w, pl_error *err)
{
    size_t i;
    int k, rc;
    for (i = 0; i < w->np; i++) {
        proc *pr = w->p[i];
        for (k = 0; k < NCTR; k++) {
            track *t = &pr->t[k];
            const pl_detect_opts *o = pr->prev_life || pr->next_life ? &w->life_opts : &w->opts;
            size_t j;
            if (!t->n)
                continue;
            if (t->src) {
                /* a whole column: the analysis judged it already, but for
                 * a life, which is judged on its hours */
                t->built = 1;
                if (o == &w->opts) {
                    t->f = &pl_analysis_counter(w->a, t->src_col)->finding;
                    continue;
                }
                if (!(t->own = malloc(sizeof *t->own)))
                    return pl_err(err, PL_ENOMEM, "out of memory");
                t->f = t->own;
                if ((rc = pl_detect_counter(t->src, NULL, o, PL_KIND_HELD, CTR_UNIT[k], t->own,
                                            err)) != PL_OK)
                    return rc;
                continue;
            }
            if ((rc = pl_store_add_series(w->store, &t->series, err)) != PL_OK)
                return rc;
            for (j = 0; j < t->n; j++)
                if ((rc = pl_store_add(w->store, t->series,
                                       t->b[j].t0 + (t->b[j].t1 - t->b[j].t0) / 2, t->b[j].mean,
                                       err)) != PL_OK)
                    return rc;
            t->built = 1;
            if (!(t->own = malloc(sizeof *t->own)))
                return pl_err(err, PL_ENOMEM, "out of memory");
            t->f = t->own;
            if ((rc = pl_detect_counter(pl_store_series(w->store, t->series), NULL, o,
                                        PL_KIND_HELD, CTR_UNIT[k], t->own, err)) != PL_OK)
                return rc;
        }
    }
    return PL_OK;
}

static int leaks(const track *t)
{
    return t->built && t->f && t->f->verdict == PL_VERDICT_LEAK;
}

static int judged(const track *t)
{
    return t->built && t->f && pl_verdict_is_judged(t->f->verdict);
}

/* What a process' own counters say grows. */
static unsigned own_kinds(const proc *p)
{
    unsigned k = 0;
    size_t i;
    for (i = 0; i < sizeof MEMORY_CTRS / sizeof *MEMORY_CTRS; i++)
        if (leaks(&p->t[MEMORY_CTRS[i]]))
            k |= PL_GROWS_MEMORY;
    if (leaks(&p->t[C_HANDLES]))
        k |= PL_GROWS_HANDLES;
    if (leaks(&p->t[C_THREADS]))
        k |= PL_GROWS_THREADS;
    if (leaks(&p->t[C_VIRTUAL]) && !(k & PL_GROWS_MEMORY))
        k |= PL_GROWS_ADDRESS_SPACE;
    return k;
}

/* ---------- lives ---------- */

static int cmp_start(const void *x, const void *y)
{
    const proc *a = *(const proc *const *)x, *b = *(const proc *const *)y;
    int c = strcmp(a->machine, b->machine);
    if (!c)
        c = strcmp(a->name, b->name);
    if (!c)
        c = a->start < b->start ? -1 : a->start > b->start;
    return c;
}

/* Chains processes of one name that follow each other into lives. */
static void chain_lives(work *w)
{
    size_t i, j;
    if (w->np > 1) /* qsort takes no NULL base, even for nothing */
        qsort(w->p, w->np, sizeof *w->p, cmp_start);
    for (i = 0; i < w->np; i++) {
        proc *q = w->p[i];
        if (q->by_name)
            continue;
        for (j = i + 1; j < w->np; j++) {
            proc *p = w->p[j];
            double gap_h;
            if (strcmp(p->machine, q->machine) != 0 || strcmp(p->name, q->name) != 0)
                break;
            if (p->by_name || p->prev_life)
                continue;
            gap_h = (double)(p->start - q->end) / (3600.0 * PL_TICKS_PER_SEC);
            if (p->start >= q->end && gap_h <= LIFE_GAP_H) {
                q->next_life = p;
                p->prev_life = q;
                break;
            }
        }
    }
}

/* ---------- attribution ---------- */

/* The level of t around time x: the median of the bucket means within
 * w of it, or NaN when there are none. */
static double level_near(const track *t, pl_time x, pl_time w)
{
    double v[64];
    size_t n = 0, i, len = tb_len(t);
    pbucket b;
    for (i = 0; i < len && n < 64; i++)
        if (tb_get(t, i, &b) && b.t1 >= x - w && b.t0 <= x + w)
            v[n++] = b.mean;
    if (!n)
        return NAN;
    for (i = 1; i < n; i++) { /* insertion sort: at most 64 */
        double x0 = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1] > x0) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x0;
    }
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* How much t grew from t0 to t1: a process that started later (or ended
 * sooner) than the window held nothing then. */
static double change(const track *t, const proc *p, pl_time t0, pl_time t1)
{
    pl_time w = (t1 - t0) / 20 + 1;
    double a, b;
    if (!t->n || p->end < t0 || p->start > t1)
        return 0;
    a = p->start > t0 + w ? 0 : level_near(t, t0, w);
    b = p->end < t1 - w ? 0 : level_near(t, t1, w);
    return isnan(a) || isnan(b) ? 0 : b - a;
}

static double system_change(const pl_analysis *a, const pl_counter *c)
{
    const pl_finding *f = &c->finding;
    track t;
    proc p;
    memset(&t, 0, sizeof t);
    memset(&p, 0, sizeof p);
    t.src = pl_store_series(pl_analysis_store(a), c->series);
    t.n = 1;
    p.start = f->regime_start;
    p.end = f->regime_end;
    return change(&t, &p, f->regime_start, f->regime_end);
}

/* ---------- findings ---------- */

static pl_culprit_finding *new_finding(pl_diagnosis *d, pl_culprit_type type, const char *machine)
{
    pl_culprit_finding *f;
    if (pl_grow(&d->f, &d->cap, d->n + 1, sizeof *d->f) != 0)
        return NULL;
    f = &d->f[d->n++];
    memset(f, 0, sizeof *f);
    f->type = type;
    f->machine = machine;
    f->pid = -1;
    f->restart_every_h = f->ceiling = f->eta_h = f->pct_per_hour = NAN;
    return f;
}

static void add_evidence(pl_culprit_finding *f, const pl_analysis *a, size_t ci)
{
    size_t i;
    for (i = 0; i < f->ncounters; i++)
        if (f->evidence[i] == ci)
            return;
    if (f->ncounters < PL_DIAG_MAX_COUNTERS) {
        f->evidence[f->ncounters] = ci;
        f->counters[f->ncounters++] = pl_analysis_counter(a, ci)->path;
    }
}

static void add_rate(pl_culprit_finding *f, int k, double per_hour, double level)
{
    size_t i;
    for (i = 0; i < f->nrates && strcmp(f->rates[i].counter, CTR_NAME[k]) != 0; i++)
        ;
    if (i == f->nrates) {
        if (f->nrates == PL_DIAG_MAX_RATES)
            return;
        f->nrates++;
    }
    f->rates[i].counter = CTR_NAME[k];
    f->rates[i].unit = CTR_UNIT[k];
    f->rates[i].per_hour = per_hour;
    if (level > 0 && (isnan(f->pct_per_hour) || 100 * per_hour / level > f->pct_per_hour))
        f->pct_per_hour = 100 * per_hour / level;
}

/* The counters of p that grow, as evidence and rates. */
static void process_evidence(pl_culprit_finding *f, const pl_analysis *a, const proc *p)
{
    int k;
    size_t i;
    for (k = 0; k < NCTR; k++) {
        const track *t = &p->t[k];
        if (!leaks(t))
            continue;
        if (k == C_VIRTUAL && !(f->kinds & PL_GROWS_ADDRESS_SPACE))
            continue;
        for (i = 0; i < t->ncols; i++)
            add_evidence(f, a, t->cols[i]);
        add_rate(f, k, t->f->slope_per_hour, t->f->end_level);
    }
}

static double median(double *v, size_t n)
{
    size_t i, j;
    for (i = 1; i < n; i++)
        for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
            double x = v[j];
            v[j] = v[j - 1];
            v[j - 1] = x;
        }
    return n ? (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2) : NAN;
}

/* The first memory counter a process has data for. */
static int memory_track(const proc *p)
{
    size_t i;
    for (i = 0; i < sizeof MEMORY_CTRS / sizeof *MEMORY_CTRS; i++)
        if (p->t[MEMORY_CTRS[i]].n)
            return MEMORY_CTRS[i];
    return -1;
}

/* A chain of lives whose most lives leak: one finding for the service. */
static int service_finding(pl_diagnosis *d, const pl_analysis *a, proc *first,
                           double min_span_h)
{
    proc *p, *last = first;
    size_t lives = 0, judged_n = 0, leaking = 0, nd = 0, nc = 0, nr[NCTR] = {0};
    double durs[64], peaks[64], rates[NCTR][64];
    unsigned kinds = 0;
    pl_culprit_finding *f;
    int k;
    for (p = first; p; p = p->next_life) {
        int m = memory_track(p);
        unsigned own = own_kinds(p);
        lives++;
        last = p;
        if (m >= 0 && judged(&p->t[m]))
            judged_n++;
        if (own & (PL_GROWS_MEMORY | PL_GROWS_HANDLES))
            leaking++;
        kinds |= own;
        if (p->next_life && nd < 64)
            durs[nd++] = (double)(p->next_life->start - p->start) / (3600.0 * PL_TICKS_PER_SEC);
        if (p->next_life && m >= 0 && nc < 64) {
            double mx = 0;
            size_t j;
            pbucket b;
            for (j = 0; j < tb_len(&p->t[m]); j++)
                if (tb_get(&p->t[m], j, &b))
                    mx = fmax(mx, b.max);
            peaks[nc++] = mx;
        }
        for (k = 0; k < NCTR; k++)
            if (leaks(&p->t[k]) && nr[k] < 64)
                rates[k][nr[k]++] = p->t[k].f->slope_per_hour;
    }
    if (lives < 2 || judged_n < 2 || leaking < 2 || 3 * leaking < 2 * judged_n ||
        (double)(last->end - first->start) / (3600.0 * PL_TICKS_PER_SEC) < min_span_h)
        return 0;
    /* cut near one ceiling each time: restarted at a limit, or on a
     * schedule as regular as its growth */
    {
        double c = median(peaks, nc);
        size_t j;
        for (j = 0; j < nc; j++)
            if (fabs(peaks[j] - c) > 0.3 * c)
                return 0;
    }
    if (!(f = new_finding(d, PL_CULPRIT_PROCESS, first->machine)))
        return -1;
    snprintf(f->name, sizeof f->name, "%s", first->name);
    f->pid = last->pid;
    f->kinds = kinds & (PL_GROWS_MEMORY | PL_GROWS_HANDLES | PL_GROWS_THREADS | PL_GROWS_ADDRESS_SPACE);
    f->restarts = lives - 1;
    f->restart_every_h = median(durs, nd);
    f->ceiling = median(peaks, nc);
    f->start = first->start;
    f->end = last->end;
    for (p = first; p; p = p->next_life) {
        p->claimed = 1;
        p->fi = d->n - 1;
        process_evidence(f, a, p);
    }
    for (k = 0; k < NCTR; k++)
        if (nr[k] && (k != C_VIRTUAL || (f->kinds & PL_GROWS_ADDRESS_SPACE))) {
            const track *t = &last->t[k];
            add_rate(f, k, median(rates[k], nr[k]), t->built && t->f ? t->f->end_level : 0);
        }
    return 1;
}

static pl_culprit_finding *process_finding(pl_diagnosis *d, const pl_analysis *a, proc *p,
                                           unsigned kinds)
{
    pl_culprit_finding *f = new_finding(d, PL_CULPRIT_PROCESS, p->machine);
    if (!f)
        return NULL;
    snprintf(f->name, sizeof f->name, "%s", p->name);
    f->pid = p->pid;
    f->by_name = p->by_name;
    f->kinds = kinds;
    f->start = p->start;
    f->end = p->end;
    process_evidence(f, a, p);
    p->claimed = 1;
    p->fi = d->n - 1;
    return f;
}

/* The finding p is part of, if any. */
static pl_culprit_finding *finding_of(pl_diagnosis *d, const proc *p)
{
    return p->fi < d->n ? &d->f[p->fi] : NULL;
}

/* A system counter of machine m (English object\counter), if analysed. */
static size_t system_counter(const work *w, const char *m, const char *counter)
{
    size_t i;
    for (i = 0; i < w->nsys; i++)
        if (strcmp(w->sys[i].machine, m) == 0 && strcmp(w->sys[i].counter, counter) == 0)
            return w->sys[i].ci;
    return SIZE_MAX;
}

/* Sets a growing pool or Committed Bytes against the processes: their
 * share becomes part of their findings, what they leave is the kernel's
 * or the system's. */
static int attribute(pl_diagnosis *d, work *w, const char *m, const char *counter, int ctr,
                     unsigned kind, pl_culprit_type rest)
{
    size_t ci = system_counter(w, m, counter), i;
    const pl_counter *c;
    double total, owned = 0, share[256];
    proc *who[256];
    size_t nwho = 0;
    int handles_only = ctr == C_POOL_PAGED;
    pl_culprit_finding *f;
    if (ci == SIZE_MAX)
        return 0;
    c = pl_analysis_counter(w->a, ci);
    if (c->finding.verdict != PL_VERDICT_LEAK || !((total = system_change(w->a, c)) > 0))
        return 0;
    for (i = 0; i < w->np; i++) {
        proc *p = w->p[i];
        double ch;
        if (strcmp(p->machine, m) != 0)
            continue;
        if (p->t[ctr].n)
            handles_only = 0;
        ch = change(&p->t[ctr], p, c->finding.regime_start, c->finding.regime_end);
        if (ch > 0 && 100 * ch / total >= 5 && nwho < 256) {
            share[nwho] = 100 * ch / total;
            who[nwho++] = p;
            owned += 100 * ch / total;
        }
    }
    if (kind == PL_GROWS_COMMIT) {
        /* pool pages are committed too: a growing pool is the kernel's
         * share of the commit growth, and its own finding says so */
        static const char *const pools[] = {"Pool Paged Bytes", "Pool Nonpaged Bytes"};
        size_t pi;
        for (pi = 0; pi < 2; pi++) {
            size_t pc = system_counter(w, m, pools[pi]);
            const pl_counter *pcc = pc == SIZE_MAX ? NULL : pl_analysis_counter(w->a, pc);
            double ch;
            if (!pcc || pcc->finding.verdict != PL_VERDICT_LEAK)
                continue;
            ch = system_change(w->a, pcc);
            if (ch > 0)
                owned += 100 * ch / total;
        }
    }
    if (handles_only) {
        /* no process' pool bytes logged: a handle leak is what feeds the
         * paged pool (handle tables, the objects' own pool) */
        for (i = 0; i < w->np && nwho < 256; i++)
            if (strcmp(w->p[i]->machine, m) == 0 && leaks(&w->p[i]->t[C_HANDLES])) {
                share[nwho] = NAN;
                who[nwho++] = w->p[i];
            }
        owned = nwho ? SHARE_OWNED : 0;
    }
    if (owned >= SHARE_OWNED) {
        for (i = 0; i < nwho; i++) {
            if (!isnan(share[i]) && share[i] < SHARE_NAMED)
                continue;
            if (!(f = finding_of(d, who[i])) && !(f = process_finding(d, w->a, who[i], 0)))
                return -1;
            f->kinds |= kind;
            add_evidence(f, w->a, ci);
            if (!isnan(share[i]))
                add_rate(f, ctr, who[i]->t[ctr].f ? who[i]->t[ctr].f->slope_per_hour : 0,
                         who[i]->t[ctr].f ? who[i]->t[ctr].f->end_level : 0);
            if (f->nexplains < PL_DIAG_MAX_EXPLAINS) {
                f->explains[f->nexplains].counter = c->path;
                f->explains[f->nexplains++].percent = isnan(share[i]) ? NAN : fmin(share[i], 100);
            }
            if (!isnan(c->finding.eta_h) && (isnan(f->eta_h) || c->finding.eta_h < f->eta_h))
                f->eta_h = c->finding.eta_h;
        }
        return 0;
    }
    if (!(f = new_finding(d, rest, m)))
        return -1;
    f->kinds = kind;
    f->pool = ctr == C_POOL_NONPAGED;
    f->start = c->finding.regime_start;
    f->end = c->finding.regime_end;
    f->eta_h = c->finding.eta_h;
    add_evidence(f, w->a, ci);
    f->nrates = 1;
    f->rates[0].counter = counter;
    f->rates[0].unit = PL_UNIT_BYTES;
    f->rates[0].per_hour = c->finding.slope_per_hour;
    if (c->finding.end_level > 0)
        f->pct_per_hour = 100 * c->finding.slope_per_hour / c->finding.end_level;
    for (i = 0; i < nwho && f->nexplains < PL_DIAG_MAX_EXPLAINS; i++)
        if (!isnan(share[i]) && share[i] >= SHARE_NAMED) {
            f->explains[f->nexplains].counter = c->path;
            f->explains[f->nexplains++].percent = share[i];
        }
    return 0;
}

/* ---------- words ---------- */

static void kinds_text(unsigned kinds, char *buf, size_t size)
{
    unsigned bit;
    size_t o = 0;
    buf[0] = '\0';
    for (bit = 1; bit <= PL_GROWS_COMMIT; bit <<= 1)
        if (kinds & bit)
            o += (size_t)snprintf(buf + o, o < size ? size - o : 0, "%s%s", o ? ", " : "",
                                  pl_grows_name(bit));
}

static void words(pl_culprit_finding *f)
{
    char kinds[128], rate[48] = "", every[32], ceiling[32];
    size_t i;
    kinds_text(f->kinds, kinds, sizeof kinds);
    if (f->nrates)
        pl_format_value(f->rates[0].per_hour, f->rates[0].unit, rate, sizeof rate);
    if (f->type == PL_CULPRIT_KERNEL) {
        snprintf(f->summary, sizeof f->summary, "kernel %s pool%s%s",
                 f->pool ? "nonpaged" : "paged", f->machine[0] ? " on " : "", f->machine);
        snprintf(f->next_step, sizeof f->next_step,
                 "Pool %s Bytes grows %s/h and no logged process accounts for it: a driver "
                 "leaks. Run poolmon -b (sorted by bytes) twice an hour apart to find the tag "
                 "that grows, then findstr /m /l /s <tag> %%SystemRoot%%\\System32\\drivers\\*.sys "
                 "to find its driver; update or remove that driver.",
                 f->pool ? "Nonpaged" : "Paged", rate);
        return;
    }
    if (f->type == PL_CULPRIT_SYSTEM) {
        snprintf(f->summary, sizeof f->summary, "system commit%s%s", f->machine[0] ? " on " : "",
                 f->machine);
        snprintf(f->next_step, sizeof f->next_step,
                 "Committed Bytes grows %s/h and the processes logged do not account for it: log "
                 "Process(*)\\Private Bytes for every process (the leak may be in one not logged), "
                 "and check the kernel's share with poolmon and RAMMap.",
                 rate);
        return;
    }
    if (f->pid >= 0)
        snprintf(f->summary, sizeof f->summary, "%.120s (PID %ld): %s", f->name, f->pid, kinds);
    else if (f->by_name) /* no ID Process: namesakes may be mixed up */
        snprintf(f->summary, sizeof f->summary, "%.120s (by instance name, no ID Process logged): %s",
                 f->name, kinds);
    else
        snprintf(f->summary, sizeof f->summary, "%.120s: %s", f->name, kinds);
    if (f->restarts) {
        snprintf(every, sizeof every, "%.1f h", f->restart_every_h);
        pl_format_value(f->ceiling, PL_UNIT_BYTES, ceiling, sizeof ceiling);
        snprintf(f->next_step, sizeof f->next_step,
                 "%s grows in every life and is restarted %zu times, about every %s, near %s: "
                 "the restarts (an IIS application pool recycled at its private memory limit, "
                 "Application Pools > Recycling) hide a leak in the application. Capture it "
                 "before a restart: a DebugDiag memory leak rule, or UMDH snapshots an hour apart.",
                 f->name, f->restarts, every, ceiling);
        return;
    }
    if (f->kinds & PL_GROWS_MEMORY)
        snprintf(f->next_step, sizeof f->next_step,
                 "The heap of %s grows %s/h: enable user-mode stack traces (gflags /i %s.exe +ust), "
                 "take two UMDH snapshots an hour apart and compare them, or let a DebugDiag memory "
                 "leak rule track it.",
                 f->name, rate, f->name);
    else if (f->kinds & PL_GROWS_HANDLES)
        snprintf(f->next_step, sizeof f->next_step,
                 "%s leaks handles: see which type grows (handle.exe -s -p %ld, or Process "
                 "Explorer's handle view), then enable handle tracing (WinDbg !htrace -enable, or "
                 "Application Verifier's Handles check) to find the code that opens them.",
                 f->name, f->pid);
    else if (f->kinds & PL_GROWS_THREADS)
        snprintf(f->next_step, sizeof f->next_step,
                 "%s starts threads it never ends: take two dumps an hour apart (procdump -ma %ld) "
                 "and compare the new threads' stacks.",
                 f->name, f->pid);
    else if (f->kinds & PL_GROWS_ADDRESS_SPACE)
        snprintf(f->next_step, sizeof f->next_step,
                 "Virtual Bytes of %s grows while its private memory does not: address space is "
                 "reserved and not freed (thread stacks, mapped files, a fragmented heap); VMMap "
                 "shows which; a 32-bit process fails when it runs out.",
                 f->name);
    else if (f->kinds & (PL_GROWS_POOL_PAGED | PL_GROWS_POOL_NONPAGED))
        snprintf(f->next_step, sizeof f->next_step,
                 "%s's own pool charge grows: see which handle type it holds more of (handle.exe "
                 "-s -p %ld) and trace them (WinDbg !htrace).",
                 f->name, f->pid);
    else
        snprintf(f->next_step, sizeof f->next_step,
                 "%s accounts for the growth of Committed Bytes: capture its heap with UMDH or "
                 "DebugDiag.",
                 f->name);
    for (i = 0; i < f->nexplains; i++)
        if (f->kinds & PL_GROWS_POOL_PAGED && strstr(f->explains[i].counter, "Pool Paged") &&
            (f->kinds & PL_GROWS_HANDLES)) {
            size_t o = strlen(f->next_step);
            snprintf(f->next_step + o, sizeof f->next_step - o,
                     " Its handles are what grows the paged pool.");
            break;
        }
}

static int cmp_findings(const void *x, const void *y)
{
    const pl_culprit_finding *a = x, *b = y;
    if (!isnan(a->eta_h) || !isnan(b->eta_h)) {
        if (isnan(a->eta_h))
            return 1;
        if (isnan(b->eta_h))
            return -1;
        if (a->eta_h != b->eta_h)
            return a->eta_h < b->eta_h ? -1 : 1;
    }
    {
        double pa = isnan(a->pct_per_hour) ? 0 : a->pct_per_hour,
               pb = isnan(b->pct_per_hour) ? 0 : b->pct_per_hour;
        if (pa != pb)
            return pa > pb ? -1 : 1;
    }
    return strcmp(a->summary, b->summary);
}

/* ---------- the whole ---------- */

static void work_free(work *w)
{
    size_t i;
    int k;
    for (i = 0; i < w->np; i++) {
        for (k = 0; k < NCTR; k++) {
            free(w->p[i]->t[k].b);
            free(w->p[i]->t[k].own);
        }
        free(w->p[i]);
    }
    free(w->p);
    free(w->sys);
    pl_strmap_clear(&w->by_key);
    pl_store_free(w->store);
}

/* The machines with a system counter to attribute. */
static int machines(const work *w, const char ***out, size_t *n)
{
    size_t i, j, cap = 0;
    *out = NULL;
    *n = 0;
    for (i = 0; i < w->nsys; i++) {
        for (j = 0; j < *n && strcmp((*out)[j], w->sys[i].machine) != 0; j++)
            ;
        if (j == *n) {
            if (pl_grow(out, &cap, *n + 1, sizeof **out) != 0)
                return -1;
            (*out)[(*n)++] = w->sys[i].machine;
        }
    }
    return 0;
}

int pl_diagnose(const pl_analysis *a, pl_diagnosis **out, pl_error *err)
{
    pl_diagnosis *d = calloc(1, sizeof *d);
    work w;
    const char **ms = NULL;
    size_t nm = 0, i;
    int rc;
    *out = NULL;
    memset(&w, 0, sizeof w);
    if (!d)
        return pl_err(err, PL_ENOMEM, "%s: out of memory diagnosing",
                      pl_analysis_log_count(a) ? pl_analysis_log(a, 0)->file : "the analysis");
    w.a = a;
    w.opts = w.life_opts = *pl_analysis_detect_opts(a);
    /* a life of a recycled service is hours, not the log's span; the
     * service as a whole still needs the analysis' span */
    if (w.life_opts.min_span_h > 0.5)
        w.life_opts.min_span_h = 0.5;
    if ((rc = pl_store_create(&w.store, 0, err)) != PL_OK)
        goto fail;
    if (collect(&w) != PL_OK)
        goto oom;
    chain_lives(&w);
    if ((rc = judge(&w, err)) != PL_OK)
        goto fail;
    for (i = 0; i < w.np; i++) {
        proc *p = w.p[i];
        d->nproc++;
        d->nproc_pid += !p->by_name;
        if (!p->prev_life && p->next_life &&
            (rc = service_finding(d, a, p, w.opts.min_span_h)) < 0)
            goto oom;
    }
    for (i = 0; i < w.np; i++) {
        proc *p = w.p[i];
        unsigned k = own_kinds(p);
        if (p->claimed || !k)
            continue;
        /* a life judged on its own needs the span a whole log would, and
         * hours of it: a service restarted shortly before the log ends is
         * still warming up */
        if ((p->prev_life || p->next_life) &&
            (double)(p->end - p->start) / (3600.0 * PL_TICKS_PER_SEC) <
                fmax(w.opts.min_span_h, LIFE_ALONE_H))
            continue;
        if (!process_finding(d, a, p, k))
            goto oom;
    }
    if (machines(&w, &ms, &nm) != 0)
        goto oom;
    for (i = 0; i < nm; i++) {
        if (attribute(d, &w, ms[i], "Pool Paged Bytes", C_POOL_PAGED, PL_GROWS_POOL_PAGED,
                      PL_CULPRIT_KERNEL) < 0 ||
            attribute(d, &w, ms[i], "Pool Nonpaged Bytes", C_POOL_NONPAGED,
                      PL_GROWS_POOL_NONPAGED, PL_CULPRIT_KERNEL) < 0 ||
            attribute(d, &w, ms[i], "Committed Bytes", C_PRIVATE, PL_GROWS_COMMIT,
                      PL_CULPRIT_SYSTEM) < 0)
            goto oom;
    }
    for (i = 0; i < d->n; i++) {
        pl_culprit_finding *f = &d->f[i];
        size_t j;
        for (j = 0; j < f->ncounters; j++) {
            const pl_finding *cf = &pl_analysis_counter(a, f->evidence[j])->finding;
            if (cf->verdict == PL_VERDICT_LEAK && !isnan(cf->eta_h) &&
                (isnan(f->eta_h) || cf->eta_h < f->eta_h))
                f->eta_h = cf->eta_h;
        }
        words(f);
    }
    if (d->n > 1)
        qsort(d->f, d->n, sizeof *d->f, cmp_findings);
    free((void *)ms);
    work_free(&w);
    *out = d;
    return PL_OK;
oom:
    rc = PL_ENOMEM;
fail:
    free((void *)ms);
    work_free(&w);
    pl_diagnosis_free(d);
    /* the only failure is memory; the message names the log it was for */
    return pl_err(err, rc, "%s: out of memory diagnosing",
                  pl_analysis_log_count(a) ? pl_analysis_log(a, 0)->file : "the analysis");
}

void pl_diagnosis_free(pl_diagnosis *d)
{
    if (!d)
        return;
    free(d->f);
    free(d);
}

size_t pl_diagnosis_count(const pl_diagnosis *d)
{
    return d ? d->n : 0;
}

const pl_culprit_finding *pl_diagnosis_finding(const pl_diagnosis *d, size_t i)
{
    return d && i < d->n ? &d->f[i] : NULL;
}

size_t pl_diagnosis_processes(const pl_diagnosis *d, size_t *by_pid)
{
    if (by_pid)
        *by_pid = d ? d->nproc_pid : 0;
    return d ? d->nproc : 0;
}

static void free_attached(void *p)
{
    pl_diagnosis_free(p);
}

int pl_diagnose_attach(pl_analysis *a, pl_error *err)
{
    pl_diagnosis *d;
    int rc = pl_diagnose(a, &d, err);
    if (rc == PL_OK)
        pl_analysis_attach(a, d, free_attached);
    return rc;
}

const pl_diagnosis *pl_diagnosis_of(const pl_analysis *a)
{
    return pl_analysis_attached(a);
}

const pl_diagnosis *pl_diagnosis_get(const pl_analysis *a, pl_diagnosis **own, pl_error *err)
{
    const pl_diagnosis *d = pl_diagnosis_of(a);
    *own = NULL;
    if (d)
        return d;
    if (pl_diagnose(a, own, err) != PL_OK)
        return NULL;
    return *own;
}

int pl_culprit_hidden(const pl_analysis *a, const pl_culprit_finding *f)
{
    size_t j;
    for (j = 0; j < f->ncounters; j++)
        if (pl_verdict_is_finding(pl_analysis_counter(a, f->evidence[j])->finding.verdict))
            return 0;
    return f->ncounters > 0;
}
