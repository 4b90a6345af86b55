/* convert.c - logs back to PDH-CSV/TSV, like relog -f csv. Two passes
 * over each input: the first learns every column (instances that appear
 * late in a .blg included) and whether time runs forward; the second
 * writes rows as they are read, so memory stays bounded. Inputs out of
 * time order (a wrapped circular log, overlapping files) are sorted in
 * bounded memory (rowsort.c), and standard input, which can be read only
 * once, is spooled to a temporary file. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "perfleak/convert.h"
#include "perfleak/inputs.h"
#include "perfleak/import.h"
#include "perfleak/path.h"
#include "perfleak/timestamp.h"
#include "util/internal.h"
#include "util/strmap.h"
#include "analysis/rowsort.h"
#include "analysis/select.h"


typedef struct conv {
    const pl_convert_opts *o;
    FILE *out;
    int pass;                /* 1: learn columns, 2: write */
    pl_strmap cols;          /* "path\x1Fn" (its n-th time in one header) -> output column */
    pl_strmap seen;          /* paths of the log being read -> times seen */
    char **paths;
    size_t ncols, cap;
    size_t *map;             /* input column -> output column or SIZE_MAX */
    size_t nmap;
    pl_tz tz;
    int have_tz;
    pl_window window;
    int bias;              /* of the log being read, for the window */
    size_t inside;         /* rows inside the window so far (for every Nth) */
    /* pass 1, per log */
    pl_time first_t, last_t, prev_t;
    size_t rows;
    int backwards;
    /* pass 2 */
    double *row;
    int hold;                /* sort rows instead of writing them */
    pl_rowsort *sorted;
} conv;

/* analyze's selection, every counter when no pattern is given: 1 taken,
 * 0 not, -1 out of memory */
static int wanted(const conv *c, const char *path)
{
    pl_selection sel = {c->o->include, c->o->n_include, c->o->exclude, c->o->n_exclude, 1};
    pl_path parts;
    char *en = NULL;
    int oom = 0, in;
    if (!c->o->n_include && !c->o->n_exclude)
        return 1;
    /* a path that does not parse is matched as it is written */
    if (pl_path_parse(path, &parts, NULL) != PL_OK)
        return pl_select_counter(&sel, path, NULL, &(pl_path){0});
    en = pl_path_english(&parts, &oom);
    in = oom ? -1 : pl_select_counter(&sel, path, en, &parts);
    free(en);
    pl_path_clear(&parts);
    return in;
}

static int map_columns(conv *c, pl_log_header *h, size_t first, pl_error *err)
{
    size_t i, *nm = realloc(c->map, (h->ncols ? h->ncols : 1) * sizeof *nm);
    if (!nm)
        return pl_err(err, PL_ENOMEM, "%s: out of memory", h->name);
    c->map = nm;
    c->nmap = h->ncols;
    for (i = first; i < h->ncols; i++) {
        size_t k, occ;
        char *key;
        int found;
        int take = wanted(c, h->paths[i]);
        c->map[i] = (size_t)-1;
        if (take < 0)
            return pl_err(err, PL_ENOMEM, "%s: out of memory", h->name);
        if (!take) {
            h->select[i] = 0;
            continue;
        }
        /* the same path twice in one header is two columns, as analyze
         * keeps them; across logs the n-th of each is one series */
        if (pl_strmap_count(&c->seen, h->paths[i], &occ) ||
            !(key = pl_repeat_key(h->paths[i], occ)))
            return pl_err(err, PL_ENOMEM, "%s: out of memory", h->name);
        found = pl_strmap_get(&c->cols, key, &k);
        if (found) {
            free(key);
            c->map[i] = k;
            continue;
        }
        if (c->pass == 2) { /* not seen in pass 1: cannot happen */
            free(key);
            continue;
        }
        if (pl_grow(&c->paths, &c->cap, c->ncols + 1, sizeof *c->paths) != 0) {
            free(key);
            return pl_err(err, PL_ENOMEM, "%s: out of memory", h->name);
        }
        if (!(c->paths[c->ncols] = pl_strdup(h->paths[i])) ||
            pl_strmap_put(&c->cols, key, c->ncols)) {
            free(c->paths[c->ncols]);
            free(key);
            return pl_err(err, PL_ENOMEM, "%s: out of memory", h->name);
        }
        free(key);
        c->map[i] = c->ncols++;
    }
    return PL_OK;
}

