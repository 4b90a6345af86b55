/* files.c - every chart goes out through here: drawn in a child process
 * (libplot may exit or crash there, never here), to a stream or as the
 * files of `-o DIR`, named after the counter and drawn a core each. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include "perfleak/output.h"
#include "util/isolate.h"
#include "util/pool.h"
#include "chart/files.h"
#include "chart/chart_internal.h"
#include "chart/fonts.h"
#include "perfleak/units.h"
#include "util/internal.h"

/* A chart drawn in a child process (isolate.h): libplot may exit or crash
 * there, never here. A chart takes well under a second; a minute is a
 * renderer gone astray. */
#define CHART_TIMEOUT_S 60

typedef struct drawing {
    const pl_analysis *a;
    const pl_result *r;  /* the summary card's */
    const size_t *idx;
    size_t n;
    pl_chart_format fmt;
} drawing;

static int draw_full(void *ctx, FILE *out, pl_error *err)
{
    const drawing *d = ctx;
    return pl_chart_full(d->a, d->idx, d->n, d->fmt, NULL, out, err);
}

static int draw_summary(void *ctx, FILE *out, pl_error *err)
{
    const drawing *d = ctx;
    return pl_chart_summary_card(d->r, d->fmt, NULL, out, err);
}

int pl_chart_counter(const pl_analysis *a, size_t i, pl_chart_format fmt, FILE *out, pl_error *err)
{
    drawing d = {a, NULL, &i, 1, fmt};
    if (i >= pl_analysis_counter_count(a))
        return pl_err(err, PL_EUSAGE, "no counter %zu to chart", i);
    return pl_isolated_write(draw_full, &d, out, CHART_TIMEOUT_S, err);
}

int pl_chart_counters(const pl_analysis *a, const size_t *idx, size_t n, pl_chart_format fmt,
                      FILE *out, pl_error *err)
{
    drawing d = {a, NULL, idx, n, fmt};
    if (n == 0)
        return pl_err(err, PL_EUSAGE, "no counter to chart");
    return pl_isolated_write(draw_full, &d, out, CHART_TIMEOUT_S, err);
}

int pl_chart_summary(const pl_result *r, pl_chart_format fmt, FILE *out, pl_error *err)
{
    drawing d = {r->analysis, r, NULL, 0, fmt};
    return pl_isolated_write(draw_summary, &d, out, CHART_TIMEOUT_S, err);
}

/* ---------- perfleak compare ---------- */

typedef struct compare_drawing {
    const pl_compare *c;
    size_t i;
    int summary;
    pl_chart_format fmt;
} compare_drawing;

static int draw_compare(void *ctx, FILE *out, pl_error *err)
{
    const compare_drawing *d = ctx;
    if (d->summary)
        return pl_chart_compare_card(d->c, d->fmt, NULL, out, err);
    return pl_chart_compare_full(d->c, d->i, d->fmt, NULL, out, err);
}

int pl_chart_compare(const pl_compare *c, size_t i, pl_chart_format fmt, FILE *out, pl_error *err)
{
    compare_drawing d = {c, i, 0, fmt};
    if (i >= pl_compare_count(c))
        return pl_err(err, PL_EUSAGE, "no comparison %zu to chart", i);
    return pl_isolated_write(draw_compare, &d, out, CHART_TIMEOUT_S, err);
}

int pl_chart_compare_summary(const pl_compare *c, pl_chart_format fmt, FILE *out, pl_error *err)
{
    compare_drawing d = {c, 0, 1, fmt};
    return pl_isolated_write(draw_compare, &d, out, CHART_TIMEOUT_S, err);
}

static int write_compare_job(void *ctx, FILE *f, pl_error *err)
{
    compare_drawing *d = ctx;
    return pl_isolated_write(draw_compare, d, f, CHART_TIMEOUT_S, err);
}

