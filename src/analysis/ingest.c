/* ingest.c - reading logs into an analysis: the readers' sink (columns
 * to series, several logs of one machine merged on time, .blg rows stored
 * by column), the counters a header adds, the missing values of sparse
 * rows, and the rows set aside when a log ends (with timeline.c). The
 * state of the log being read is its own (pl_ingest). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/analysis_internal.h"
#include "perfleak/import.h"
#include "perfleak/inputs.h"
#include "perfleak/units.h"
#include "perfleak/counters.h"
#include "util/internal.h"

/* ---------- the log being read ---------- */

void pl_log_info_clear(pl_log_info *l)
{
    size_t i;
    free(l->file);
    free(l->format);
    free(l->encoding);
    for (i = 0; i < l->n_machines; i++)
        free(l->machines[i]);
    free(l->machines);
}

static void drop_columns(pl_analysis *a)
{
    free(a->in.col);
    free(a->in.col_present);
    a->in.col = a->in.col_present = NULL;
    a->in.ncol = 0;
    a->in.sparse = 0;
    free(a->in.bt);
    free(a->in.bv);
    free(a->in.bp);
    a->in.bt = NULL;
    a->in.bv = NULL;
    a->in.bp = NULL;
    a->in.brows = a->in.bmax = a->in.bstride = 0;
}

/* Stores the gathered sparse rows, column by column: each run of rows
 * that named the column in one call, the rows between them left for
 * sparse_missing as before. */
static int flush_sparse(pl_analysis *a, pl_error *err)
{
    size_t c, r, n = a->in.brows, w = a->in.bstride;
    int rc;
    a->in.brows = 0;
    for (c = 0; c < w && c < a->in.ncol; c++) {
        if (a->in.col[c] == NO_SERIES)
            continue;
        for (r = 0; r < n;) {
            size_t start;
            while (r < n && !a->in.bp[r * w + c])
                r++;
            for (start = r; r < n && a->in.bp[r * w + c]; r++)
                ;
            if (r > start &&
                (rc = pl_store_add_column(a->store, a->in.col[c], a->in.bt + start, a->in.bv + start * w + c, w,
                                          r - start, err)) != PL_OK)
                return rc;
        }
    }
    return PL_OK;
}

