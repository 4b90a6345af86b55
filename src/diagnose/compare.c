/* compare.c - two diagnosed captures set against each other (compare.h):
 * culprits matched by type, name (and, for an IIS worker, its application
 * pool) or pool, and machine; a leak of the
 * first that the second does not show is gone only when the second was
 * long enough to have shown it. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "perfleak/compare.h"
#include "perfleak/timestamp.h"
#include "perfleak/units.h"
#include "util/internal.h"

/* The after capture must cover the before leak's onset and this much of
 * growth after it to be able to say the leak is gone. */
#define CMP_MIN_AFTER_ONSET_H 2.0

struct pl_compare {
    pl_result before, after;
    pl_comparison *items;
    size_t n, cap;
};

const char *pl_cmp_verdict_name(pl_cmp_verdict v)
{
    static const char *const names[] = {"worse", "new", "unchanged", "slower", "cannot-tell", "gone"};
    return (unsigned)v < sizeof names / sizeof names[0] ? names[v] : "?";
}

/* What tells a process apart from its namesakes: an IIS worker's
 * application pool; NULL when the log does not say. */
static const char *service_of(const pl_analysis *a, const pl_culprit_finding *f)
{
    return f->type == PL_CULPRIT_PROCESS ? pl_analysis_app_pool(a, f->machine, f->pid) : NULL;
}

static int same(const pl_culprit_finding *a, const pl_culprit_finding *b)
{
    if (a->type != b->type || pl_strcasecmp(pl_machine_bare(a->machine), pl_machine_bare(b->machine)) != 0)
        return 0;
    if (a->type == PL_CULPRIT_PROCESS)
        return pl_strcasecmp(a->name, b->name) == 0;
    if (a->type == PL_CULPRIT_KERNEL)
        return a->pool == b->pool;
    return 1;
}

/* The rate of f's counter named want (NULL: its main counter, its first
 * evidence) with the 95 % interval of that counter's fit; no counter of
 * that name leaves the side without a rate. */
static void side_of(const pl_analysis *a, const pl_culprit_finding *f, const char *want, pl_cmp_side *s)
{
    size_t i, e = SIZE_MAX;
    memset(s, 0, sizeof *s);
    s->f = f;
    s->index = SIZE_MAX;
    s->rate = s->lo = s->hi = NAN;
    if (!f || !f->ncounters)
        return;
    for (i = 0; i < f->ncounters && e == SIZE_MAX; i++) {
        const pl_counter *c = pl_analysis_counter(a, f->evidence[i]);
        const char *name = c->parts.counter ? c->parts.counter : c->path;
        if (!want || pl_strcasecmp(name, want) == 0)
            e = i;
    }
    if (e == SIZE_MAX)
        return;
    {
        const pl_counter *c = pl_analysis_counter(a, f->evidence[e]);
        s->index = f->evidence[e];
        s->counter = c->parts.counter ? c->parts.counter : c->path;
        s->unit = c->unit;
        s->rate = c->finding.slope_per_hour;
        s->lo = c->finding.slope_lo;
        s->hi = c->finding.slope_hi;
        /* across lives the culprit's rate is the one to compare */
        for (i = 0; i < f->nrates; i++)
            if (pl_strcasecmp(f->rates[i].counter, s->counter) == 0) {
                s->rate = f->rates[i].per_hour;
                break;
            }
        if (!(s->lo <= s->rate && s->rate <= s->hi))
            s->lo = s->hi = s->rate;
    }
}

static double span_h(const pl_analysis *a, pl_time *t0)
{
    pl_time t1 = 0;
    size_t rows;
    *t0 = 0;
    if (!pl_analysis_span(a, t0, &t1, &rows))
        return 0;
    return (double)(t1 - *t0) / (double)PL_TICKS_PER_HOUR;
}

/* Whether the after capture logs the process (or the pool, the commit)
 * the before culprit was: a process it never saw cannot be said gone. */
