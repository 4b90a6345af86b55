/* analysis.c - the pipeline behind `perfleak analyze` and `counters`:
 * sniff each log, stream it through its reader into the store (counters of
 * several logs with the same path share one series, merged on time), then
 * judge every selected counter. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/analysis_internal.h"
#include "detect/stats.h"
#include "perfleak/import.h"
#include "perfleak/units.h"
#include "perfleak/counters.h"
#include "util/internal.h"

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

/* Every warning goes to the caller as it comes and is kept for the
 * reports, split into the log it names, its line or offset, and text. */
static void record_warning(void *ctx, const char *msg)
{
    pl_analysis *a = ctx;
    const char *file = a->cur ? a->cur->file : NULL, *p = msg;
    pl_warning w;
    size_t fl;
    if (a->user_warn)
        a->user_warn(a->user_warn_ctx, msg);
    if (a->nwarnings >= PL_MAX_WARNINGS) {
        a->warnings_dropped++;
        return;
    }
    memset(&w, 0, sizeof w);
    if (file && (fl = strlen(file)) && strncmp(p, file, fl) == 0 && p[fl] == ':' &&
        (p[fl + 1] == ' ' || (p[fl + 1] >= '0' && p[fl + 1] <= '9'))) {
        char *end;
        p += fl + 1;
        if (*p >= '0' && *p <= '9') { /* "FILE:LINE: text", as the text readers say it */
            w.line = strtoull(p, &end, 10);
            if (*end == ':') {
                p = end + 1 + (end[1] == ' ');
            } else {
                w.line = 0;
                p = msg + fl + 1;
            }
        }
        p += *p == ' ';
        if (w.line) {
            /* done */
        } else if (strncmp(p, "line ", 5) == 0 && p[5] >= '0' && p[5] <= '9') {
            w.line = strtoull(p + 5, &end, 10);
            if (end[0] == ':' && end[1] == ' ')
                p = end + 2;
            else
                w.line = 0;
        } else if (strncmp(p, "offset 0x", 9) == 0) {
            w.offset = strtoull(p + 9, &end, 16);
            if (end[0] == ':' && end[1] == ' ') {
                w.has_offset = 1;
                p = end + 2;
            }
        }
        if (!(w.file = pl_strdup(file))) {
            a->warn_oom = 1;
            return;
        }
    } else {
        file = NULL;
    }
    if (!(w.text = pl_strdup(p)) ||
        pl_grow(&a->warnings, &a->capwarnings, a->nwarnings + 1, sizeof *a->warnings) != 0) {
        free((char *)(uintptr_t)w.file);
        free((char *)(uintptr_t)w.text);
        a->warn_oom = 1; /* a report without it would be silently short */
        return;
    }
    a->warnings[a->nwarnings++] = w;
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
    a->user_warn = a->opts.warn;
    a->user_warn_ctx = a->opts.warn_ctx;
    a->opts.warn = record_warning;
    a->opts.warn_ctx = a;
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
                        "a limit takes COUNTER=VALUE, e.g. 'Memory\\Pool Paged Bytes=2GB', got '%s'",
                        a->opts.limits[i]);
            pl_analysis_free(a);
            return rc;
        }
        *eq = '\0';
    }
    if ((rc = pl_window_parse(&a->window, a->opts.begin, a->opts.end, err)) != PL_OK) {
        pl_analysis_free(a);
        return rc;
    }
    a->opts.begin = a->opts.end = NULL; /* the caller's strings: not kept */
    if ((rc = pl_analysis_set_run(a, a->opts.run_command, a->opts.run_time, err)) != PL_OK) {
        pl_analysis_free(a);
        return rc;
    }
    a->opts.run_command = NULL;
    a->sel.include = (const char *const *)a->include;
    a->sel.n_include = a->opts.n_include;
    a->sel.exclude = (const char *const *)a->exclude;
    a->sel.n_exclude = a->opts.n_exclude;
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

int pl_analysis_set_run(pl_analysis *a, const char *command, long long unix_time, pl_error *err)
{
    char *c = NULL;
    if (command && !(c = pl_utf8_sanitize(command, strlen(command))))
        return pl_err(err, PL_ENOMEM, "out of memory");
    free(a->run_command);
    a->run_command = c;
    a->run_time = unix_time;
    return PL_OK;
}

const char *pl_analysis_run_command(const pl_analysis *a)
{
    return a->run_command;
}

