/* test_lives.c - the seven ways a healthy process was named a culprit on
 * servers nobody here wrote, each as one small log built here: a
 * restarted service warming up again, commit shares handed to healthy
 * processes, a recycled pool split by ID, a warm-up over the whole log,
 * working sets and reservations leaking on their own, lives split where
 * one ID ran throughout, and evidence that did not match the samples.
 * Each log is a few processes written as functions of time. */
#include <math.h>
#include "testutil.h"
#include "judged.h"
#include "perfleak/diagnose.h"
#include "perfleak/report.h"

#define MB 1048576.0
#define NONE (-1L) /* no process in the column at that time */

/* One column group's values at a time; pid NONE leaves the cells blank. */
typedef struct sample {
    long pid;
    double priv, ws, virt, handles, threads;
} sample;

typedef void (*sample_fn)(size_t col, double h, sample *s, const void *ctx);

/* A small deterministic noise in [-1, 1] from (col, k). */
static double jitter(size_t col, size_t k)
{
    uint64_t x = (uint64_t)col * 0x9E3779B97F4A7C15u + (uint64_t)k * 0xBF58476D1CE4E5B9u;
    x ^= x >> 31;
    x *= 0x94D049BB133111EBu;
    x ^= x >> 29;
    return (double)(x >> 11) / 4503599627370496.0 - 1.0;
}

/* A PDH-CSV log of ncols Process instances (ID Process, Private Bytes,
 * Working Set, Virtual Bytes, Handle Count, Thread Count each) sampled
 * every interval_s for hours, and Memory\Committed Bytes as the sum of
 * the private bytes plus 3 GB and extra_commit_per_h of an unlogged
 * process. Caller frees. */
static char *build(const char *const *inst, size_t ncols, double hours, double interval_s,
                   double extra_commit_per_h, sample_fn fn, const void *ctx, size_t *len)
{
    static const char *ctr[] = {"ID Process", "Private Bytes", "Working Set", "Virtual Bytes",
                                "Handle Count", "Thread Count"};
    size_t rows = (size_t)(hours * 3600 / interval_s) + 1, cap = (rows + 1) * (ncols * 6 * 24 + 64) + 4096;
    size_t n = 0, k, c, j;
    char *buf = malloc(cap);
    assert_non_null(buf);
    n += (size_t)snprintf(buf + n, cap - n, "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\SRV\\Memory\\Committed Bytes\"");
    for (c = 0; c < ncols; c++)
        for (j = 0; j < 6; j++)
            n += (size_t)snprintf(buf + n, cap - n, ",\"\\\\SRV\\Process(%s)\\%s\"", inst[c], ctr[j]);
    n += (size_t)snprintf(buf + n, cap - n, "\r\n");
    for (k = 0; k < rows; k++) {
        double h = (double)k * interval_s / 3600, commit = 3072 * MB + extra_commit_per_h * h;
        long sec = (long)llround((double)k * interval_s);
        sample s[16];
        for (c = 0; c < ncols; c++) {
            fn(c, h, &s[c], ctx);
            if (s[c].pid != NONE)
                commit += s[c].priv;
        }
        n += (size_t)snprintf(buf + n, cap - n, "\"01/%02ld/2026 %02ld:%02ld:%02ld.000\",\"%.0f\"",
                              5 + sec / 86400, sec / 3600 % 24, sec / 60 % 60, sec % 60, commit);
        for (c = 0; c < ncols; c++) {
            if (s[c].pid == NONE) {
                n += (size_t)snprintf(buf + n, cap - n, ",\" \",\" \",\" \",\" \",\" \",\" \"");
                continue;
            }
            n += (size_t)snprintf(buf + n, cap - n, ",\"%ld\",\"%.0f\",\"%.0f\",\"%.0f\",\"%.0f\",\"%.0f\"",
                                  s[c].pid, s[c].priv * (1 + 0.004 * jitter(c, k)),
                                  s[c].ws * (1 + 0.01 * jitter(c + 50, k)), s[c].virt,
                                  floor(s[c].handles + 3 * jitter(c + 100, k)),
                                  floor(s[c].threads + 0.5 + jitter(c + 150, k)));
        }
        n += (size_t)snprintf(buf + n, cap - n, "\r\n");
        assert_true(n < cap);
    }
    *len = n;
    return buf;
}