static int logged_after(const pl_analysis *a, const pl_culprit_finding *f)
{
    size_t i;
    char base[256];
    if (f->type != PL_CULPRIT_PROCESS)
        return 1;
    for (i = 0; i < pl_analysis_counter_count(a); i++) {
        const pl_counter *c = pl_analysis_counter(a, i);
        const char *in = c->parts.instance;
        if (!in)
            continue;
        /* "w3wp#2" is a w3wp */
        snprintf(base, sizeof base, "%.*s", (int)strcspn(in, "#"), in);
        if (pl_strcasecmp(base, f->name) == 0 && pl_strcasecmp(pl_machine_bare(c->parts.machine), pl_machine_bare(f->machine)) == 0)
            return 1;
    }
    return 0;
}

static void rate_text(const pl_cmp_side *s, char *buf, size_t size)
{
    char v[40];
    pl_format_value(s->rate, s->unit, v, sizeof v);
    snprintf(buf, size, "%s/h", v);
}

static void interval_text(const pl_cmp_side *s, char *buf, size_t size)
{
    pl_format_rate_interval(s->lo, s->hi, s->unit, buf, size);
}

static int a_pool_named(const pl_comparison *c)
{
    return c->type == PL_CULPRIT_PROCESS && c->service && c->service[0];
}

void pl_comparison_name(const pl_comparison *c, char *buf, size_t size)
{
    if (a_pool_named(c))
        snprintf(buf, size, "%s (%s) on %s", c->name, c->service, pl_machine_bare(c->machine));
    else if (c->type == PL_CULPRIT_PROCESS)
        snprintf(buf, size, "%s on %s", c->name, pl_machine_bare(c->machine));
    else if (c->type == PL_CULPRIT_KERNEL)
        snprintf(buf, size, "kernel %s pool on %s", c->pool ? "nonpaged" : "paged", pl_machine_bare(c->machine));
    else
        snprintf(buf, size, "system commit on %s", pl_machine_bare(c->machine));
}

