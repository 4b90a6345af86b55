/* analysis.c - the pipeline behind `perfleak analyze` and `counters`:
 * sniff each log, stream it through its reader into the store (counters of
 * several logs with the same path share one series, merged on time), then
 * judge every selected counter. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>
#include "perfleak/analysis.h"
#include "perfleak/import.h"
#include "perfleak/units.h"
#include "perfleak/counters.h"
#include "util/internal.h"
#include "util/pool.h"
#include "util/strmap.h"

#define NO_SERIES ((size_t)-1)
#define MAX_DIFFS 1024
#define MAX_LONE 8          /* rows dated far from the rest that are set aside */
#define HOUR_TICKS (3600 * PL_TICKS_PER_SEC)

struct pl_analysis {
    pl_analysis_opts opts;
    char **include, **exclude; /* owned copies of the patterns */
    char **limit_pat;          /* user limits: pattern and value */
    double *limit_val;
    pl_store *store;
    pl_log_info *logs;
    size_t nlogs, caplogs;
    pl_counter *counters;
    size_t ncounters, capcounters;
    pl_strmap by_path;         /* "path\x1Foccurrence" -> counter index */
    pl_strmap commit_limit;    /* machine ("" none) -> series of Memory\Commit Limit */
    pl_strmap process_id;      /* process instance key -> series of its ID Process */
    pl_strmap seen_paths;      /* paths of the log being read (repeats) */
    pl_strmap left_out;        /* English paths of _Total/Idle the default set skipped */
    int col_shared;            /* two columns of the log feed one series */

    /* the log being read */
    pl_log_info *cur;
    size_t *col;               /* column -> series id or NO_SERIES */
    /* sparse rows (.blg): the rows that named each column, so that the
     * rest count as missing at the end, as relog's blank cells would */
    size_t *col_present;
    int sparse;
    size_t ncol;
    double diffs[MAX_DIFFS];
    size_t ndiffs;
    pl_time prev_t;
    int have_prev;
    /* rows dated far from both neighbours (a clock reset, a damaged cell):
     * candidates found with the next row's time, confirmed when the log
     * ends; and the smallest and largest times, to find the log's span
     * without them */
    pl_time t1, t2;            /* the two rows before the last one */
    struct lone { pl_time t; pl_time gap; size_t row; } lone[MAX_LONE];
    size_t nlone;
    int lone_overflow;
    pl_time low[MAX_LONE + 1], high[MAX_LONE + 1];
    size_t nlow, nhigh;
};

static void drop_columns(pl_analysis *a);

static char **copy_patterns(const char *const *p, size_t n)
{
    char **c = calloc(n ? n : 1, sizeof *c);
    size_t i;
    if (!c)
        return NULL;
    for (i = 0; i < n; i++) {
        if (!(c[i] = pl_strdup(p[i]))) {
            while (i--)
                free(c[i]);
            free(c);
            return NULL;
        }
    }
    return c;
}

void pl_analysis_opts_init(pl_analysis_opts *o)
{
    memset(o, 0, sizeof *o);
    pl_detect_opts_init(&o->detect);
}

int pl_analysis_create(pl_analysis **out, const pl_analysis_opts *opts, pl_error *err)
{
    pl_analysis *a = calloc(1, sizeof *a);
    size_t i;
    int rc;
    *out = NULL;
    if (!a)
        return pl_err(err, PL_ENOMEM, "out of memory");
    if (opts)
        a->opts = *opts;
    else
        pl_analysis_opts_init(&a->opts);
    a->include = copy_patterns(a->opts.include, a->opts.n_include);
    a->exclude = copy_patterns(a->opts.exclude, a->opts.n_exclude);
    a->opts.encoding = a->opts.encoding ? pl_strdup(a->opts.encoding) : NULL;
    a->limit_pat = copy_patterns(a->opts.limits, a->opts.n_limits);
    a->limit_val = calloc(a->opts.n_limits ? a->opts.n_limits : 1, sizeof *a->limit_val);
    if (!a->include || !a->exclude || !a->limit_pat || !a->limit_val ||
        (opts && opts->encoding && !a->opts.encoding)) {
        pl_analysis_free(a);
        return pl_err(err, PL_ENOMEM, "out of memory");
    }
    for (i = 0; i < a->opts.n_limits; i++) {
        char *eq = strrchr(a->limit_pat[i], '=');
        if (!eq || eq == a->limit_pat[i] || pl_parse_size(eq + 1, &a->limit_val[i])) {
            rc = pl_err(err, PL_EUSAGE,
                        "--limit takes COUNTER=VALUE, e.g. 'Memory\\Pool Paged Bytes=2GB', got '%s'",
                        a->opts.limits[i]);
            pl_analysis_free(a);
            return rc;
        }
        *eq = '\0';
    }
    if ((rc = pl_store_create(&a->store, a->opts.max_buckets, err)) != PL_OK) {
        pl_analysis_free(a);
        return rc;
    }
    *out = a;
    return PL_OK;
}