static int add_machine(pl_log_info *l, const char *m)
{
    size_t i;
    for (i = 0; i < l->n_machines; i++)
        if (strcmp(l->machines[i], m) == 0)
            return 0;
    if (pl_grow(&l->machines, &l->cap_machines, l->n_machines + 1, sizeof *l->machines) != 0)
        return -1;
    if (!(l->machines[l->n_machines] = pl_strdup(m)))
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
        return pl_err(err, PL_ENOMEM, "%s: out of memory", a->in.cur->file);
    if (pl_strmap_get(&a->by_path, k, idx)) {
        free(k);
        pl_path_clear(parts);
        return PL_OK;
    }
    if (pl_grow(&a->counters, &a->capcounters, a->ncounters + 1, sizeof *a->counters) != 0) {
        free(k);
        return pl_err(err, PL_ENOMEM, "%s: out of memory", a->in.cur->file);
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
        return pl_err(err, PL_ENOMEM, "%s: out of memory", a->in.cur->file);
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

/* Keeps column i's series under key in map (a helper series: Commit Limit
 * per machine, ID Process per process), giving the column a series of its
 * own when it is not analysed. Consumes key. */
static int register_helper(pl_analysis *a, pl_strmap *map, size_t i, char *key, pl_error *err)
{
    size_t sid;
    int rc = PL_OK;
    if (!key)
        return pl_err(err, PL_ENOMEM, "%s: out of memory", a->in.cur->file);
    if (pl_strmap_get(map, key, &sid)) {
        a->in.col[i] = a->in.col[i] == NO_SERIES ? sid : a->in.col[i];
    } else if (a->in.col[i] == NO_SERIES &&
               (rc = pl_store_add_series(a->store, &a->in.col[i], err)) != PL_OK) {
        /* rc set */
    } else if (pl_strmap_put(map, key, a->in.col[i])) {
        rc = pl_err(err, PL_ENOMEM, "%s: out of memory", a->in.cur->file);
    }
    free(key);
    return rc;
}

static int columns_shared(const pl_analysis *a);

/* IIS names its worker processes' counter instances "<pid>_<app pool>"
 * (W3SVC_W3WP, WAS_W3WP): the one thing a log says of which w3wp is
 * which site, kept so that a w3wp is known across reboots by its pool.
 * 0, or -1 when out of memory. */
static int note_app_pool(pl_analysis *a, const pl_path *p)
{
    const char *in = p->instance, *u;
    char *key;
    size_t n;
    int rc;
    if (!p->object || !in || (pl_strcasecmp(p->object, "W3SVC_W3WP") != 0 && pl_strcasecmp(p->object, "WAS_W3WP") != 0))
        return 0;
    for (u = in; *u >= '0' && *u <= '9'; u++)
        ;
    if (u == in || *u != '_' || !u[1] || u - in > 10)
        return 0;
    n = strlen(pl_machine_bare(p->machine)) + strlen(in) + 3;
    if (!(key = malloc(n)))
        return -1;
    snprintf(key, n, "%s\x1F%.*s\x1F%s", pl_machine_bare(p->machine), (int)(u - in), in, u + 1);
    rc = pl_strmap_put(&a->app_pools, key, 0);
    free(key);
    return rc;
}

/* Maps header columns first..h->ncols-1 to series. */
static int add_columns(pl_analysis *a, pl_log_header *h, size_t first, pl_error *err)
{
    pl_strmap *seen = &a->seen_paths;
    size_t i;
    int rc = PL_OK;
    char *key = NULL;
    pl_strmap *helper;
    size_t *nc = realloc(a->in.col, (h->ncols ? h->ncols : 1) * sizeof *nc), *np;
    if (!nc)
        return pl_err(err, PL_ENOMEM, "%s: out of memory", h->name);
    a->in.col = nc;
    if (!(np = realloc(a->in.col_present, (h->ncols ? h->ncols : 1) * sizeof *np)))
        return pl_err(err, PL_ENOMEM, "%s: out of memory", h->name);
    a->in.col_present = np;
    for (i = first; i < h->ncols; i++)
        a->in.col_present[i] = 0;
    a->in.ncol = h->ncols;
    a->in.cur->columns = h->ncols;
    /* all set before any can fail: columns_shared reads every one */
    for (i = first; i < h->ncols; i++)
        a->in.col[i] = NO_SERIES;
    for (i = first; i < h->ncols && rc == PL_OK; i++) {
        pl_path parts;
        size_t occ = 0;
        a->in.col[i] = NO_SERIES;
        if ((rc = pl_path_parse(h->paths[i], &parts, err)) != PL_OK)
            break;
        if ((parts.machine && add_machine(a->in.cur, parts.machine)) || note_app_pool(a, &parts)) {
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
        if (occ == 1 && pl_counter_is(&parts, "Memory", "Commit Limit")) {
            helper = &a->commit_limit;
            key = pl_strdup(parts.machine ? parts.machine : "");
        } else if (occ == 1 && pl_counter_is(&parts, "Process", "ID Process")) {
            helper = &a->process_id;
            key = pl_path_instance_key(&parts);
        }
        {
            int oom = 0;
            char *en = pl_path_english(&parts, &oom);
            int sel = !oom && pl_select_counter(&a->sel, h->paths[i], en, &parts);
            size_t ci;
            /* Counted, so that reports can say why a log of 276 processes
             * shows 274 counters. */
            if (!oom && !sel && pl_select_left_out_aggregate(&a->sel, &parts) &&
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
                a->in.col[i] = a->counters[ci].series;
            free(en);
        }
        if (helper && rc == PL_OK)
            rc = register_helper(a, helper, i, key, err);
        else
            free(key);
        key = NULL;
        if (a->in.col[i] == NO_SERIES)
            h->select[i] = 0;
        pl_path_clear(&parts);
    }
    if (rc == PL_OK && (a->in.col_shared = columns_shared(a)) < 0)
        rc = pl_err(err, PL_ENOMEM, "%s: out of memory", a->in.cur->file);
    return rc;
}

static int on_header(void *ctx, pl_log_header *h, pl_error *err)
{
    pl_analysis *a = ctx;
    pl_log_info *l = a->in.cur;
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
    pl_analysis *a = ctx;
    int rc = flush_sparse(a, err); /* the rows before are bstride columns wide */
    return rc != PL_OK ? rc : add_columns(ctx, h, first, err);
}

/* Whether a row at t is inside the window (counting those that are not). */
static int in_window(pl_analysis *a, pl_time t)
{
    if (pl_window_has(&a->window, a->in.cur->tz.bias, t))
        return 1;
    a->in.outside++;
    return 0;
}

/* A row's time into the log's span, row count and intervals. */
static void count_time(pl_analysis *a, pl_time t)
{
    pl_log_info *l = a->in.cur;
    if (l->rows == 0 || t < l->start) l->start = t;
    if (l->rows == 0 || t > l->end) l->end = t;
    l->rows++;
    pl_timeline_add(&a->in.tl, t);
}

static int on_row(void *ctx, pl_time t, const double *v, size_t n, pl_error *err)
{
    pl_analysis *a = ctx;
    size_t i;
    int rc;
    if (!in_window(a, t))
        return PL_OK;
    count_time(a, t);
    for (i = 0; i < n; i++) {
        if (a->in.col[i] == NO_SERIES)
            continue;
        if ((rc = pl_store_add(a->store, a->in.col[i], t, v[i], err)) != PL_OK)
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
    a->in.sparse = 1;
    if (!in_window(a, t))
        return PL_OK;
    count_time(a, t);
    if (!a->in.col_shared && a->in.ncol) {
        /* Gathered, to store by column (a wide log's row visits thousands
         * of series, each a cache miss: the 9 016 counters of 322
         * processes took 2.5 s row by row). Columns sharing a series
         * stay row by row: their samples must interleave in time. */
        size_t w = a->in.ncol, r;
        if (a->in.bstride != w || !a->in.bt) {
            if ((rc = flush_sparse(a, err)) != PL_OK)
                return rc;
            free(a->in.bt);
            free(a->in.bv);
            free(a->in.bp);
            a->in.bmax = ((size_t)4 << 20) / (w * (sizeof(double) + 1));
            a->in.bmax = a->in.bmax < 1 ? 1 : a->in.bmax > 64 ? 64 : a->in.bmax;
            a->in.bt = malloc(a->in.bmax * sizeof *a->in.bt);
            a->in.bv = malloc(a->in.bmax * w * sizeof *a->in.bv);
            a->in.bp = malloc(a->in.bmax * w);
            a->in.bstride = w;
            if (!a->in.bt || !a->in.bv || !a->in.bp)
                return pl_err(err, PL_ENOMEM, "%s: out of memory", a->in.cur->file);
        }
        r = a->in.brows++;
        a->in.bt[r] = t;
        memset(a->in.bp + r * w, 0, w);
        for (i = 0; i < npresent; i++) {
            size_t c = present[i];
            if (c >= w)
                continue;
            a->in.col_present[c]++;
            if (a->in.col[c] != NO_SERIES) {
                a->in.bp[r * w + c] = 1;
                a->in.bv[r * w + c] = v[c];
            }
        }
        return a->in.brows == a->in.bmax ? flush_sparse(a, err) : PL_OK;
    }
    if ((rc = flush_sparse(a, err)) != PL_OK)
        return rc;
    for (i = 0; i < npresent; i++) {
        size_t c = present[i];
        if (c >= a->in.ncol)
            continue;
        a->in.col_present[c]++;
        if (a->in.col[c] != NO_SERIES && (rc = pl_store_add(a->store, a->in.col[c], t, v[c], err)) != PL_OK)
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
    if (!a->in.sparse)
        return;
    for (c = 0; c < a->in.ncol; c++)
        if (a->in.col[c] != NO_SERIES)
            pl_store_add_missing(a->store, a->in.col[c],
                                 a->in.cur->rows - a->in.col_present[c]);
}

/* Rows of a block, for columns lo..hi-1 (see pl_reader_sink.rows): each
 * column's series gets its values in order; the two halves run at once
 * on two threads, so they must not share a series (col_shared: then the
 * meta call stores every column and the other does nothing). */
static int store_rows(pl_analysis *a, const pl_time *t, const double *v, size_t nrows, size_t stride,
                      size_t lo, size_t hi, int meta, pl_error *err)
{
    size_t r, c;
    int rc;
    if (meta)
        for (r = 0; r < nrows; r++)
            count_time(a, t[r]);
    for (c = lo; c < hi && c < a->in.ncol; c++) {
        size_t sid = a->in.col[c];
        if (sid == NO_SERIES)
            continue;
        if ((rc = pl_store_add_column(a->store, sid, t, v + c, stride, nrows, err)) != PL_OK)
            return rc;
    }
    return PL_OK;
}

static int on_rows(void *ctx, const pl_time *t, const double *v, size_t nrows, size_t stride,
                   size_t lo, size_t hi, int meta, pl_error *err)
{
    pl_analysis *a = ctx;
    size_t r;
    int rc;
    if (nrows == 0)
        return PL_OK; /* a block without a clean row: v may be NULL */
    if (a->in.col_shared) {
        if (!meta)
            return PL_OK;
        lo = 0;
        hi = stride;
    }
    if (a->window.has_begin || a->window.has_end) {
        /* the rows inside the window, in runs stored one by one (both
         * threads find the same runs; the meta one counts) */
        size_t start;
        for (r = 0; r < nrows;) {
            while (r < nrows && !pl_window_has(&a->window, a->in.cur->tz.bias, t[r])) {
                if (meta)
                    a->in.outside++;
                r++;
            }
            for (start = r; r < nrows && pl_window_has(&a->window, a->in.cur->tz.bias, t[r]); r++)
                ;
            if (r > start && (rc = store_rows(a, t + start, v + start * stride, r - start, stride, lo, hi,
                                              meta, err)) != PL_OK)
                return rc;
        }
        return PL_OK;
    }
    return store_rows(a, t, v, nrows, stride, lo, hi, meta, err);
}

/* Whether two columns of the log being read feed the same series: 1 or
 * 0, -1 out of memory. */
static int columns_shared(const pl_analysis *a)
{
    size_t n = pl_store_series_count(a->store), i;
    unsigned char *seen = calloc(n ? n : 1, 1);
    int shared = 0;
    if (!seen)
        return -1;
    for (i = 0; i < a->in.ncol && !shared; i++)
        if (a->in.col[i] != NO_SERIES && a->in.col[i] < n) {
            shared = seen[a->in.col[i]];
            seen[a->in.col[i]] = 1;
        }
    free(seen);
    return shared;
}

/* ---------- reading ---------- */

static int begin_log(pl_analysis *a, const char *name, pl_error *err)
{
    pl_log_info *l;
    if (pl_grow(&a->logs, &a->caplogs, a->nlogs + 1, sizeof *a->logs) != 0)
        return pl_err(err, PL_ENOMEM, "%s: out of memory", name);
    l = &a->logs[a->nlogs];
    memset(l, 0, sizeof *l);
    if (!(l->file = pl_strdup(name)))
        return pl_err(err, PL_ENOMEM, "%s: out of memory", name);
    a->nlogs++;
    a->in.cur = l;
    a->in.outside = 0;
    pl_timeline_init(&a->in.tl);
    drop_columns(a);
    return PL_OK;
}

/* Rows dated far from both neighbours are set aside: a lone row years
 * away would make a 10-minute log look a decade long (and judgeable),
 * and squash its chart. "Far": more than a day and a thousand sampling
 * intervals from each. A log whose time truly jumps (two captures in one
 * file) has no such row: the rows after the jump stay together. */
static int set_aside_lone_rows(pl_analysis *a, pl_error *err)
{
    pl_log_info *l = a->in.cur;
    const pl_lone_row *lone = a->in.tl.lone;
    size_t i, k, n = pl_timeline_far_rows(&a->in.tl, l->interval_s), first_row = 0;
    size_t nseries = pl_store_series_count(a->store);
    pl_time first_t = 0;
    unsigned char *done;
    char when[32];
    if (n == 0)
        return PL_OK;
    if (!(done = calloc(nseries ? nseries : 1, 1)))
        return pl_err(err, PL_ENOMEM, "%s: out of memory", l->file);
    for (k = 0; k < n; k++) {
        for (i = 0; i < a->in.ncol; i++) {
            size_t sid = a->in.col[i];
            if (sid == NO_SERIES || sid >= nseries || done[sid] == k + 1)
                continue;
            done[sid] = (unsigned char)(k + 1);
            pl_store_remove_sample(a->store, sid, lone[k].t);
        }
        if (k == 0 || lone[k].row < first_row) {
            first_row = lone[k].row;
            first_t = lone[k].t;
        }
    }
    free(done);
    /* the span without them: the smallest and largest times that are not */
    pl_timeline_span_without(&a->in.tl, n, &l->start, &l->end);
    l->rows -= n;
    pl_time_format_short(first_t, -l->tz.bias, when, sizeof when);
    pl_warnf(a->opts.warn, a->opts.warn_ctx,
             "%s: %zu row(s) dated far from the rest of the log were set aside (first: sample %zu, at %s)",
             l->file, n, first_row + 1, when);
    return PL_OK;
}

/* What a log read whole leaves: its interval, its missing values, the
 * rows set aside. PL_OK or PL_ENOMEM (before anything was changed). */
static int end_log(pl_analysis *a, pl_error *err)
{
    pl_log_info *l = a->in.cur;
    int rc;
    if (a->in.tl.ndiffs)
        l->interval_s = pl_timeline_interval(&a->in.tl);
    if ((!l->format && !(l->format = pl_strdup(""))) ||
        (!l->encoding && !(l->encoding = pl_strdup(""))))
        return pl_err(err, PL_ENOMEM, "%s: out of memory", l->file);
    if (a->in.outside && !l->rows)
        pl_warnf(a->opts.warn, a->opts.warn_ctx,
                 "%s: all %zu rows are outside the time window given; nothing of it is judged", l->file,
                 a->in.outside);
    sparse_missing(a);
    if ((rc = set_aside_lone_rows(a, err)) != PL_OK)
        return rc;
    drop_columns(a);
    a->in.cur = NULL;
    return PL_OK;
}

/* Drops the log being read after a failure, so the analysis stays usable. */
static void abort_log(pl_analysis *a)
{
    a->nlogs--;
    pl_log_info_clear(&a->logs[a->nlogs]);
    drop_columns(a);
    a->in.cur = NULL;
}

/* After the reader returned rc: the log ended, or dropped whole. */
static int finish_log(pl_analysis *a, int rc, pl_error *err)
{
    if (rc == PL_OK)
        rc = flush_sparse(a, err);
    if (rc == PL_OK && a->warn_oom)
        rc = pl_err(err, PL_ENOMEM, "%s: out of memory keeping a warning", a->in.cur->file);
    if (rc == PL_OK)
        rc = end_log(a, err);
    if (rc != PL_OK)
        abort_log(a);
    return rc;
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
    return finish_log(a, pl_log_read_buffer(name, buf, len, chunk, &ro, &sink, err), err);
}

/* One log an input holds (inputs.h), read as one log of the analysis. */
static int read_input_log(void *ctx, const char *label, const pl_source *src, pl_error *err)
{
    pl_analysis *a = ctx;
    pl_reader_opts ro;
    pl_reader_sink sink = make_sink(a, &ro);
    int rc;
    if ((rc = begin_log(a, label, err)) != PL_OK)
        return rc;
    return finish_log(a, pl_log_read_source(label, src, a->opts.read_size, &ro, &sink, err), err);
}

int pl_analysis_read_file(pl_analysis *a, const char *path, pl_error *err)
{
    pl_input_opts io;
    io.max_expand = a->opts.max_expand;
    io.warn = a->opts.warn;
    io.warn_ctx = a->opts.warn_ctx;
    return pl_inputs_read(path, &io, read_input_log, a, err);
}


void pl_ingest_clear(pl_analysis *a)
{
    drop_columns(a);
}