static tu_judged analysed_with(const char *text, size_t len, double min_span_h)
{
    pl_analysis *a;
    tu_judged j;
    pl_analysis_opts o;
    pl_error err;
    pl_analysis_opts_init(&o);
    if (min_span_h > 0)
        o.detect.min_span_h = min_span_h;
    assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
    if (pl_analysis_read_buffer(a, "srv.csv", text, len, 0, &err) != PL_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
    assert_int_equal(tu_judge(&j, a, &err), PL_OK);
    return j;
}

static const pl_diagnosis *diagnosed(const char *const *inst, size_t ncols, double hours, double iv,
                                     double extra, sample_fn fn, const void *ctx, tu_judged *j)
{
    size_t len;
    char *text = build(inst, ncols, hours, iv, extra, fn, ctx, &len);
    *j = analysed_with(text, len, 0);
    free(text);
    return j->d;
}

/* Fails listing the findings when there are not n. */
static void expect_findings(const pl_diagnosis *d, size_t n)
{
    size_t i;
    if (pl_diagnosis_count(d) == n)
        return;
    for (i = 0; i < pl_diagnosis_count(d); i++)
        print_message("  finding: %s\n", pl_diagnosis_finding(d, i)->summary);
    fail_msg("%zu findings, expected %zu", pl_diagnosis_count(d), n);
}

/* A warm-up from share `from` of the plateau with time constant tau. */
static double warm(double plateau, double from, double tau_h, double age_h)
{
    return plateau * (1 - (1 - from) * exp(-age_h / tau_h));
}

/* A quiet process that never restarts. */
static void steady(sample *s, long pid, double priv)
{
    s->pid = pid;
    s->priv = priv;
    s->ws = 1.2 * priv;
    s->virt = 2199023255552.0 + 3 * priv;
    s->handles = 400;
    s->threads = 20;
}

/* ---- 1: a restarted service warms up again to where it was ---- */

static void restarted(size_t col, double h, sample *s, const void *ctx)
{
    (void)ctx;
    if (col == 0) {
        /* restarted every 6 h, a new ID each time; the last life is cut
         * by the log's end half-way to its plateau and beyond */
        double every = 6, age = fmod(h, every);
        long life = (long)(h / every);
        steady(s, 1000 + 4 * life, warm(300 * MB, 0.4, 0.7, age));
        s->virt = 2199023255552.0 + warm(900 * MB, 0.3, 0.7, age);
        s->handles = warm(800, 0.5, 0.5, age);
    } else if (col == 1) {
        /* restarted nightly at 02:00, warming up for hours; the log ends
         * 12 h into its last life */
        double age = h < 2 ? h + 22 : fmod(h - 2, 24);
        long life = h < 2 ? 0 : 1 + (long)((h - 2) / 24);
        steady(s, 2000 + 4 * life, warm(500 * MB, 0.2, 4, age));
        s->ws = warm(450 * MB, 0.2, 4, age);
        s->virt = 2199023255552.0 + warm(1200 * MB, 0.2, 4, age);
    } else {
        steady(s, 3000, 120 * MB);
    }
}

static void test_restarted_warm_up(void **state)
{
    const char *inst[] = {"AgentSvc", "ReportSvc", "spoolsv"};
    tu_judged j;
    const pl_diagnosis *d = diagnosed(inst, 3, 38, 60, 0, restarted, NULL, &j);
    (void)state;
    expect_findings(d, 0);
    tu_judged_free(&j);
}

/* ---- 2: commit shares go to the process that grows ---- */

static void commit_shares(size_t col, double h, sample *s, const void *ctx)
{
    (void)ctx;
    if (col == 0) {
        steady(s, 1200, 200 * MB + 40 * MB * h); /* the heap leak */
    } else {
        /* healthy services restarted once, warming up to their old level:
         * the new life's rise nets against the old life's exit */
        double at = 8 + 9 * (double)col;
        long pid = h < at ? 1300 + 8 * (long)col : 1304 + 8 * (long)col;
        double age = h < at ? h + 30 : h - at;
        steady(s, pid, warm((150 + 100 * (double)col) * MB, 0.3, 1.5, age));
    }
}

static void test_commit_shares(void **state)
{
    const char *inst[] = {"OrderSvc", "MsMpEng", "svchost", "ReportSvc"};
    tu_judged j;
    const pl_diagnosis *d = diagnosed(inst, 4, 48, 120, 0, commit_shares, NULL, &j);
    const pl_culprit_finding *f;
    size_t i;
    double sum = 0;
    (void)state;
    expect_findings(d, 1);
    f = pl_diagnosis_finding(d, 0);
    assert_string_equal(f->name, "OrderSvc");
    assert_true(f->kinds & PL_GROWS_MEMORY);
    for (i = 0; i < f->nexplains; i++)
        if (strstr(f->explains[i].counter, "Committed Bytes"))
            sum += f->explains[i].percent;
    assert_true(sum > 80 && sum <= 100.5);
    tu_judged_free(&j);
}

/* ---- 3: a recycled pool is one service, whatever its IDs ---- */

typedef struct recycle {
    double every_h;   /* a life's length */
    double gap_h;     /* the next starts this after (negative: before) the last exits */
} recycle;

/* Which life runs in which column at h: lives start every r->every_h (plus
 * the gap); with overlap the new worker is w3wp#1 until the old exits. */
static void recycled(size_t col, double h, sample *s, const void *ctx)
{
    const recycle *r = ctx;
    double period = r->every_h + r->gap_h;
    long life = (long)floor(h / period);
    double age = h - (double)life * period;
    long cur = life, other = -1;
    s->pid = NONE;
    if (col == 2) {
        steady(s, 900, 90 * MB);
        return;
    }
    if (age >= r->every_h) {
        if (r->gap_h > 0)
            cur = -1; /* between lives */
    } else if (r->gap_h < 0 && age < -r->gap_h && life > 0) {
        other = life - 1; /* the old worker still exiting */
    }
    if (other >= 0) {
        long which = col == 0 ? other : cur;
        double a2 = h - (double)which * period;
        steady(s, 5000 + 4 * which, 200 * MB + 105 * MB * a2);
        return;
    }
    if (col == 0 && cur >= 0)
        steady(s, 5000 + 4 * cur, 200 * MB + 105 * MB * age);
}

static void check_recycled(const recycle *r, double interval_s)
{
    const char *inst[] = {"w3wp", "w3wp#1", "spoolsv"};
    tu_judged j;
    const pl_diagnosis *d = diagnosed(inst, 3, 60, interval_s, 0, recycled, r, &j);
    const pl_culprit_finding *f;
    size_t i;
    expect_findings(d, 1);
    f = pl_diagnosis_finding(d, 0);
    assert_string_equal(f->name, "w3wp");
    assert_true(f->restarts >= 8);
    assert_true(f->restart_every_h > 5.5 && f->restart_every_h < 6.5);
    assert_true(f->ceiling > 750 * MB && f->ceiling < 900 * MB);
    /* a kind is named only for what grew: no handles or threads at 0/h */
    assert_int_equal(f->kinds, PL_GROWS_MEMORY);
    for (i = 0; i < f->nrates; i++)
        assert_true(f->rates[i].per_hour > 0);
    tu_judged_free(&j);
}

static void test_recycled_one_service(void **state)
{
    recycle after = {5.9, 1.0 / 60}, overlapped = {5.9, -1.0 / 60};
    (void)state;
    check_recycled(&after, 300);      /* restarted a minute later, samples 5 min apart */
    check_recycled(&overlapped, 60);  /* the new worker starts a minute before */
}

/* ---- 4: a warm-up that takes most of the log ---- */

static void slow_warm_up(size_t col, double h, sample *s, const void *ctx)
{
    (void)ctx;
    if (col == 0) {
        /* starts an hour in and warms up for most of a day (a buffer
         * pool, its handles and threads with it): 89 -> 160 MB */
        double w;
        if (h < 1) {
            s->pid = NONE;
            return;
        }
        w = 1 - (1 - 89.0 / 160) * exp(-(h - 1) / 7.6);
        steady(s, 4204, 160 * MB * w);
        s->handles = 1500 * (0.7 + 0.3 * w);
        s->threads = 80 * (0.8 + 0.2 * w);
    } else {
        steady(s, 1100, 60 * MB);
    }
}

static void test_warm_up_over_the_log(void **state)
{
    const char *inst[] = {"sqlservr", "lsass"};
    tu_judged j;
    const pl_diagnosis *d = diagnosed(inst, 2, 29.3, 60, 0, slow_warm_up, NULL, &j);
    size_t i;
    (void)state;
    expect_findings(d, 0);
    for (i = 0; i < pl_analysis_counter_count(j.a); i++)
        assert_int_not_equal(pl_analysis_counter(j.a, i)->finding.verdict, PL_VERDICT_LEAK);
    tu_judged_free(&j);
}

/* ---- 5: working sets and reservations do not leak on their own ---- */

static void secondary(size_t col, double h, sample *s, const void *ctx)
{
    (void)ctx;
    if (col == 0) {
        /* the working set grows as load grows; private bytes do not */
        steady(s, 2100, 200 * MB);
        s->ws = 100 * MB + 80 * MB * h / 48;
    } else if (col == 1) {
        /* a heap leak: virtual bytes grow exactly as private bytes do */
        steady(s, 2200, 150 * MB + 8 * MB * h);
        s->virt = 2199023255552.0 + 150 * MB + 8 * MB * h;
    } else {
        steady(s, 2300, 50 * MB);
    }
}

static void test_secondary_counters(void **state)
{
    const char *inst[] = {"explorer", "OrderSvc", "lsass"};
    tu_judged j;
    const pl_diagnosis *d = diagnosed(inst, 3, 48, 120, 0, secondary, NULL, &j);
    const pl_culprit_finding *f;
    (void)state;
    expect_findings(d, 1);
    f = pl_diagnosis_finding(d, 0);
    assert_string_equal(f->name, "OrderSvc");
    assert_int_equal(f->kinds & (PL_GROWS_MEMORY | PL_GROWS_ADDRESS_SPACE), PL_GROWS_MEMORY);
    tu_judged_free(&j);
}

/* ---- 6: one ID all along is one life ---- */

static void browser(size_t col, double h, sample *s, const void *ctx)
{
    (void)ctx;
    steady(s, 7100 + 4 * (long)col, 300 * MB);
    if (col == 0) {
        /* thread-pool bursts every 25 min that end a little higher each
         * time, then fall back: one process throughout */
        double period = 25.0 / 60, k = floor(h / period), age = h - k * period;
        s->threads = age < 0.8 * period ? 30 + (15 + 0.6 * k) * age / (0.8 * period) : 30;
    }
}

static void test_one_id_one_life(void **state)
{
    const char *inst[] = {"chrome", "lsass"};
    size_t len, i;
    char *text = build(inst, 2, 4, 15, 0, browser, NULL, &len);
    tu_judged j = analysed_with(text, len, 0.5);
    (void)state;
    free(text);
    for (i = 0; i < pl_analysis_counter_count(j.a); i++) {
        const pl_counter *c = pl_analysis_counter(j.a, i);
        if (strcmp(c->parts.counter, "Thread Count") != 0 || strcmp(c->parts.instance, "chrome") != 0)
            continue;
        assert_int_equal(c->finding.lives, 1);
        assert_int_not_equal(c->finding.verdict, PL_VERDICT_LEAK);
    }
    expect_findings(j.d, 0);
    tu_judged_free(&j);
}

/* ---- 7: the evidence says what was logged and what was fitted ---- */

static void short_leak(size_t col, double h, sample *s, const void *ctx)
{
    (void)ctx;
    steady(s, 8100 + 4 * (long)col, 100 * MB);
    if (col == 0)
        s->threads = h == 0 ? 30 : 28 + 12 * h; /* the first sample above the fit */
}

static void test_evidence_words(void **state)
{
    const char *inst[] = {"svc", "lsass"};
    size_t len;
    char *text = build(inst, 2, 3595.0 / 3600, 5, 0, short_leak, NULL, &len), *out = NULL;
    tu_judged j = analysed_with(text, len, 0);
    size_t olen = 0, i, found = 0;
    pl_error err;
    FILE *m = open_memstream(&out, &olen);
    (void)state;
    free(text);
    assert_int_equal(pl_report_write(&j.r, PL_REPORT_TEXT, m, &err), PL_OK);
    fclose(m);
    /* a span of 59 min 55 s is not "60 min" beside "at least 1 h" */
    assert_null(strstr(out, "60 min"));
    assert_non_null(strstr(out, "59 min"));
    /* a trend's levels are called a trend; the samples are the logged ones */
    free(out);
    tu_judged_free(&j);
    /* the same growth over 3 h is a finding: its line calls the fitted
     * levels a trend and shows the first and last samples as logged */
    text = build(inst, 2, 3, 5, 0, short_leak, NULL, &len);
    j = analysed_with(text, len, 0);
    free(text);
    m = open_memstream(&out, &olen);
    assert_int_equal(pl_report_write(&j.r, PL_REPORT_TEXT, m, &err), PL_OK);
    fclose(m);
    for (i = 0; i < pl_analysis_counter_count(j.a); i++) {
        const pl_counter *c = pl_analysis_counter(j.a, i);
        const pl_series_stats *st = pl_series_get_stats(pl_store_series(pl_analysis_store(j.a), c->series));
        char lo[48], hi[48], first[48], last[48], want[256];
        if (strcmp(c->parts.counter, "Thread Count") != 0 || strcmp(c->parts.instance, "svc") != 0)
            continue;
        assert_int_equal(c->finding.verdict, PL_VERDICT_LEAK);
        pl_format_amount(c->finding.start_level, c->unit, lo, sizeof lo);
        pl_format_amount(c->finding.end_level, c->unit, hi, sizeof hi);
        pl_format_amount(st->first_value, c->unit, first, sizeof first);
        pl_format_amount(st->last_value, c->unit, last, sizeof last);
        snprintf(want, sizeof want, "from the first sample, trend %s -> %s in 3.0 h (samples %s -> %s)", lo, hi,
                 first, last);
        if (!strstr(out, want))
            fail_msg("no \"%s\" in\n%s", want, out);
        found++;
    }
    assert_int_equal(found, 1);
    free(out);
    tu_judged_free(&j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_restarted_warm_up),
        cmocka_unit_test(test_commit_shares),
        cmocka_unit_test(test_recycled_one_service),
        cmocka_unit_test(test_warm_up_over_the_log),
        cmocka_unit_test(test_secondary_counters),
        cmocka_unit_test(test_one_id_one_life),
        cmocka_unit_test(test_evidence_words),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