static void log_info_clear(pl_log_info *l)
{
    size_t i;
    free(l->file);
    free(l->format);
    free(l->encoding);
    for (i = 0; i < l->n_machines; i++)
        free(l->machines[i]);
    free(l->machines);
}

void pl_analysis_free(pl_analysis *a)
{
    size_t i;
    if (!a)
        return;
    for (i = 0; a->include && i < a->opts.n_include; i++)
        free(a->include[i]);
    for (i = 0; a->exclude && i < a->opts.n_exclude; i++)
        free(a->exclude[i]);
    for (i = 0; a->limit_pat && i < a->opts.n_limits; i++)
        free(a->limit_pat[i]);
    free(a->include);
    free(a->exclude);
    free(a->limit_pat);
    free(a->limit_val);
    free((char *)(uintptr_t)a->opts.encoding);
    for (i = 0; i < a->nlogs; i++)
        log_info_clear(&a->logs[i]);
    free(a->logs);
    for (i = 0; i < a->ncounters; i++) {
        free(a->counters[i].path);
        free(a->counters[i].path_en);
        free(a->counters[i].label);
        pl_path_clear(&a->counters[i].parts);
    }
    free(a->counters);
    pl_strmap_clear(&a->by_path);
    pl_strmap_clear(&a->commit_limit);
    pl_strmap_clear(&a->process_id);
    pl_strmap_clear(&a->seen_paths);
    pl_strmap_clear(&a->left_out);
    pl_store_free(a->store);
    drop_columns(a);
    free(a);
}

/* ---------- counter knowledge ---------- */

/* A pattern matches a counter by the log's path or, for a log from a
 * non-English Windows, by its English path. */
static int matches(const char *pattern, const char *path, const char *path_en)
{
    return pl_path_match(pattern, path) || (path_en && pl_path_match(pattern, path_en));
}

/* A default-set counter of Process(_Total) or Process(Idle), which the
 * default set leaves out. */
static int left_out_aggregate(const pl_analysis *a, const pl_path *p)
{
    pl_path q = *p;
    if (a->opts.n_include != 0 || !pl_counter_is_aggregate(p))
        return 0;
    q.instance = NULL;
    return pl_counter_in_default_set(&q);
}

static int selected(const pl_analysis *a, const char *path, const char *path_en,
                    const pl_path *parts)
{
    size_t i;
    int in = 0;
    if (a->opts.n_include == 0) {
        in = pl_counter_in_default_set(parts);
    } else {
        for (i = 0; i < a->opts.n_include && !in; i++)
            in = matches(a->include[i], path, path_en);
    }
    for (i = 0; in && i < a->opts.n_exclude; i++)
        if (matches(a->exclude[i], path, path_en))
            in = 0;
    return in;
}

/* ---------- reader callbacks ---------- */

static void drop_columns(pl_analysis *a)
{
    free(a->col);
    free(a->col_present);
    a->col = a->col_present = NULL;
    a->ncol = 0;
    a->sparse = 0;
}

static int add_machine(pl_log_info *l, const char *m)
{
    size_t i;
    char **nm;
    for (i = 0; i < l->n_machines; i++)
        if (strcmp(l->machines[i], m) == 0)
            return 0;
    nm = realloc(l->machines, (l->n_machines + 1) * sizeof *nm);
    if (!nm)
        return -1;
    l->machines = nm;
    if (!(nm[l->n_machines] = pl_strdup(m)))
        return -1;
    l->n_machines++;
    return 0;
}

/* path_en: the English path made for selection (NULL for an English
 * log); a new counter takes it over and sets it to NULL. */
static int find_or_add_counter(pl_analysis *a, const char *path, pl_path *parts, char **path_en,
                               int occurrence, size_t *idx, pl_error *err)
{
    char *k = pl_repeat_key(path, (size_t)occurrence);
    size_t sid;
    pl_counter *c;
    int rc;
    if (!k)
        return pl_err(err, PL_ENOMEM, "%s: out of memory", a->cur->file);
    if (pl_strmap_get(&a->by_path, k, idx)) {
        free(k);
        pl_path_clear(parts);
        return PL_OK;
    }
    if (a->ncounters == a->capcounters) {
        size_t nc = a->capcounters ? a->capcounters * 2 : 64;
        pl_counter *ncs = realloc(a->counters, nc * sizeof *ncs);
        if (!ncs) {
            free(k);
            return pl_err(err, PL_ENOMEM, "%s: out of memory", a->cur->file);
        }
        a->counters = ncs;
        a->capcounters = nc;
    }
    if ((rc = pl_store_add_series(a->store, &sid, err)) != PL_OK) {
        free(k);
        return rc;
    }
    c = &a->counters[a->ncounters];
    memset(c, 0, sizeof *c);
    c->path = pl_strdup(path);
    c->path_en = *path_en;
    if (c->path_en && parts->counter_local) {
        size_t ln = strlen(c->path_en) + strlen(parts->counter_local) + 4;
        if ((c->label = malloc(ln)))
            snprintf(c->label, ln, "%s (%s)", c->path_en, parts->counter_local);
    } else {
        /* Only the object is known ("Процесс"): a half-English path would
         * read worse than the log's own; English patterns still match
         * path_en. */
        c->label = pl_strdup(path);
    }
    if (!c->path || !c->label || pl_strmap_put(&a->by_path, k, a->ncounters)) {
        free(c->path);
        free(c->label);
        free(k);
        return pl_err(err, PL_ENOMEM, "%s: out of memory", a->cur->file);
    }
    *path_en = NULL;
    free(k);
    c->parts = *parts;
    memset(parts, 0, sizeof *parts);
    c->occurrence = occurrence;
    c->unit = pl_counter_unit(&c->parts);
    c->kind = pl_counter_kind(&c->parts);
    c->series = sid;
    *idx = a->ncounters++;
    return PL_OK;
}