long long pl_analysis_run_time(const pl_analysis *a)
{
    return a->run_time;
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
    free(a->run_command);
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
    for (i = 0; i < a->nwarnings; i++) {
        free((char *)(uintptr_t)a->warnings[i].file);
        free((char *)(uintptr_t)a->warnings[i].text);
    }
    free(a->warnings);
    pl_strmap_clear(&a->by_path);
    pl_strmap_clear(&a->commit_limit);
    pl_strmap_clear(&a->process_id);
    free(a->pid_of);
    pl_strmap_clear(&a->seen_paths);
    pl_strmap_clear(&a->left_out);
    pl_store_free(a->store);
    drop_columns(a);
    free(a);
}

/* ---------- reader callbacks ---------- */

static void drop_columns(pl_analysis *a)
{
    free(a->col);
    free(a->col_present);
    a->col = a->col_present = NULL;
    a->ncol = 0;
    a->sparse = 0;
    free(a->bt);
    free(a->bv);
    free(a->bp);
    a->bt = NULL;
    a->bv = NULL;
    a->bp = NULL;
    a->brows = a->bmax = a->bstride = 0;
}

/* Stores the gathered sparse rows, column by column: each run of rows
 * that named the column in one call, the rows between them left for
 * sparse_missing as before. */
static int flush_sparse(pl_analysis *a, pl_error *err)
{
    size_t c, r, n = a->brows, w = a->bstride;
    int rc;
    a->brows = 0;
    for (c = 0; c < w && c < a->ncol; c++) {
        if (a->col[c] == NO_SERIES)
            continue;
        for (r = 0; r < n;) {
            size_t start;
            while (r < n && !a->bp[r * w + c])
                r++;
            for (start = r; r < n && a->bp[r * w + c]; r++)
                ;
            if (r > start &&
                (rc = pl_store_add_column(a->store, a->col[c], a->bt + start, a->bv + start * w + c, w,
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
        return pl_err(err, PL_ENOMEM, "%s: out of memory", a->cur->file);
    if (pl_strmap_get(&a->by_path, k, idx)) {
        free(k);
        pl_path_clear(parts);
        return PL_OK;
    }
    if (pl_grow(&a->counters, &a->capcounters, a->ncounters + 1, sizeof *a->counters) != 0) {
        free(k);
        return pl_err(err, PL_ENOMEM, "%s: out of memory", a->cur->file);
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
    if (rc == PL_OK && (a->col_shared = columns_shared(a)) < 0)
        rc = pl_err(err, PL_ENOMEM, "%s: out of memory", a->cur->file);
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
    pl_analysis *a = ctx;
    int rc = flush_sparse(a, err); /* the rows before are bstride columns wide */
    return rc != PL_OK ? rc : add_columns(ctx, h, first, err);
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
    if (g <= PL_TICKS_PER_HOUR || tabs(n1 - n2) >= g / 100) /* a division: ticks of centuries overflow a product */
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
/* Whether a row at t is inside the window (counting those that are not). */
static int in_window(pl_analysis *a, pl_time t)
{
    if (pl_window_has(&a->window, a->cur->tz.bias, t))
        return 1;
    a->outside++;
    return 0;
}

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
    if (!in_window(a, t))
        return PL_OK;
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
    if (!in_window(a, t))
        return PL_OK;
    count_time(a, t);
    if (!a->col_shared && a->ncol) {
        /* Gathered, to store by column (a wide log's row visits thousands
         * of series, each a cache miss: the 9 016 counters of 322
         * processes took 2.5 s row by row). Columns sharing a series
         * stay row by row: their samples must interleave in time. */
        size_t w = a->ncol, r;
        if (a->bstride != w || !a->bt) {
            if ((rc = flush_sparse(a, err)) != PL_OK)
                return rc;
            free(a->bt);
            free(a->bv);
            free(a->bp);
            a->bmax = ((size_t)4 << 20) / (w * (sizeof(double) + 1));
            a->bmax = a->bmax < 1 ? 1 : a->bmax > 64 ? 64 : a->bmax;
            a->bt = malloc(a->bmax * sizeof *a->bt);
            a->bv = malloc(a->bmax * w * sizeof *a->bv);
            a->bp = malloc(a->bmax * w);
            a->bstride = w;
            if (!a->bt || !a->bv || !a->bp)
                return pl_err(err, PL_ENOMEM, "%s: out of memory", a->cur->file);
        }
        r = a->brows++;
        a->bt[r] = t;
        memset(a->bp + r * w, 0, w);
        for (i = 0; i < npresent; i++) {
            size_t c = present[i];
            if (c >= w)
                continue;
            a->col_present[c]++;
            if (a->col[c] != NO_SERIES) {
                a->bp[r * w + c] = 1;
                a->bv[r * w + c] = v[c];
            }
        }
        return a->brows == a->bmax ? flush_sparse(a, err) : PL_OK;
    }
    if ((rc = flush_sparse(a, err)) != PL_OK)
        return rc;
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
static int store_rows(pl_analysis *a, const pl_time *t, const double *v, size_t nrows, size_t stride,
                      size_t lo, size_t hi, int meta, pl_error *err)
{
    size_t r, c;
    int rc;
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

static int on_rows(void *ctx, const pl_time *t, const double *v, size_t nrows, size_t stride,
                   size_t lo, size_t hi, int meta, pl_error *err)
{
    pl_analysis *a = ctx;
    size_t r;
    int rc;
    if (nrows == 0)
        return PL_OK; /* a block without a clean row: v may be NULL */
    if (a->col_shared) {
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
            while (r < nrows && !pl_window_has(&a->window, a->cur->tz.bias, t[r])) {
                if (meta)
                    a->outside++;
                r++;
            }
            for (start = r; r < nrows && pl_window_has(&a->window, a->cur->tz.bias, t[r]); r++)
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
    for (i = 0; i < a->ncol && !shared; i++)
        if (a->col[i] != NO_SERIES && a->col[i] < n) {
            shared = seen[a->col[i]];
            seen[a->col[i]] = 1;
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
    a->cur = l;
    a->outside = 0;
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
static int set_aside_lone_rows(pl_analysis *a, pl_error *err)
{
    pl_log_info *l = a->cur;
    double farf = 1000 * l->interval_s * (double)PL_TICKS_PER_SEC;
    pl_time far = farf < 4e18 ? (pl_time)farf : (pl_time)4e18; /* no overflow */
    size_t i, k, n = 0, first_row = 0, nseries = pl_store_series_count(a->store);
    pl_time first_t = 0;
    unsigned char *done;
    char when[32];
    if (far < 24 * PL_TICKS_PER_HOUR)
        far = 24 * PL_TICKS_PER_HOUR;
    if (l->rows >= 3)
        lone_check(a, a->prev_t, a->t1, a->t2, l->rows - 1); /* the last row */
    for (i = 0; i < a->nlone; i++)
        if (a->lone[i].gap > far)
            a->lone[n++] = a->lone[i];
    if (n == 0 || a->lone_overflow || l->rows < n + 2)
        return PL_OK;
    if (!(done = calloc(nseries ? nseries : 1, 1)))
        return pl_err(err, PL_ENOMEM, "%s: out of memory", l->file);
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
    return PL_OK;
}

/* What a log read whole leaves: its interval, its missing values, the
 * rows set aside. PL_OK or PL_ENOMEM (before anything was changed). */
static int end_log(pl_analysis *a, pl_error *err)
{
    pl_log_info *l = a->cur;
    int rc;
    if (a->ndiffs) {
        /* the upper median: an interval that was logged */
        l->interval_s = pl_select(a->diffs, a->ndiffs, a->ndiffs / 2);
    }
    if ((!l->format && !(l->format = pl_strdup(""))) ||
        (!l->encoding && !(l->encoding = pl_strdup(""))))
        return pl_err(err, PL_ENOMEM, "%s: out of memory", l->file);
    if (a->outside && !l->rows)
        pl_warnf(a->opts.warn, a->opts.warn_ctx,
                 "%s: all %zu rows are outside the time window given; nothing of it is judged", l->file,
                 a->outside);
    sparse_missing(a);
    if ((rc = set_aside_lone_rows(a, err)) != PL_OK)
        return rc;
    drop_columns(a);
    a->cur = NULL;
    return PL_OK;
}

/* Drops the log being read after a failure, so the analysis stays usable. */
static void abort_log(pl_analysis *a)
{
    a->nlogs--;
    log_info_clear(&a->logs[a->nlogs]);
    drop_columns(a);
    a->cur = NULL;
}

/* After the reader returned rc: the log ended, or dropped whole. */
static int finish_log(pl_analysis *a, int rc, pl_error *err)
{
    if (rc == PL_OK)
        rc = flush_sparse(a, err);
    if (rc == PL_OK && a->warn_oom)
        rc = pl_err(err, PL_ENOMEM, "%s: out of memory keeping a warning", a->cur->file);
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

int pl_analysis_read_file(pl_analysis *a, const char *path, pl_error *err)
{
    pl_reader_opts ro;
    pl_reader_sink sink = make_sink(a, &ro);
    int rc;
    if ((rc = begin_log(a, strcmp(path, "-") == 0 ? "<stdin>" : path, err)) != PL_OK)
        return rc;
    return finish_log(a, pl_log_read_file(path, a->opts.read_size, &ro, &sink, err), err);
}