int pl_compare_charts_write_stage(const pl_compare *c, pl_stage *stage, pl_error *err)
{
    compare_drawing d = {c, 0, 1, PL_CHART_PNG};
    char name[256];
    int rc = pl_stage_write(stage, "summary.png", write_compare_job, &d, err);
    /* a handful of culprits: one child a chart is cheap enough */
    for (d.summary = 0; rc == PL_OK && d.i < pl_compare_count(c); d.i++) {
        pl_chart_compare_file_name(c, d.i, "png", name, sizeof name);
        rc = pl_stage_write(stage, name, write_compare_job, &d, err);
    }
    return rc;
}

/* ---------- perfleak fleet ---------- */

typedef struct fleet_drawing {
    const pl_fleet *f;
    pl_chart_format fmt;
} fleet_drawing;

static int draw_fleet(void *ctx, FILE *out, pl_error *err)
{
    const fleet_drawing *d = ctx;
    return pl_chart_fleet_card(d->f, d->fmt, NULL, out, err);
}

int pl_chart_fleet(const pl_fleet *f, pl_chart_format fmt, FILE *out, pl_error *err)
{
    fleet_drawing d = {f, fmt};
    return pl_isolated_write(draw_fleet, &d, out, CHART_TIMEOUT_S, err);
}

static int write_fleet_job(void *ctx, FILE *out, pl_error *err)
{
    return pl_isolated_write(draw_fleet, ctx, out, CHART_TIMEOUT_S, err);
}

int pl_fleet_chart_write_stage(const pl_fleet *f, pl_stage *stage, pl_error *err)
{
    fleet_drawing d = {f, PL_CHART_PNG};
    return pl_stage_write(stage, "summary.png", write_fleet_job, &d, err);
}

/* What a renderer's child is asked to draw. */
typedef struct chart_request {
    size_t i;
    int summary;
    pl_chart_format fmt;
} chart_request;

/* In the child: the renderer is its copy, so keeping the fonts there for
 * the next chart touches nothing of the parent's. */
static int draw_request(void *ctx, const void *req, FILE *out, pl_error *err)
{
    pl_chart_renderer *rr = ctx;
    const chart_request *r = req;
    if (!rr->fonts) {
        pl_error ferr;
        /* no font: each chart falls back to libplot's (pl_chart_canvas_open) */
        if (pl_fonts_open(&rr->fonts, &ferr) == PL_ENOMEM) {
            *err = ferr;
            return PL_ENOMEM;
        }
    }
    if (r->summary)
        return pl_chart_summary_card(&rr->res, r->fmt, rr->fonts, out, err);
    return pl_chart_full(rr->res.analysis, &r->i, 1, r->fmt, rr->fonts, out, err);
}

static void renderer_child_end(void *ctx)
{
    pl_chart_renderer *rr = ctx;
    pl_fonts_close(rr->fonts);
    rr->fonts = NULL;
}

void pl_chart_renderer_init(pl_chart_renderer *r, const pl_result *res)
{
    r->res = *res;
    r->fonts = NULL;
    /* the child only reads its copy of the analysis */
    pl_isolated_init(&r->iso, draw_request, r, sizeof(chart_request), CHART_TIMEOUT_S);
    pl_isolated_on_end(&r->iso, renderer_child_end);
}

void pl_chart_renderer_start(pl_chart_renderer *r)
{
    pl_isolated_start(&r->iso);
}

int pl_chart_renderer_draw(pl_chart_renderer *r, size_t i, int summary, pl_chart_format fmt,
                           FILE *out, pl_error *err)
{
    chart_request q;
    memset(&q, 0, sizeof q);
    q.i = i;
    q.summary = summary;
    q.fmt = fmt;
    if (!summary && i >= pl_analysis_counter_count(r->res.analysis))
        return pl_err(err, PL_EUSAGE, "no counter %zu to chart", i);
    return pl_isolated_call(&r->iso, &q, out, err);
}