static int is_counter(const pl_path *p, const char *object, const char *counter)
{
    return p->object && p->counter && pl_strcasecmp(p->object, object) == 0 &&
           pl_strcasecmp(p->counter, counter) == 0;
}

/* "machine\x1Fparent\x1Finstance\x1Findex": one process instance. */
static char *instance_key(const pl_path *p)
{
    const char *m = p->machine ? p->machine : "", *pa = p->parent ? p->parent : "",
               *in = p->instance ? p->instance : "";
    size_t n = strlen(m) + strlen(pa) + strlen(in) + 24;
    char *k = malloc(n);
    if (k)
        snprintf(k, n, "%s\x1F%s\x1F%s\x1F%d", m, pa, in, p->index);
    return k;
}

/* Keeps column i's series under key in map (a helper series: Commit Limit
 * per machine, ID Process per process), giving the column a series of its
 * own when it is not analysed. Consumes key. */
static int register_helper(pl_analysis *a, pl_strmap *map, size_t i, char *key, pl_error *err)
{
    size_t sid;
    int rc = PL_OK;
    if (!key)
        return pl_err(err, PL_ENOMEM, "%s: out of memory", a->cur->file);
    if (pl_strmap_get(map, key, &sid)) {
        a->col[i] = a->col[i] == NO_SERIES ? sid : a->col[i];
    } else if (a->col[i] == NO_SERIES &&
               (rc = pl_store_add_series(a->store, &a->col[i], err)) != PL_OK) {
        /* rc set */
    } else if (pl_strmap_put(map, key, a->col[i])) {
        rc = pl_err(err, PL_ENOMEM, "%s: out of memory", a->cur->file);
    }
    free(key);
    return rc;
}

static int columns_shared(const pl_analysis *a);

/* Maps header columns first..h->ncols-1 to series. */
static int add_columns(pl_analysis *a, pl_log_header *h, size_t first, pl_error *err)
{
    pl_strmap *seen = &a->seen_paths;
    size_t i;
    int rc = PL_OK;
    char *key = NULL;
    pl_strmap *helper;
    size_t *nc = realloc(a->col, (h->ncols ? h->ncols : 1) * sizeof *nc), *np;
    if (!nc)
        return pl_err(err, PL_ENOMEM, "%s: out of memory", h->name);
    a->col = nc;
    if (!(np = realloc(a->col_present, (h->ncols ? h->ncols : 1) * sizeof *np)))
        return pl_err(err, PL_ENOMEM, "%s: out of memory", h->name);
    a->col_present = np;
    for (i = first; i < h->ncols; i++)
        a->col_present[i] = 0;
    a->ncol = h->ncols;
    a->cur->columns = h->ncols;
    /* all set before any can fail: columns_shared reads every one */
    for (i = first; i < h->ncols; i++)
        a->col[i] = NO_SERIES;
    for (i = first; i < h->ncols && rc == PL_OK; i++) {
        pl_path parts;
        size_t occ = 0;
        a->col[i] = NO_SERIES;
        if ((rc = pl_path_parse(h->paths[i], &parts, err)) != PL_OK)
            break;
        if (parts.machine && add_machine(a->cur, parts.machine)) {
            pl_path_clear(&parts);
            rc = pl_err(err, PL_ENOMEM, "%s: out of memory", h->name);
            break;
        }
        /* A path repeated within one header is a separate column. */
        if (pl_strmap_count(seen, h->paths[i], &occ)) {
            pl_path_clear(&parts);
            rc = pl_err(err, PL_ENOMEM, "%s: out of memory", h->name);
            break;
        }
        /* Helper series are kept whether reported or not: Commit Limit is
         * what Committed Bytes grows towards, ID Process tells restarts. */
        helper = NULL;
        if (occ == 1 && is_counter(&parts, "Memory", "Commit Limit")) {
            helper = &a->commit_limit;
            key = pl_strdup(parts.machine ? parts.machine : "");
        } else if (occ == 1 && is_counter(&parts, "Process", "ID Process")) {
            helper = &a->process_id;
            key = instance_key(&parts);
        }
        {
            int oom = 0;
            char *en = pl_path_english(&parts, &oom);
            int sel = !oom && selected(a, h->paths[i], en, &parts);
            size_t ci;
            /* Counted, so that reports can say why a log of 276 processes
             * shows 274 counters. */
            if (!oom && !sel && left_out_aggregate(a, &parts) &&
                pl_strmap_put(&a->left_out, en ? en : h->paths[i], 0) != 0)
                oom = 1;
            if (oom) {
                free(en);
                pl_path_clear(&parts);
                free(key);
                rc = pl_err(err, PL_ENOMEM, "%s: out of memory", h->name);
                break;
            }
            if (sel && (rc = find_or_add_counter(a, h->paths[i], &parts, &en, (int)occ, &ci,
                                                 err)) == PL_OK)
                a->col[i] = a->counters[ci].series;
            free(en);
        }
        if (helper && rc == PL_OK)
            rc = register_helper(a, helper, i, key, err);
        else
            free(key);
        key = NULL;
        if (a->col[i] == NO_SERIES)
            h->select[i] = 0;
        pl_path_clear(&parts);
    }
    a->col_shared = columns_shared(a);
    return rc;
}