static int on_header(void *ctx, pl_log_header *h, pl_error *err)
{
    ((conv *)ctx)->bias = h->tz->bias;
    conv *c = ctx;
    pl_strmap_clear(&c->seen);
    if (!c->have_tz) {
        c->tz = *h->tz;
        c->have_tz = 1;
    }
    return map_columns(c, h, 0, err);
}

static int on_columns(void *ctx, pl_log_header *h, size_t first, pl_error *err)
{
    return map_columns(ctx, h, first, err);
}


/* "OUT: cannot write: No space left on device" (OUT: the output's name,
 * or standard output). */
static int write_failed(const conv *c, pl_error *err)
{
    int e = errno;
    return pl_err(err, PL_EIO, "%s: cannot write: %s",
                  c->o->out_name ? c->o->out_name : "standard output",
                  e ? strerror(e) : "write error");
}

static void quoted(FILE *f, const char *s)
{
    putc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            putc('"', f);
        putc(*s, f);
    }
    putc('"', f);
}

/* Errors go to err: in a reader's callback, the reader's own, which it
 * hands on. */
static int write_row(conv *c, pl_time t, const double *v, pl_error *err)
{
    char buf[64];
    size_t i;
    int off = c->tz.bias_known ? -c->tz.bias : 0;
    if (c->o->every > 1 && c->inside++ % c->o->every != 0)
        return PL_OK; /* relog's -t: every Nth row of those written */
    putc('"', c->out);
    pl_time_format_pdh(t, off, buf, sizeof buf);
    fputs(buf, c->out);
    putc('"', c->out);
    for (i = 0; i < c->ncols; i++) {
        putc(c->o->delimiter, c->out);
        if (isnan(v[i])) {
            fputs("\" \"", c->out);
        } else {
            pl_format_double(v[i], buf, sizeof buf);
            putc('"', c->out);
            fputs(buf, c->out);
            putc('"', c->out);
        }
    }
    fputs("\r\n", c->out);
    return ferror(c->out) ? write_failed(c, err) : PL_OK;
}

static int on_row(void *ctx, pl_time t, const double *v, size_t n, pl_error *err)
{
    conv *c = ctx;
    size_t i;
    (void)err;
    if (!pl_window_has(&c->window, c->bias, t))
        return PL_OK;
    if (c->pass == 1) {
        if (!c->rows || t < c->first_t)
            c->first_t = t;
        if (!c->rows || t > c->last_t)
            c->last_t = t;
        if (c->rows && t < c->prev_t)
            c->backwards = 1;
        c->prev_t = t;
        c->rows++;
        return PL_OK;
    }
    for (i = 0; i < c->ncols; i++)
        c->row[i] = NAN;
    for (i = 0; i < n && i < c->nmap; i++)
        if (c->map[i] != (size_t)-1)
            c->row[c->map[i]] = v[i];
    if (!c->hold)
        return write_row(c, t, c->row, err);
    if (!c->sorted && pl_rowsort_create(&c->sorted, c->ncols, 0, err) != PL_OK)
        return err->code;
    return pl_rowsort_add(c->sorted, t, c->row, err);
}

static int write_sorted(void *ctx, pl_time t, const double *v, pl_error *err)
{
    return write_row(ctx, t, v, err);
}

void pl_convert_opts_init(pl_convert_opts *o)
{
    memset(o, 0, sizeof *o);
    o->delimiter = ',';
}

/* Standard input can be read only once: it is copied to a temporary file
 * (unlinked, so nothing stays behind), read twice from there. */