/* The verdict and its sentence for a culprit of either side. */
static void judge(pl_compare *k, pl_comparison *c)
{
    char who[200], rb[64], ra[64], ib[96], ia[96];
    pl_time t0b, t0a;
    double hb = span_h(k->before.analysis, &t0b), ha = span_h(k->after.analysis, &t0a);
    (void)hb;
    pl_comparison_name(c, who, sizeof who);
    c->ratio = c->before.f && c->after.f && c->after.counter && c->before.rate != 0 ? c->after.rate / c->before.rate
                                                                                 : NAN;
    c->log_at_least_h = NAN;
    if (c->before.f && c->after.f && !c->after.counter) {
        /* it leaks something else now: the main counter of the after
         * side, which did not leak before */
        pl_cmp_side own;
        side_of(k->after.analysis, c->after.f, NULL, &own);
        rate_text(&own, ra, sizeof ra);
        rate_text(&c->before, rb, sizeof rb);
        c->verdict = PL_CMP_NEW;
        c->ratio = NAN;
        snprintf(c->summary, sizeof c->summary,
                 "%s: new, %s grows %s after and did not before; %s, which grew %s before, no longer does", who,
                 own.counter ? own.counter : "it", ra, c->before.counter, rb);
        c->after = own;
    } else if (c->before.f && c->after.f) {
        rate_text(&c->before, rb, sizeof rb);
        rate_text(&c->after, ra, sizeof ra);
        interval_text(&c->before, ib, sizeof ib);
        interval_text(&c->after, ia, sizeof ia);
        if (c->after.hi < c->before.lo)
            c->verdict = PL_CMP_SLOWER;
        else if (c->after.lo > c->before.hi)
            c->verdict = PL_CMP_WORSE;
        else
            c->verdict = PL_CMP_UNCHANGED;
        snprintf(c->summary, sizeof c->summary, "%s: %s, %s %s before, %s after (x%.2f; 95%% intervals %s and %s%s)",
                 who, pl_cmp_verdict_name(c->verdict), c->before.counter, rb, ra, c->ratio, ib, ia,
                 c->verdict == PL_CMP_UNCHANGED ? ", which overlap" : ", which do not overlap");
    } else if (c->after.f) {
        rate_text(&c->after, ra, sizeof ra);
        c->verdict = PL_CMP_NEW;
        snprintf(c->summary, sizeof c->summary, "%s: new, %s grows %s after and did not before", who,
                 c->after.counter ? c->after.counter : "it", ra);
    } else {
        /* how far into the first capture the leak began, and some growth
         * after that: what the second must cover to show it */
        const pl_culprit_finding *f = c->before.f;
        pl_time onset = f->ncounters ? pl_analysis_counter(k->before.analysis, f->evidence[0])->finding.onset
                                     : f->start;
        double onset_h = (double)((onset > f->start ? onset : f->start) - t0b) / (double)PL_TICKS_PER_HOUR, need;
        const pl_detect_opts *o = pl_analysis_detect_opts(k->before.analysis);
        onset_h = onset_h > 0 ? onset_h : 0;
        need = onset_h + fmax(CMP_MIN_AFTER_ONSET_H, o->min_span_h);
        rate_text(&c->before, rb, sizeof rb);
        if (!logged_after(k->after.analysis, f)) {
            c->verdict = PL_CMP_CANNOT_TELL;
            snprintf(c->summary, sizeof c->summary,
                     "%s: cannot tell, it leaked %s before and the second capture does not log it", who, rb);
        } else if (ha < need) {
            c->verdict = PL_CMP_CANNOT_TELL;
            c->log_at_least_h = ceil(need);
            snprintf(c->summary, sizeof c->summary,
                     "%s: cannot tell, the leak (%s) began %.1f h into the first capture; log at least %.0f h (the second covers %.1f h)",
                     who, rb, onset_h, c->log_at_least_h, ha);
        } else {
            c->verdict = PL_CMP_GONE;
            snprintf(c->summary, sizeof c->summary, "%s: gone, it leaked %s before and no growth in the %.1f h after",
                     who, rb, ha);
        }
    }
}

static int add(pl_compare *k, const pl_culprit_finding *b, const pl_culprit_finding *a, pl_error *err)
{
    pl_comparison *c;
    const pl_culprit_finding *f = b ? b : a;
    if (pl_grow(&k->items, &k->cap, k->n + 1, sizeof *k->items) != 0)
        return pl_err(err, PL_ENOMEM, "out of memory comparing the captures");
    c = &k->items[k->n++];
    memset(c, 0, sizeof *c);
    c->type = f->type;
    c->name = f->name;
    c->pool = f->pool;
    c->machine = f->machine;
    c->kinds = (b ? b->kinds : 0) | (a ? a->kinds : 0);
    c->service = b ? service_of(k->before.analysis, b) : NULL;
    if (!c->service && a)
        c->service = service_of(k->after.analysis, a);
    side_of(k->before.analysis, b, NULL, &c->before);
    /* the same counter on both sides, or the ratio compares bytes with handles */
    side_of(k->after.analysis, a, b ? c->before.counter : NULL, &c->after);
    judge(k, c);
    return PL_OK;
}

static int by_urgency(const void *x, const void *y)
{
    const pl_comparison *a = x, *b = y;
    double ra = isnan(a->after.rate) ? a->before.rate : a->after.rate;
    double rb = isnan(b->after.rate) ? b->before.rate : b->after.rate;
    if (a->verdict != b->verdict)
        return a->verdict < b->verdict ? -1 : 1;
    if (a->type != b->type)
        return a->type < b->type ? -1 : 1;
    if (ra != rb)
        return ra > rb ? -1 : 1;
    return strcmp(a->name, b->name);
}