static int on_header(void *ctx, pl_log_header *h, pl_error *err)
{
    pl_analysis *a = ctx;
    pl_log_info *l = a->cur;
    l->tz = *h->tz;
    l->format = pl_strdup(h->tz->format);
    l->encoding = pl_strdup(h->encoding);
    l->encoding_guessed = h->encoding_guessed;
    if (!l->format || !l->encoding)
        return pl_err(err, PL_ENOMEM, "%s: out of memory", h->name);
    pl_strmap_clear(&a->seen_paths);
    return add_columns(a, h, 0, err);
}

static int on_columns(void *ctx, pl_log_header *h, size_t first, pl_error *err)
{
    return add_columns(ctx, h, first, err);
}

static pl_time tabs(pl_time x)
{
    return x < 0 ? -x : x;
}

/* Row `row` at time t, with the times n1 and n2 of the rows beside it (or,
 * for the first and last row, the two after or before it): a candidate to
 * set aside when it is over an hour from both and they are within a
 * hundredth of that of each other (set_aside_lone_rows decides). */
static void lone_check(pl_analysis *a, pl_time t, pl_time n1, pl_time n2, size_t row)
{
    pl_time g1 = tabs(t - n1), g2 = tabs(t - n2), g = g1 < g2 ? g1 : g2;
    if (g <= HOUR_TICKS || tabs(n1 - n2) >= g / 100) /* a division: ticks of centuries overflow a product */
        return;
    if (a->nlone == MAX_LONE) {
        a->lone_overflow = 1;
        return;
    }
    a->lone[a->nlone].t = t;
    a->lone[a->nlone].gap = g;
    a->lone[a->nlone++].row = row;
}

/* Keeps the MAX_LONE + 1 smallest (sign 1) or largest (-1) times. */
static void keep_extreme(pl_time *v, size_t *n, pl_time t, int sign)
{
    size_t i = *n;
    if (*n == MAX_LONE + 1) {
        if ((sign > 0 && t >= v[MAX_LONE]) || (sign < 0 && t <= v[MAX_LONE]))
            return;
        i = MAX_LONE;
    } else {
        (*n)++;
    }
    while (i > 0 && (sign > 0 ? t < v[i - 1] : t > v[i - 1])) {
        v[i] = v[i - 1];
        i--;
    }
    v[i] = t;
}

/* A row's time into the log's span, row count and sampling intervals. */
static void count_time(pl_analysis *a, pl_time t)
{
    pl_log_info *l = a->cur;
    if (l->rows == 0 || t < l->start) l->start = t;
    if (l->rows == 0 || t > l->end) l->end = t;
    keep_extreme(a->low, &a->nlow, t, 1);
    keep_extreme(a->high, &a->nhigh, t, -1);
    if (l->rows >= 2)
        lone_check(a, a->prev_t, a->t1, t, l->rows - 1);
    if (l->rows == 2)
        lone_check(a, a->t1, a->prev_t, t, 0); /* the first row: both on one side */
    a->t2 = a->t1;
    a->t1 = a->prev_t;
    l->rows++;
    if (a->have_prev && a->ndiffs < MAX_DIFFS && t > a->prev_t)
        a->diffs[a->ndiffs++] = (double)(t - a->prev_t) / PL_TICKS_PER_SEC;
    a->prev_t = t;
    a->have_prev = 1;
}