static int spool_stdin(FILE **out, pl_error *err)
{
    char buf[1 << 16];
    size_t k;
    FILE *f = tmpfile();
    *out = NULL;
    if (!f)
        return pl_err(err, PL_EIO, "<stdin>: cannot create a temporary file to hold it: %s",
                      strerror(errno));
    while ((k = fread(buf, 1, sizeof buf, stdin)) > 0) {
        if (fwrite(buf, 1, k, f) != k) {
            int rc = pl_err(err, PL_EIO, "<stdin>: cannot write its temporary copy: %s",
                            strerror(errno));
            fclose(f);
            return rc;
        }
    }
    if (ferror(stdin)) {
        fclose(f);
        return pl_err(err, PL_EIO, "<stdin>: read error: %s", strerror(errno));
    }
    *out = f;
    return PL_OK;
}

/* The logs of one input, each read whole in turn (inputs.h); in pass 1
 * it is said whether rows can be streamed in order, and a listing gets
 * a line a log. */
typedef struct conv_logs {
    conv *c;
    FILE *list;            /* pl_convert_list's output, else NULL */
    size_t n;              /* logs read so far in this pass */
    pl_time prev_last;
} conv_logs;

static int read_log(void *ctx, const char *label, const pl_source *src, pl_error *err)
{
    conv_logs *l = ctx;
    conv *c = l->c;
    pl_reader_opts ro;
    pl_reader_sink sink;
    int rc;
    memset(&ro, 0, sizeof ro);
    ro.encoding = c->o->encoding;
    /* Warnings once, in the first pass. */
    ro.warn = c->pass == 1 ? c->o->warn : NULL;
    ro.warn_ctx = c->o->warn_ctx;
    ro.threads = 1;
    /* the second pass writes: its reading is the job's progress */
    ro.progress = c->pass == 2 ? c->o->progress : NULL;
    ro.progress_ctx = c->o->progress_ctx;
    sink.ctx = c;
    sink.header = on_header;
    sink.columns = on_columns;
    sink.row = on_row;
    sink.rows = NULL;
    sink.sparse_row = NULL; /* every row is written whole */
    c->nmap = 0;
    c->rows = 0;
    c->backwards = 0;
    if ((rc = pl_log_read_source(label, src, c->o->read_size, &ro, &sink, err)) != PL_OK)
        return rc;
    if (c->pass == 1 && c->rows) {
        if (c->backwards || (l->n > 0 && c->first_t < l->prev_last))
            c->hold = 1;
        l->prev_last = c->last_t;
    }
    if (l->list) {
        int off = c->tz.bias_known ? -c->tz.bias : 0;
        char b[48], e[48];
        pl_write_visible(l->list, label);
        if (c->rows) {
            pl_time_format_short(c->first_t, off, b, sizeof b);
            pl_time_format_short(c->last_t, off, e, sizeof e);
            fprintf(l->list, ": %s to %s, %zu samples\n", b, e, c->rows);
        } else {
            fputs(": no samples\n", l->list);
        }
    }
    l->n++;
    return PL_OK;
}

/* Every log of path ("-": the spooled standard input). */
static int read_one(conv *c, conv_logs *l, const char *path, FILE *spool, pl_error *err)
{
    pl_input_opts io;
    io.max_expand = c->o->max_expand;
    io.warn = c->pass == 1 ? c->o->warn : NULL; /* once */
    io.warn_ctx = c->o->warn_ctx;
    if (strcmp(path, "-") == 0) {
        rewind(spool);
        return pl_inputs_read_stream(spool, "<stdin>", &io, read_log, l, err);
    }
    return pl_inputs_read(path, &io, read_log, l, err);
}

/* Sets c up for logs: its window parsed, standard input spooled when one
 * of them is "-" (*spool, NULL when none). */