void pl_chart_renderer_clear(pl_chart_renderer *r)
{
    pl_isolated_clear(&r->iso);
    /* set here only when the charts were drawn in this process */
    pl_fonts_close(r->fonts);
    r->fonts = NULL;
}

/* ---------- files ---------- */

/* An accented Latin-1 letter's base letters, so that "café" names a file
 * "cafe", not "caf"; "" for a sign that is no letter. */
static const char *latin1_ascii(unsigned char ch)
{
    static const char *const hi[64] = {
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y"};
    return ch >= 0xC0 ? hi[ch - 0xC0] : "";
}

void pl_chart_slug(const char *utf8, char *slug, size_t size)
{
    char title[256];
    size_t o = 0, j;
    int dash = 0;
    if (!size)
        return;
    /* Cyrillic is transliterated, and a letter of another script is its
     * code point ("U+30B5", kept as "u30b5"), which can be looked up */
    pl_chart_latin1(utf8, title, sizeof title);
    for (j = 0; title[j] && o + 3 < size; j++) {
        unsigned char ch = (unsigned char)title[j];
        const char *t = latin1_ascii(ch);
        if (ch == 'U' && title[j + 1] == '+') {
            j++; /* "U+30B5" -> "u30b5" */
            slug[o++] = 'u';
            dash = 0;
        } else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
            slug[o++] = (char)ch;
            dash = 0;
        } else if (ch >= 'A' && ch <= 'Z') {
            slug[o++] = (char)(ch + 32);
            dash = 0;
        } else if (*t) {
            while (*t && o + 1 < size)
                slug[o++] = *t++;
            dash = 0;
        } else if (!dash && o > 0) {
            slug[o++] = '-';
            dash = 1;
        }
    }
    while (o > 0 && slug[o - 1] == '-')
        o--;
    slug[o] = '\0';
}

void pl_chart_file_name(const pl_analysis *a, size_t i, size_t rank, const char *ext, char *buf,
                        size_t size)
{
    const pl_counter *k = pl_analysis_counter(a, i);
    char utf8[256], slug[64];
    pl_chart_title(k, utf8, sizeof utf8);
    pl_chart_slug(utf8, slug, sizeof slug);
    snprintf(buf, size, "%s-%02zu-%s.%s",
             pl_verdict_is_finding(k->finding.verdict) ? "leak" : "counter", rank,
             slug[0] ? slug : "counter", ext);
}

void pl_chart_compare_file_name(const pl_compare *c, size_t i, const char *ext, char *buf, size_t size)
{
    const pl_comparison *k = pl_compare_item(c, i);
    char utf8[400], slug[64];
    size_t idx;
    const pl_analysis *a = NULL;
    utf8[0] = '\0';
    if (k && pl_compare_counters(c, i, 0, &idx, 1) == 1)
        a = pl_compare_before(c)->analysis;
    else if (k && pl_compare_counters(c, i, 1, &idx, 1) == 1)
        a = pl_compare_after(c)->analysis;
    if (a) {
        const pl_path *p = &pl_analysis_counter(a, idx)->parts;
        snprintf(utf8, sizeof utf8, "%.*s %s %s", (int)(p->instance ? strcspn(p->instance, "#") : 0),
                 p->instance ? p->instance : "", p->counter ? p->counter : "", k->machine ? k->machine : "");
    } else if (k) {
        snprintf(utf8, sizeof utf8, "%s", k->name);
    }
    pl_chart_slug(utf8, slug, sizeof slug);
    snprintf(buf, size, "compare-%02zu-%s.%s", i + 1, slug[0] ? slug : "culprit", ext);
}

typedef struct chart_job {
    pl_chart_renderer *r;
    size_t i;
    int summary;
} chart_job;

static int write_chart_job(void *ctx, FILE *f, pl_error *err)
{
    const chart_job *j = ctx;
    return pl_chart_renderer_draw(j->r, j->i, j->summary, PL_CHART_PNG, f, err);
}