static int on_row(void *ctx, pl_time t, const double *v, size_t n, pl_error *err)
{
    pl_analysis *a = ctx;
    size_t i;
    int rc;
    count_time(a, t);
    for (i = 0; i < n; i++) {
        if (a->col[i] == NO_SERIES)
            continue;
        if ((rc = pl_store_add(a->store, a->col[i], t, v[i], err)) != PL_OK)
            return rc;
    }
    return PL_OK;
}

/* A .blg row: only the columns the sample named are stored; the rest are
 * counted missing when the log ends (sparse_missing). */
static int on_sparse_row(void *ctx, pl_time t, const double *v, size_t n, const size_t *present,
                         size_t npresent, pl_error *err)
{
    pl_analysis *a = ctx;
    size_t i;
    int rc;
    (void)n;
    a->sparse = 1;
    count_time(a, t);
    for (i = 0; i < npresent; i++) {
        size_t c = present[i];
        if (c >= a->ncol)
            continue;
        a->col_present[c]++;
        if (a->col[c] != NO_SERIES && (rc = pl_store_add(a->store, a->col[c], t, v[c], err)) != PL_OK)
            return rc;
    }
    return PL_OK;
}

/* The log's rows that did not name a column are its missing values, also
 * those before the column first appeared: a converted log has a blank
 * cell there, and both must tell the same. */
static void sparse_missing(pl_analysis *a)
{
    size_t c;
    if (!a->sparse)
        return;
    for (c = 0; c < a->ncol; c++)
        if (a->col[c] != NO_SERIES)
            pl_store_add_missing(a->store, a->col[c],
                                 a->cur->rows - a->col_present[c]);
}

/* Rows of a block, for columns lo..hi-1 (see pl_reader_sink.rows): each
 * column's series gets its values in order; the two halves run at once
 * on two threads, so they must not share a series (col_shared: then the
 * meta call stores every column and the other does nothing). */
static int on_rows(void *ctx, const pl_time *t, const double *v, size_t nrows, size_t stride,
                   size_t lo, size_t hi, int meta, pl_error *err)
{
    pl_analysis *a = ctx;
    size_t r, c;
    int rc;
    if (nrows == 0)
        return PL_OK; /* a block without a clean row: v may be NULL */
    if (a->col_shared) {
        if (!meta)
            return PL_OK;
        lo = 0;
        hi = stride;
    }
    if (meta)
        for (r = 0; r < nrows; r++)
            count_time(a, t[r]);
    for (c = lo; c < hi && c < a->ncol; c++) {
        size_t sid = a->col[c];
        if (sid == NO_SERIES)
            continue;
        if ((rc = pl_store_add_column(a->store, sid, t, v + c, stride, nrows, err)) != PL_OK)
            return rc;
    }
    return PL_OK;
}