int pl_compare_create(pl_compare **out, const pl_result *before, const pl_result *after, pl_error *err)
{
    pl_compare *k = calloc(1, sizeof *k);
    size_t i, j, nb = pl_diagnosis_count(before->diagnosis), na = pl_diagnosis_count(after->diagnosis);
    unsigned char *used = NULL, *paired = NULL;
    int rc = PL_OK, pass;
    *out = NULL;
    if (!k || !(used = calloc(na ? na : 1, 1)) || !(paired = calloc(nb ? nb : 1, 1))) {
        free(k);
        free(used);
        return pl_err(err, PL_ENOMEM, "out of memory comparing the captures");
    }
    k->before = *before;
    k->after = *after;
    /* twice: namesakes whose services match first (the same app pool
     * after a reboot), then those of which one side does not say */
    for (pass = 0; pass < 2 && rc == PL_OK; pass++)
        for (i = 0; i < nb && rc == PL_OK; i++) {
            const pl_culprit_finding *b = pl_diagnosis_finding(before->diagnosis, i), *a = NULL;
            const char *sb = service_of(before->analysis, b);
            if (paired[i])
                continue;
            for (j = 0; j < na && !a; j++) {
                const pl_culprit_finding *f = pl_diagnosis_finding(after->diagnosis, j);
                const char *sa = service_of(after->analysis, f);
                int match = sb && sa ? pl_strcasecmp(sb, sa) == 0 : pass == 1;
                if (!used[j] && same(b, f) && match) {
                    used[j] = 1;
                    a = f;
                }
            }
            if (a || pass == 1) {
                paired[i] = 1;
                rc = add(k, b, a, err);
            }
        }
    for (j = 0; j < na && rc == PL_OK; j++)
        if (!used[j])
            rc = add(k, NULL, pl_diagnosis_finding(after->diagnosis, j), err);
    free(used);
    free(paired);
    if (rc != PL_OK) {
        pl_compare_free(k);
        return rc;
    }
    if (k->n > 1)
        qsort(k->items, k->n, sizeof *k->items, by_urgency);
    *out = k;
    return PL_OK;
}

/* s without its "#n": "w3wp#2" is a w3wp. */
static size_t base_len(const char *s)
{
    return s ? strcspn(s, "#") : 0;
}

static int same_path(const pl_path *p, const pl_path *q)
{
    size_t n = base_len(p->instance);
    return pl_strcasecmp(pl_machine_bare(p->machine), pl_machine_bare(q->machine)) == 0 &&
           p->object && q->object && pl_strcasecmp(p->object, q->object) == 0 && p->counter && q->counter &&
           pl_strcasecmp(p->counter, q->counter) == 0 && !p->parent == !q->parent &&
           (!p->parent || pl_strcasecmp(p->parent, q->parent) == 0) && !p->instance == !q->instance &&
           (!p->instance || (n == base_len(q->instance) && pl_strncasecmp(p->instance, q->instance, n) == 0));
}

size_t pl_compare_counters(const pl_compare *c, size_t i, int side, size_t *idx, size_t max)
{
    const pl_comparison *k = pl_compare_item(c, i);
    const pl_analysis *a = side ? c->after.analysis : c->before.analysis;
    const pl_cmp_side *s = side ? &k->after : &k->before;
    const pl_counter *main;
    size_t n = 0, j;
    if (!k)
        return 0;
    main = k->before.index != SIZE_MAX ? pl_analysis_counter(c->before.analysis, k->before.index)
         : k->after.index != SIZE_MAX  ? pl_analysis_counter(c->after.analysis, k->after.index)
                                       : NULL;
    if (!main)
        return 0;
    if (s->f && s->index != SIZE_MAX) {
        /* the culprit's own lives of that counter */
        for (j = 0; j < s->f->ncounters && n < max; j++) {
            const pl_counter *e = pl_analysis_counter(a, s->f->evidence[j]);
            if (same_path(&e->parts, &main->parts))
                idx[n++] = s->f->evidence[j];
        }
        if (n)
            return n;
    }
    for (j = 0; j < pl_analysis_counter_count(a) && n < max; j++)
        if (same_path(&pl_analysis_counter(a, j)->parts, &main->parts))
            idx[n++] = j;
    return n;
}