/* The charts of one directory, shared by the worker threads: each takes
 * the next index under the lock; files are independent, so the result
 * does not depend on which thread drew what. */
typedef struct chart_batch {
    const pl_analysis *a;
    pl_stage *stage;
    size_t *order;     /* report order */
    size_t *which;     /* positions in order to draw; SIZE_MAX = summary */
    size_t n, next;
    pl_chart_renderer *r; /* one a thread, their children started before them */
    size_t nr, next_r;
    pl_pool_job job;   /* its lock guards next and next_r */
} chart_batch;

/* One thread's charts, drawn by a renderer (one child) of its own. */
static void *chart_worker(void *arg)
{
    chart_batch *b = arg;
    pl_chart_renderer *r;
    pthread_mutex_lock(&b->job.lock);
    r = &b->r[b->next_r++];
    pthread_mutex_unlock(&b->job.lock);
    for (;;) {
        size_t k, pos;
        char name[256];
        chart_job job;
        pl_error err;
        int rc;
        pthread_mutex_lock(&b->job.lock);
        k = !pl_pool_job_failed(&b->job) && b->next < b->n ? b->next++ : SIZE_MAX;
        pthread_mutex_unlock(&b->job.lock);
        if (k == SIZE_MAX) {
            pl_chart_renderer_clear(r);
            return NULL;
        }
        pos = b->which[k];
        job.r = r;
        job.summary = pos == SIZE_MAX;
        job.i = job.summary ? 0 : b->order[pos];
        if (job.summary)
            snprintf(name, sizeof name, "summary.png");
        else
            pl_chart_file_name(b->a, job.i, pos + 1, "png", name, sizeof name);
        rc = pl_stage_write(b->stage, name, write_chart_job, &job, &err);
        pl_pool_job_fail(&b->job, rc, &err);
    }
}

int pl_charts_write_stage(const pl_result *res, pl_stage *stage, pl_chart_set set, pl_error *err)
{
    const pl_analysis *a = res->analysis;
    size_t n = pl_analysis_counter_count(a), i, nthreads, cap = pl_analysis_max_charts(a);
    chart_batch b;
    int rc;
    memset(&b, 0, sizeof b);
    b.a = a;
    b.stage = stage;
    if ((rc = pl_analysis_order(a, &b.order, err)) != PL_OK)
        return rc;
    if (!(b.which = malloc((n + 1) * sizeof *b.which))) {
        free(b.order);
        return pl_err(err, PL_ENOMEM, "out of memory");
    }
    b.which[b.n++] = SIZE_MAX; /* the summary card first */
    /* the most urgent first, as many as the cap allows: the summary card
     * costs the same whatever the count */
    for (i = 0; i < n && b.n - 1 < cap; i++)
        if (set == PL_CHARTS_ALL || pl_verdict_is_finding(pl_analysis_counter(a, b.order[i])->finding.verdict))
            b.which[b.n++] = i;
    /* a chart is a process of its own (isolate.h): one a core, at most 8,
     * each forked here, before any thread that could hold a lock */
    nthreads = pl_pool_threads(pl_analysis_jobs(a), 8);
    b.nr = nthreads < b.n ? nthreads : b.n;
    if (!(b.r = malloc(b.nr * sizeof *b.r))) {
        free(b.order);
        free(b.which);
        return pl_err(err, PL_ENOMEM, "out of memory");
    }
    for (i = 0; i < b.nr; i++) {
        pl_chart_renderer_init(&b.r[i], res);
        pl_chart_renderer_start(&b.r[i]);
    }
    pl_pool_job_init(&b.job);
    pl_pool_run(b.nr, chart_worker, &b);
    rc = pl_pool_job_clear(&b.job, err);
    free(b.r);
    free(b.order);
    free(b.which);
    return rc;
}