/* Whether two columns of the log being read feed the same series. */
static int columns_shared(const pl_analysis *a)
{
    size_t n = pl_store_series_count(a->store), i;
    unsigned char *seen = calloc(n ? n : 1, 1);
    int shared = 0;
    if (!seen)
        return 1; /* the safe answer */
    for (i = 0; i < a->ncol && !shared; i++)
        if (a->col[i] != NO_SERIES && a->col[i] < n) {
            shared = seen[a->col[i]];
            seen[a->col[i]] = 1;
        }
    free(seen);
    return shared;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* ---------- reading ---------- */

static int begin_log(pl_analysis *a, const char *name, pl_error *err)
{
    pl_log_info *l;
    if (a->nlogs == a->caplogs) {
        size_t nc = a->caplogs ? a->caplogs * 2 : 4;
        pl_log_info *nl = realloc(a->logs, nc * sizeof *nl);
        if (!nl)
            return pl_err(err, PL_ENOMEM, "%s: out of memory", name);
        a->logs = nl;
        a->caplogs = nc;
    }
    l = &a->logs[a->nlogs];
    memset(l, 0, sizeof *l);
    if (!(l->file = pl_strdup(name)))
        return pl_err(err, PL_ENOMEM, "%s: out of memory", name);
    a->nlogs++;
    a->cur = l;
    a->ndiffs = 0;
    a->have_prev = 0;
    a->nlone = 0;
    a->lone_overflow = 0;
    a->nlow = a->nhigh = 0;
    drop_columns(a);
    return PL_OK;
}

/* The first of the times v[0..nv) (extremes, most extreme first) that is
 * not one of the n rows set aside; fallback when all are. */
static pl_time first_kept(const pl_time *v, size_t nv, const struct lone *lone, size_t n,
                          pl_time fallback)
{
    size_t i, k;
    for (i = 0; i < nv; i++) {
        for (k = 0; k < n && lone[k].t != v[i]; k++)
            ;
        if (k == n)
            return v[i];
    }
    return fallback;
}

/* Rows dated far from both neighbours are set aside: a lone row years
 * away would make a 10-minute log look a decade long (and judgeable),
 * and squash its chart. "Far": more than a day and a thousand sampling
 * intervals from each. A log whose time truly jumps (two captures in one
 * file) has no such row: the rows after the jump stay together. */
static void set_aside_lone_rows(pl_analysis *a)
{
    pl_log_info *l = a->cur;
    double farf = 1000 * l->interval_s * (double)PL_TICKS_PER_SEC;
    pl_time far = farf < 4e18 ? (pl_time)farf : (pl_time)4e18; /* no overflow */
    size_t i, k, n = 0, first_row = 0, nseries = pl_store_series_count(a->store);
    pl_time first_t = 0;
    unsigned char *done;
    char when[32];
    if (far < 24 * HOUR_TICKS)
        far = 24 * HOUR_TICKS;
    if (l->rows >= 3)
        lone_check(a, a->prev_t, a->t1, a->t2, l->rows - 1); /* the last row */
    for (i = 0; i < a->nlone; i++)
        if (a->lone[i].gap > far)
            a->lone[n++] = a->lone[i];
    if (n == 0 || a->lone_overflow || l->rows < n + 2)
        return;
    if (!(done = calloc(nseries ? nseries : 1, 1)))
        return; /* kept: no worse than before */
    for (k = 0; k < n; k++) {
        for (i = 0; i < a->ncol; i++) {
            size_t sid = a->col[i];
            if (sid == NO_SERIES || sid >= nseries || done[sid] == k + 1)
                continue;
            done[sid] = (unsigned char)(k + 1);
            pl_store_remove_sample(a->store, sid, a->lone[k].t);
        }
        if (k == 0 || a->lone[k].row < first_row) {
            first_row = a->lone[k].row;
            first_t = a->lone[k].t;
        }
    }
    free(done);
    /* the span without them: the smallest and largest times that are not */
    l->start = first_kept(a->low, a->nlow, a->lone, n, l->start);
    l->end = first_kept(a->high, a->nhigh, a->lone, n, l->end);
    l->rows -= n;
    pl_time_format_short(first_t, -l->tz.bias, when, sizeof when);
    pl_warnf(a->opts.warn, a->opts.warn_ctx,
             "%s: %zu row(s) dated far from the rest of the log were set aside (first: sample %zu, at %s)",
             l->file, n, first_row + 1, when);
}

static void end_log(pl_analysis *a)
{
    pl_log_info *l = a->cur;
    if (a->ndiffs) {
        qsort(a->diffs, a->ndiffs, sizeof a->diffs[0], cmp_double);
        l->interval_s = a->diffs[a->ndiffs / 2];
    }
    if (!l->format)
        l->format = pl_strdup("");
    if (!l->encoding)
        l->encoding = pl_strdup("");
    sparse_missing(a);
    set_aside_lone_rows(a);
    drop_columns(a);
    a->cur = NULL;
}

/* Drops the log being read after a failure, so the analysis stays usable. */
static void abort_log(pl_analysis *a)
{
    a->nlogs--;
    log_info_clear(&a->logs[a->nlogs]);
    drop_columns(a);
    a->cur = NULL;
}

static pl_reader_sink make_sink(pl_analysis *a, pl_reader_opts *ro)
{
    pl_reader_sink sink;
    memset(ro, 0, sizeof *ro);
    ro->encoding = a->opts.encoding;
    ro->utc_offset_set = a->opts.utc_offset_set;
    ro->utc_offset = a->opts.utc_offset;
    ro->warn = a->opts.warn;
    ro->warn_ctx = a->opts.warn_ctx;
    ro->threads = pl_analysis_threads(a);
    ro->progress = a->opts.progress;
    ro->progress_ctx = a->opts.progress_ctx;
    sink.ctx = a;
    sink.header = on_header;
    sink.row = on_row;
    sink.sparse_row = on_sparse_row;
    sink.columns = on_columns;
    sink.rows = on_rows;
    return sink;
}

int pl_analysis_read_buffer(pl_analysis *a, const char *name, const void *buf,
                            size_t len, size_t chunk, pl_error *err)
{
    pl_reader_opts ro;
    pl_reader_sink sink = make_sink(a, &ro);
    int rc;
    if ((rc = begin_log(a, name, err)) != PL_OK)
        return rc;
    rc = pl_log_read_buffer(name, buf, len, chunk, &ro, &sink, err);
    if (rc == PL_OK)
        end_log(a);
    else
        abort_log(a);
    return rc;
}

int pl_analysis_read_file(pl_analysis *a, const char *path, pl_error *err)
{
    pl_reader_opts ro;
    pl_reader_sink sink = make_sink(a, &ro);
    int rc;
    if ((rc = begin_log(a, strcmp(path, "-") == 0 ? "<stdin>" : path, err)) != PL_OK)
        return rc;
    rc = pl_log_read_file(path, a->opts.read_size, &ro, &sink, err);
    if (rc == PL_OK)
        end_log(a);
    else
        abort_log(a);
    return rc;
}

/* ---------- results ---------- */

/* The limit counter c grows towards: the user's, else for Committed Bytes
 * the last Commit Limit logged for its machine. */
static void find_limit(const pl_analysis *a, const pl_counter *c, pl_finding *f)
{
    size_t i, sid;
    for (i = 0; i < a->opts.n_limits; i++) {
        if (matches(a->limit_pat[i], c->path, c->path_en)) {
            f->limit = a->limit_val[i];
            snprintf(f->limit_source, sizeof f->limit_source, "--limit");
            return;
        }
    }
    if (is_counter(&c->parts, "Memory", "Committed Bytes") &&
        pl_strmap_get(&a->commit_limit, c->parts.machine ? c->parts.machine : "", &sid)) {
        const pl_series_stats *st = pl_series_get_stats(pl_store_series(a->store, sid));
        if (st->samples) {
            f->limit = st->last_value;
            snprintf(f->limit_source, sizeof f->limit_source, "Memory\\Commit Limit");
        }
    }
}

/* Judges counters, taking the next one not yet taken from *next until
 * none are left: counters differ in cost (a long log with restarts takes
 * longer than a flat one), so taking turns would leave one thread idle. */
static int detect_share(pl_analysis *a, atomic_size_t *next, pl_error *err)
{
    size_t i;
    while ((i = atomic_fetch_add(next, 1)) < a->ncounters) {
        pl_counter *c = &a->counters[i];
        pl_finding *f = &c->finding;
        const pl_series *pid = NULL;
        int rc;
        if (c->parts.object && pl_strcasecmp(c->parts.object, "Process") == 0 &&
            !is_counter(&c->parts, "Process", "ID Process")) {
            char *k = instance_key(&c->parts);
            size_t sid;
            if (!k)
                return pl_err(err, PL_ENOMEM, "out of memory");
            if (pl_strmap_get(&a->process_id, k, &sid))
                pid = pl_store_series(a->store, sid);
            free(k);
        }
        rc = pl_detect_counter(pl_store_series(a->store, c->series), pid, &a->opts.detect,
                               c->kind, c->unit, f, err);
        if (rc != PL_OK)
            return rc;
        if (c->kind == PL_KIND_HELD)
            find_limit(a, c, f);
        if (f->verdict == PL_VERDICT_LEAK && !isnan(f->limit) && f->slope_per_hour > 0) {
            /* From the fitted level now, at the estimated rate and, to be
             * safe, at the fastest rate the interval allows. */
            double left = fmax(0, f->limit - f->end_level);
            f->eta_h = left / f->slope_per_hour;
            f->eta_h_early = f->slope_hi > f->slope_per_hour ? left / f->slope_hi : f->eta_h;
        }
    }
    return PL_OK;
}

typedef struct detect_job {
    pl_analysis *a;
    atomic_size_t next;
    pthread_mutex_t lock;
    int rc;
    pl_error err;
} detect_job;

/* One thread's share: counters by the shared index; the first error
 * stops every thread's share. */
static void *detect_thread(void *arg)
{
    detect_job *j = arg;
    pl_error err;
    int rc = detect_share(j->a, &j->next, &err);
    if (rc != PL_OK) {
        pthread_mutex_lock(&j->lock);
        if (j->rc == PL_OK) {
            j->rc = rc;
            j->err = err;
        }
        pthread_mutex_unlock(&j->lock);
    }
    return NULL;
}

int pl_analysis_detect(pl_analysis *a, pl_error *err)
{
    /* Each counter is judged on its own from the read-only store, so the
     * counters are shared out between threads when there are enough of
     * them to be worth it; results do not depend on it. */
    detect_job j;
    size_t threads = (size_t)pl_analysis_threads(a);
    atomic_init(&j.next, 0);
    if (threads < 2 || a->ncounters < 16)
        return detect_share(a, &j.next, err);
    j.a = a;
    j.rc = PL_OK;
    pthread_mutex_init(&j.lock, NULL);
    pl_pool_run(threads, detect_thread, &j);
    pthread_mutex_destroy(&j.lock);
    if (j.rc != PL_OK && err)
        *err = j.err;
    return j.rc;
}

int pl_analysis_jobs(const pl_analysis *a)
{
    return a->opts.threads > 0 ? a->opts.threads : 0;
}

int pl_analysis_threads(const pl_analysis *a)
{
    /* by default two: reading is a two-stage pipeline, and judging a
     * log's counters is over in a fraction of its reading */
    return (int)pl_pool_threads(a->opts.threads, a->opts.threads > 0 ? 0 : 2);
}

size_t pl_analysis_log_count(const pl_analysis *a) { return a->nlogs; }
const pl_log_info *pl_analysis_log(const pl_analysis *a, size_t i)
{
    return i < a->nlogs ? &a->logs[i] : NULL;
}
size_t pl_analysis_counter_count(const pl_analysis *a) { return a->ncounters; }
size_t pl_analysis_aggregates_left_out(const pl_analysis *a) { return a->left_out.n; }
const pl_counter *pl_analysis_counter(const pl_analysis *a, size_t i)
{
    return i < a->ncounters ? &a->counters[i] : NULL;
}
const pl_store *pl_analysis_store(const pl_analysis *a) { return a->store; }

int pl_analysis_display_offset(const pl_analysis *a)
{
    return a->nlogs ? -a->logs[0].tz.bias : 0;
}

static int is_leak(pl_verdict v)
{
    return v == PL_VERDICT_LEAK;
}

/* Counters whose verdict pred holds. */
static size_t count_verdicts(const pl_analysis *a, int (*pred)(pl_verdict))
{
    size_t i, n = 0;
    for (i = 0; i < a->ncounters; i++)
        n += (size_t)pred(a->counters[i].finding.verdict);
    return n;
}

size_t pl_analysis_finding_count(const pl_analysis *a)
{
    return count_verdicts(a, pl_verdict_is_finding);
}

size_t pl_analysis_judged_count(const pl_analysis *a)
{
    return count_verdicts(a, pl_verdict_is_judged);
}

int pl_analysis_nothing_judged(const pl_analysis *a, char *why, size_t size)
{
    size_t i, few = 0, na = 0;
    char d[32], need[32];
    double span = pl_analysis_span_s(a), min_h = a->opts.detect.min_span_h;
    if (pl_analysis_judged_count(a))
        return 0;
    if (a->ncounters == 0) {
        snprintf(why, size, "no counter matched the selection (try --counter '*' or `perfleak counters`)");
        return 1;
    }
    for (i = 0; i < a->ncounters; i++) {
        few += a->counters[i].finding.verdict == PL_VERDICT_INSUFFICIENT;
        na += a->counters[i].finding.verdict == PL_VERDICT_NOT_APPLICABLE;
    }
    pl_format_duration(span, d, sizeof d);
    pl_format_span_hours(min_h, need, sizeof need);
    if (few && span < min_h * 3600)
        snprintf(why, size, "the log covers only %s; log at least %s to judge", d, need);
    else if (few && !na)
        snprintf(why, size, "no counter has enough samples (at least %zu over %s)",
                 a->opts.detect.min_samples, need);
    else if (!few)
        snprintf(why, size, "none of the counters is of something held that can leak (they are rates, percentages, caches...); select Process or Memory counters of bytes, handles or threads");
    else
        snprintf(why, size, "the counters of something held have too few samples (at least %zu over %s), the others cannot leak",
                 a->opts.detect.min_samples, need);
    return 1;
}

double pl_analysis_span_s(const pl_analysis *a)
{
    pl_time lo = 0, hi = 0;
    size_t i;
    int any = 0;
    for (i = 0; i < a->nlogs; i++) {
        const pl_log_info *l = &a->logs[i];
        if (!l->rows)
            continue;
        if (!any || l->start < lo) lo = l->start;
        if (!any || l->end > hi) hi = l->end;
        any = 1;
    }
    return any ? (double)(hi - lo) / PL_TICKS_PER_SEC : 0;
}

size_t pl_analysis_leak_count(const pl_analysis *a)
{
    return count_verdicts(a, is_leak);
}

/* Sort key: findings first, by relative change (largest first), then
 * suspects; ties and the rest keep log order. */
typedef struct { size_t idx; int rank; double pct; } order_key;

static int cmp_order(const void *x, const void *y)
{
    const order_key *a = x, *b = y;
    if (a->rank != b->rank)
        return b->rank - a->rank;
    if (a->rank && a->pct != b->pct) {
        if (isnan(a->pct)) return 1;
        if (isnan(b->pct)) return -1;
        return a->pct < b->pct ? 1 : -1;
    }
    return (a->idx > b->idx) - (a->idx < b->idx);
}

int pl_analysis_order(const pl_analysis *a, size_t **order, pl_error *err)
{
    size_t i, n = a->ncounters;
    order_key *k = malloc((n ? n : 1) * sizeof *k);
    size_t *o = malloc((n ? n : 1) * sizeof *o);
    *order = NULL;
    if (!k || !o) {
        free(k);
        free(o);
        return pl_err(err, PL_ENOMEM, "out of memory");
    }
    for (i = 0; i < n; i++) {
        const pl_finding *f = &a->counters[i].finding;
        k[i].idx = i;
        k[i].rank = pl_verdict_is_finding(f->verdict) ? 2 : f->suspect ? 1 : 0;
        k[i].pct = fabs(f->growth_pct);
    }
    qsort(k, n, sizeof *k, cmp_order);
    for (i = 0; i < n; i++)
        o[i] = k[i].idx;
    free(k);
    *order = o;
    return PL_OK;
}