void pl_compare_free(pl_compare *c)
{
    if (!c)
        return;
    free(c->items);
    free(c);
}

size_t pl_compare_count(const pl_compare *c) { return c->n; }
const pl_comparison *pl_compare_item(const pl_compare *c, size_t i) { return i < c->n ? &c->items[i] : NULL; }
const pl_result *pl_compare_before(const pl_compare *c) { return &c->before; }
const pl_result *pl_compare_after(const pl_compare *c) { return &c->after; }

int pl_compare_status(const pl_compare *c)
{
    size_t i;
    int tell = 0;
    for (i = 0; i < c->n; i++) {
        pl_cmp_verdict v = c->items[i].verdict;
        if (v == PL_CMP_WORSE || v == PL_CMP_NEW || v == PL_CMP_UNCHANGED || v == PL_CMP_SLOWER)
            return 1;
        tell |= v == PL_CMP_CANNOT_TELL;
    }
    /* a side where nothing could be judged is no all-clear */
    if (!pl_analysis_judged_count(c->before.analysis) || !pl_analysis_judged_count(c->after.analysis))
        tell = 1;
    return tell ? 3 : 0;
}

void pl_compare_tally(const pl_compare *c, char *buf, size_t size)
{
    static const pl_cmp_verdict order[] = {PL_CMP_GONE, PL_CMP_SLOWER, PL_CMP_UNCHANGED, PL_CMP_WORSE, PL_CMP_NEW,
                                          PL_CMP_CANNOT_TELL};
    size_t i, count[6] = {0}, o;
    int first = 1;
    if (!size)
        return;
    if (!c->n) {
        snprintf(buf, size, "No culprit in either capture.");
        return;
    }
    for (i = 0; i < c->n; i++)
        count[c->items[i].verdict]++;
    o = (size_t)snprintf(buf, size, "%zu culprit%s compared:", c->n, c->n == 1 ? "" : "s");
    for (i = 0; i < 6 && o < size; i++)
        if (count[order[i]]) {
            o += (size_t)snprintf(buf + o, size - o, "%s %zu %s", first ? "" : ",", count[order[i]],
                                  pl_cmp_verdict_name(order[i]));
            first = 0;
        }
    if (o < size)
        snprintf(buf + o, size - o, ".");
}

void pl_compare_machines(const pl_compare *c, size_t max_shown, char *buf, size_t size)
{
    const char **names = NULL;
    size_t nm = 0;
    pl_error e;
    if (!size)
        return;
    buf[0] = '\0';
    if (pl_analysis_machines(c->before.analysis, &names, &nm, &e) == PL_OK)
        pl_join_names(names, nm, max_shown, buf, size);
    free(names);
}

void pl_compare_side_text(const pl_compare *c, int side, char *buf, size_t size)
{
    const pl_analysis *a = side ? c->after.analysis : c->before.analysis;
    pl_time t0 = 0, t1 = 0;
    size_t rows, n = pl_analysis_log_count(a);
    char span[96], offs[16];
    int off = pl_analysis_display_offset(a);
    if (!pl_analysis_span(a, &t0, &t1, &rows)) {
        snprintf(buf, size, "no samples");
        return;
    }
    pl_time_format_span(t0, t1, off, span, sizeof span);
    pl_time_format_offset(off, offs, sizeof offs);
    snprintf(buf, size, "%s (%s), %.1f h, %zu log%s", span, offs, (double)(t1 - t0) / (double)PL_TICKS_PER_HOUR, n,
             n == 1 ? "" : "s");
}