static int conv_begin(conv *c, const pl_convert_opts *o, FILE *out, const char *const *logs,
                      size_t nlogs, FILE **spool, pl_error *err)
{
    size_t i;
    int rc;
    memset(c, 0, sizeof *c);
    c->o = o;
    c->out = out;
    *spool = NULL;
    if ((rc = pl_window_parse(&c->window, o->begin, o->end, err)) != PL_OK)
        return rc;
    for (i = 0; i < nlogs && rc == PL_OK; i++)
        if (strcmp(logs[i], "-") == 0 && !*spool)
            rc = spool_stdin(spool, err);
    return rc;
}

static void conv_end(conv *c, FILE *spool)
{
    size_t i;
    pl_rowsort_free(c->sorted);
    for (i = 0; i < c->ncols; i++)
        free(c->paths[i]);
    free(c->paths);
    free(c->map);
    free(c->row);
    pl_strmap_clear(&c->cols);
    pl_strmap_clear(&c->seen);
    if (spool)
        fclose(spool);
}

/* What relog -q tells: each log's time range and samples (in the window),
 * then the counters a conversion would write, a path a line. */
int pl_convert_list(const char *const *logs, size_t nlogs, const pl_convert_opts *o, FILE *out,
                    pl_error *err)
{
    conv c;
    FILE *spool;
    size_t i;
    int rc = conv_begin(&c, o, out, logs, nlogs, &spool, err);
    conv_logs l = {&c, out, 0, 0};
    c.pass = 1;
    for (i = 0; i < nlogs && rc == PL_OK; i++)
        rc = read_one(&c, &l, logs[i], spool, err);
    if (rc == PL_OK) {
        fprintf(out, "%zu counters:\n", c.ncols);
        for (i = 0; i < c.ncols; i++)
            pl_visible_line(out, "", c.paths[i]);
        if (fflush(out) != 0 || ferror(out))
            rc = pl_err(err, PL_EIO, "cannot write the list: %s", strerror(errno));
    }
    conv_end(&c, spool);
    return rc;
}

int pl_convert(const char *const *logs, size_t nlogs, const pl_convert_opts *o, FILE *out,
               pl_error *err)
{
    conv c;
    FILE *spool;
    size_t i;
    int rc = conv_begin(&c, o, out, logs, nlogs, &spool, err);
    conv_logs l = {&c, NULL, 0, 0};
    /* Pass 1: columns, and whether rows can be streamed in order. */
    c.pass = 1;
    for (i = 0; i < nlogs && rc == PL_OK; i++)
        rc = read_one(&c, &l, logs[i], spool, err);
    if (rc == PL_OK && c.ncols == 0)
        rc = pl_err(err, PL_EUSAGE, "%s%s: no counter to write%s",
                    strcmp(logs[0], "-") == 0 ? "standard input" : logs[0], nlogs > 1 ? " ..." : "",
                    o->n_include || o->n_exclude ? ": no counter matched the selection" : "");
    if (rc == PL_OK && !(c.row = malloc(c.ncols * sizeof *c.row)))
        rc = pl_err(err, PL_ENOMEM, "out of memory");
    if (rc == PL_OK) {
        char first[256];
        snprintf(first, sizeof first, "(%s 4.0) (%s)(%d)", o->delimiter == '\t' ? "PDH-TSV" : "PDH-CSV",
                 c.tz.name, c.tz.bias);
        quoted(out, first);
        for (i = 0; i < c.ncols; i++) {
            putc(o->delimiter, out);
            quoted(out, c.paths[i]);
        }
        fputs("\r\n", out);
    }
    c.pass = 2;
    l.n = 0;
    for (i = 0; i < nlogs && rc == PL_OK; i++)
        rc = read_one(&c, &l, logs[i], spool, err);
    if (rc == PL_OK && c.sorted)
        rc = pl_rowsort_each(c.sorted, write_sorted, &c, err);
    if (rc == PL_OK && (fflush(out) != 0 || ferror(out)))
        rc = write_failed(&c, err);
    conv_end(&c, spool);
    return rc;
}
