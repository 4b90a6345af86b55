/* test_detect.c - the robust detector on each shape it must get right, the
 * evidence it gives, and the least-squares baseline it replaced. */
#include <math.h>
#include <gsl/gsl_cdf.h>
#include "testutil.h"
#include "corpus.h"
#include "perfleak/detect.h"
#include "detect/stats.h"

#define MB (1024.0 * 1024.0)

/* Deterministic noise in [-1, 1]. */
static double noise(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / 4503599627370496.0 - 1.0;
}

/* A store holding f(0..n-1) a step apart; the series is id 0. */
static pl_store *series_of(double (*f)(int, uint64_t *), int n, int step_s)
{
    pl_store *st;
    pl_error err;
    size_t id;
    uint64_t seed = 7;
    int i;
    assert_int_equal(pl_store_create(&st, 0, &err), PL_OK);
    assert_int_equal(pl_store_add_series(st, &id, &err), PL_OK);
    for (i = 0; i < n; i++)
        assert_int_equal(pl_store_add(st, id, (pl_time)i * step_s * PL_TICKS_PER_SEC, f(i, &seed), &err), PL_OK);
    return st;
}

static pl_finding judge_with(double (*f)(int, uint64_t *), int n, int step_s, pl_method m)
{
    pl_store *st = series_of(f, n, step_s);
    pl_error err;
    pl_finding fi;
    pl_detect_opts o;
    pl_detect_opts_init(&o);
    o.method = m;
    if (m != PL_METHOD_ROBUST)
        o.min_growth_pct = 10;
    assert_int_equal(pl_detect(pl_store_series(st, 0), &o, PL_UNIT_BYTES, &fi, &err), PL_OK);
    pl_store_free(st);
    return fi;
}

static pl_finding judge(double (*f)(int, uint64_t *), int n, int step_s)
{
    return judge_with(f, n, step_s, PL_METHOD_ROBUST);
}

static double linear(int i, uint64_t *s) { return 10 * MB + i * 0.1 * MB + noise(s) * 0.2 * MB; }
static double flat(int i, uint64_t *s) { (void)i; return 50 * MB + noise(s) * 2 * MB; }
static double falling(int i, uint64_t *s) { return 500 * MB - i * 0.1 * MB + noise(s) * MB; }
static double constant(int i, uint64_t *s) { (void)i; (void)s; return 42; }
static double tiny_growth(int i, uint64_t *s) { return 1000 * MB + i * 0.01 * MB + noise(s) * 0.01 * MB; }
/* flat for 2000 minutes, then +0.2 MB a minute */
static double late(int i, uint64_t *s) { return 100 * MB + (i > 2000 ? (i - 2000) * 0.2 * MB : 0) + noise(s) * MB; }
/* warm-up: 100 MB -> 400 MB with a 2-hour time constant, then flat */
static double warm(int i, uint64_t *s) { return 100 * MB + 300 * MB * (1 - exp(-i / 120.0)) + noise(s) * MB; }
/* a daily cycle of +-80 MB around 300 MB, plus 0.5 MB an hour */
static double daily_leak(int i, uint64_t *s)
{
    return 300 * MB + 80 * MB * sin(2 * 3.14159265358979 * i / 1440.0) + i / 120.0 * MB + noise(s) * MB;
}
static double daily(int i, uint64_t *s) { return 300 * MB + 80 * MB * sin(2 * 3.14159265358979 * i / 1440.0) + noise(s) * MB; }
/* restarted every 500 minutes; each life warms up higher than the last */
static double restarts_rising(int i, uint64_t *s)
{
    int life = i / 500;
    return 20 * MB + (200 + 40 * life) * MB * (1 - exp(-(i % 500) / 30.0)) + noise(s) * MB;
}
static double restarts_same(int i, uint64_t *s)
{
    return 20 * MB + 200 * MB * (1 - exp(-(i % 500) / 30.0)) + noise(s) * MB;
}

static void test_linear_leak(void **state)
{
    pl_finding f = judge(linear, 3900, 60);
    (void)state;
    assert_int_equal(f.verdict, PL_VERDICT_LEAK);
    assert_string_equal(pl_verdict_name(f.verdict), "leak");
    assert_string_equal(f.method, "robust");
    /* 0.1 MB per minute = 6 MB per hour, inside a tight interval */
    assert_true(fabs(f.slope_per_hour - 6 * MB) < 0.05 * MB);
    assert_true(f.slope_lo <= f.slope_per_hour && f.slope_per_hour <= f.slope_hi);
    assert_true(f.slope_lo > 5.8 * MB && f.slope_hi < 6.2 * MB);
    assert_true(fabs(f.growth - 389.9 * MB) < 4 * MB);
    assert_true(f.growth_pct > 3000);
    assert_true(f.p_value < 1e-3);
    assert_true(f.confidence > 0.99);
    assert_int_equal(f.lives, 1);
    if (!strstr(f.reason, "grew 390 MB") || !strstr(f.reason, "6.00 MB/h") ||
        !strstr(f.reason, "no levelling off"))
        fail_msg("reason: %s", f.reason);
}

static void test_not_leaks(void **state)
{
    pl_finding f;
    (void)state;
    f = judge(flat, 2000, 60);
    assert_int_equal(f.verdict, PL_VERDICT_OK);
    f = judge(falling, 2000, 60);
    assert_int_equal(f.verdict, PL_VERDICT_OK);
    assert_true(f.slope_per_hour < 0);
    assert_non_null(strstr(f.reason, "falling"));
    f = judge(constant, 100, 60);
    assert_int_equal(f.verdict, PL_VERDICT_OK);
    assert_string_equal(f.reason, "constant at every sample");
    /* Real growth, but 2% of the level: too little to matter. */
    f = judge(tiny_growth, 2000, 60);
    assert_int_equal(f.verdict, PL_VERDICT_OK);
    assert_non_null(strstr(f.reason, "too little to matter"));
    f = judge(warm, 3000, 60);
    assert_int_equal(f.verdict, PL_VERDICT_OK);
    f = judge(daily, 4320, 60);
    assert_int_equal(f.verdict, PL_VERDICT_OK);
}

static void test_onset_and_cycle(void **state)
{
    pl_finding f = judge(late, 4000, 60);
    (void)state;
    assert_int_equal(f.verdict, PL_VERDICT_LEAK);
    /* growth began at minute 2000 (hour 33.3); the onset lands near it */
    assert_true(llabs(f.onset - (pl_time)2000 * 60 * PL_TICKS_PER_SEC) < (pl_time)3 * 3600 * PL_TICKS_PER_SEC);
    assert_true(fabs(f.slope_per_hour - 12 * MB) < 1.5 * MB);
    f = judge(daily_leak, 4320, 60);
    if (f.verdict != PL_VERDICT_LEAK)
        fail_msg("daily+leak: %s (period %.1f h)", f.reason, f.period_h);
    assert_true(fabs(f.period_h - 24) < 1.5);
    assert_true(fabs(f.slope_per_hour - 0.5 * MB) < 0.15 * MB);
    assert_non_null(strstr(f.reason, "cycle averaged out"));
}

static void test_lives(void **state)
{
    pl_finding f = judge(restarts_rising, 3000, 60);
    (void)state;
    assert_int_equal(f.verdict, PL_VERDICT_LEAK);
    assert_int_equal(f.lives, 6);
    assert_non_null(strstr(f.reason, "levelling off higher"));
    f = judge(restarts_same, 3000, 60);
    assert_int_equal(f.verdict, PL_VERDICT_OK);
    assert_int_equal(f.lives, 6);
    assert_non_null(strstr(f.reason, "same height"));
}

static void test_insufficient(void **state)
{
    pl_finding f = judge(linear, 19, 60);
    (void)state;
    assert_int_equal(f.verdict, PL_VERDICT_INSUFFICIENT);
    assert_string_equal(pl_verdict_name(f.verdict), "insufficient-data");
    assert_non_null(strstr(f.reason, "only 19 samples"));
    f = judge(linear, 50, 0);
    assert_int_equal(f.verdict, PL_VERDICT_INSUFFICIENT);
}

/* "No trend" is a verdict, never an allocation failure: the trend fits
 * say so apart (1, not -1) for too few points and one distinct time, and
 * a series whose last samples share one time (a clock set back, merged
 * segments) is judged insufficient by every method. */
static void test_no_trend(void **state)
{
    double x[40], y[40], mkw[80], sl, lo, hi, b, sv, var;
    size_t i;
    pl_method methods[] = {PL_METHOD_ROBUST, PL_METHOD_MANN_KENDALL, PL_METHOD_LEAST_SQUARES, PL_METHOD_PAL};
    (void)state;
    for (i = 0; i < 40; i++) {
        x[i] = 3.0;
        y[i] = (double)i;
    }
    assert_int_equal(pl_theil_sen(x, y, 0, 1, 0.95, &sl, &lo, &hi, &b), 1);
    assert_int_equal(pl_theil_sen(x, y, 1, 1, 0.95, &sl, &lo, &hi, &b), 1);
    assert_int_equal(pl_theil_sen(x, y, 40, 1, 0.95, &sl, &lo, &hi, &b), 1);
    pl_mann_kendall(y, 1, mkw, &sv, &var);
    assert_true(sv == 0 && var > 0);
    for (i = 0; i < 40; i++)
        y[i] = NAN;
    pl_mann_kendall(y, 40, mkw, &sv, &var);
    assert_true(sv == 0 && var > 0 && !isnan(pl_mk_p_increasing(sv, var)));
    x[1] = 4.0;
    assert_int_equal(pl_theil_sen(x, y, 40, 1, 0.95, &sl, &lo, &hi, &b), 0);
    for (i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        /* 60 samples ten minutes apart, the last 30 at one time and of
         * another process (ID Process 100, then 104) */
        pl_store *st;
        pl_error err;
        pl_finding f;
        pl_detect_opts o;
        size_t id, pid;
        int k;
        assert_int_equal(pl_store_create(&st, 0, &err), PL_OK);
        assert_int_equal(pl_store_add_series(st, &id, &err), PL_OK);
        assert_int_equal(pl_store_add_series(st, &pid, &err), PL_OK);
        for (k = 0; k < 60; k++) {
            pl_time t = (pl_time)(k < 30 ? k : 30) * 600 * PL_TICKS_PER_SEC;
            assert_int_equal(pl_store_add(st, id, t, 10 * MB + k * 0.1 * MB - (k < 30 ? 0 : 3 * MB), &err), PL_OK);
            assert_int_equal(pl_store_add(st, pid, t, k < 30 ? 100 : 104, &err), PL_OK);
        }
        pl_detect_opts_init(&o);
        o.method = methods[i];
        assert_int_equal(pl_detect_process(pl_store_series(st, id), pl_store_series(st, pid), &o,
                                           PL_UNIT_BYTES, &f, &err), PL_OK);
        if (methods[i] == PL_METHOD_ROBUST) {
            assert_int_equal(f.verdict, PL_VERDICT_INSUFFICIENT);
            assert_non_null(strstr(f.reason, "no trend"));
        }
        pl_store_free(st);
    }
}

/* The baseline it replaced: right on a clean line, wrong on a late onset
 * and a daily cycle with a leak under it. */
static void test_least_squares_baseline(void **state)
{
    pl_finding f = judge_with(linear, 3900, 60, PL_METHOD_LEAST_SQUARES);
    (void)state;
    assert_int_equal(f.verdict, PL_VERDICT_LEAK);
    assert_string_equal(f.method, "least-squares");
    assert_true(f.r2 > 0.99);
    f = judge_with(daily_leak, 4320, 60, PL_METHOD_LEAST_SQUARES);
    assert_int_equal(f.verdict, PL_VERDICT_OK);
    f = judge_with(tiny_growth, 2000, 60, PL_METHOD_LEAST_SQUARES);
    assert_non_null(strstr(f.reason, "below the 10% gate"));
    assert_int_equal(pl_method_parse("mann-kendall"), PL_METHOD_MANN_KENDALL);
    assert_int_equal(pl_method_parse("nope"), -1);
}

/* Every shape of the corpus, a fresh seed: at most one error in ten. */
static void test_corpus_shapes(void **state)
{
    size_t s, k;
    (void)state;
    for (s = 0; s < corpus_shape_count(); s++) {
        size_t wrong = 0;
        for (k = 0; k < 10; k++) {
            corpus_series c;
            pl_store *st;
            pl_error err;
            pl_finding f;
            size_t id, i;
            int right;
            assert_int_equal(corpus_make(&c, s, k, 20261124), 0);
            assert_int_equal(pl_store_create(&st, 0, &err), PL_OK);
            assert_int_equal(pl_store_add_series(st, &id, &err), PL_OK);
            for (i = 0; i < c.n; i++)
                pl_store_add(st, id, c.t[i], c.v[i], &err);
            assert_int_equal(pl_detect_counter(pl_store_series(st, id), NULL, NULL, PL_KIND_HELD,
                                               PL_UNIT_BYTES, &f, &err), PL_OK);
            right = c.label == LABEL_LEAK ? f.verdict == PL_VERDICT_LEAK
                  : c.label == LABEL_OK ? f.verdict == PL_VERDICT_OK
                  : f.verdict == PL_VERDICT_INSUFFICIENT;
            if (!right)
                print_message("%s #%zu: %s: %s\n", c.shape, k, pl_verdict_name(f.verdict), f.reason);
            wrong += !right;
            pl_store_free(st);
            corpus_free(&c);
        }
        if (wrong > 1)
            fail_msg("shape %s: %zu of 10 wrong", corpus_shape_name(s), wrong);
    }
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Selection through the scratch array, on every shape that trips
 * quickselects up (all equal, two values, sorted, reversed, organ pipe,
 * random) and lengths across the short-stretch, median-of-three and
 * sampling regimes, k anywhere: the k-th value, everything before it no
 * larger and after it no smaller, and the same values as went in. */
static void test_select_shapes(void **state)
{
    uint64_t s = 11;
    size_t lens[] = {1, 2, 3, 15, 16, 17, 31, 100, 599, 600, 601, 602, 1000, 2047, 4096, 4097, 9000};
    size_t li, shape, rep;
    (void)state;
    for (li = 0; li < sizeof lens / sizeof lens[0]; li++)
        for (shape = 0; shape < 6; shape++)
            for (rep = 0; rep < 4; rep++) {
                size_t n = lens[li], i, k = rep == 0 ? 0 : rep == 1 ? n - 1 : rep == 2 ? n / 2
                                                                                    : (size_t)((noise(&s) + 1) / 2 * (double)(n - 1));
                double *v = malloc(n * sizeof *v), *w = malloc(n * sizeof *w), got;
                assert_true(v && w);
                for (i = 0; i < n; i++) {
                    switch (shape) {
                    case 0: v[i] = 7; break;
                    case 1: v[i] = (double)(i % 2); break;
                    case 2: v[i] = (double)i; break;
                    case 3: v[i] = (double)(n - i); break;
                    case 4: v[i] = (double)(i < n / 2 ? i : n - i); break;
                    default: v[i] = floor(noise(&s) * 1000); break;
                    }
                    w[i] = v[i];
                }
                qsort(w, n, sizeof *w, cmp_d);
                got = pl_select(v, n, k);
                assert_true(got == w[k]);
                for (i = 0; i < n; i++)
                    assert_true(i < k ? v[i] <= got : v[i] >= got);
                qsort(v, n, sizeof *v, cmp_d);
                assert_memory_equal(v, w, n * sizeof *v);
                free(v);
                free(w);
            }
}

/* Selection and median agree with a full sort, ties and all; the rank
 * statistics give textbook values. */
static void test_robust_stats(void **state)
{
    uint64_t s = 3;
    double y[] = {1, 2, 3, 4, 5}, x[] = {0, 1, 2, 3, 4}, mkw[80], sv, var, sl, lo, hi, b;
    int t;
    (void)state;
    for (t = 0; t < 20000; t++) {
        double v[64], w[64], v2[64], want;
        size_t n = 1 + (size_t)(noise(&s) + 1) * 31, i, k;
        for (i = 0; i < n; i++)
            v[i] = w[i] = v2[i] = t % 3 ? floor(noise(&s) * 1e6) : floor((noise(&s) + 1) * 2);
        qsort(w, n, sizeof *w, cmp_d);
        want = n % 2 ? w[n / 2] : 0.5 * (w[n / 2 - 1] + w[n / 2]);
        k = (size_t)t % n;
        assert_true(pl_median_inplace(v, n) == want);
        assert_true(pl_select(v2, n, k) == w[k]);
    }
    /* long arrays, where selection first narrows down on a sample:
     * random, sorted, reversed and plateaus, k anywhere */
    for (t = 0; t < 200; t++) {
        size_t n = 601 + (size_t)((noise(&s) + 1) * 2000), i, k = t % 3 ? (size_t)t * 37 % n : t % 2 ? 0 : n - 1;
        double *v = malloc(n * sizeof *v), *w = malloc(n * sizeof *w), *v2 = malloc(n * sizeof *v2), want;
        assert_true(v && w && v2);
        for (i = 0; i < n; i++) {
            switch (t % 4) {
            case 0: v[i] = noise(&s); break;
            case 1: v[i] = (double)i; break;
            case 2: v[i] = (double)(n - i); break;
            default: v[i] = floor((noise(&s) + 1) * 3); break;
            }
            w[i] = v2[i] = v[i];
        }
        qsort(w, n, sizeof *w, cmp_d);
        want = n % 2 ? w[n / 2] : 0.5 * (w[n / 2 - 1] + w[n / 2]);
        assert_true(pl_select(v2, n, k) == w[k]);
        for (i = 0; i < n; i++)
            assert_true(i < k ? v2[i] <= v2[k] : v2[i] >= v2[k]);
        assert_true(pl_median_inplace(v, n) == want);
        free(v);
        free(w);
        free(v2);
    }
    pl_mann_kendall(y, 5, mkw, &sv, &var);
    assert_true(sv == 10 && var == 5 * 4 * 15 / 18.0);
    assert_true(fabs(pl_mk_p_increasing(sv, var) - 0.0142) < 0.001); /* z = 9/sqrt(50/3) */
    assert_int_equal(pl_theil_sen(x, y, 5, var, 0.95, &sl, &lo, &hi, &b), 0);
    assert_true(sl == 1 && b == 1 && lo <= 1 && hi >= 1);
    assert_true(pl_hamed_rao_factor(x, y, 5, 1, mkw) == 1.0);
    /* Theil-Sen against its definition: every pairwise slope sorted, the
     * median, and the ranks (m -+ C)/2 for Sen's interval */
    for (t = 0; t < 3000; t++) {
        double px[40], py[40], sl_all[780], sv2, var2, c, want_med, want_lo, want_hi;
        size_t n = 2 + (size_t)t % 39, m = 0, i, j;
        long l1, l2;
        for (i = 0; i < n; i++) {
            px[i] = (double)i + (t % 5 == 0 && i % 4 == 1 ? 0 : 0.5 * noise(&s)); /* some equal x */
            py[i] = t % 7 == 0 ? floor(noise(&s) * 3) : (double)i * 2 + noise(&s) * 5;
        }
        for (i = 0; i + 1 < n; i++)
            for (j = i + 1; j < n; j++)
                if (px[j] != px[i])
                    sl_all[m++] = (py[j] - py[i]) / (px[j] - px[i]);
        pl_mann_kendall(py, n, mkw, &sv2, &var2);
        if (m == 0) {
            assert_int_equal(pl_theil_sen(px, py, n, var2, 0.95, &sl, &lo, &hi, &b), -1);
            continue;
        }
        qsort(sl_all, m, sizeof *sl_all, cmp_d);
        want_med = m % 2 ? sl_all[m / 2] : 0.5 * (sl_all[m / 2 - 1] + sl_all[m / 2]);
        c = gsl_cdf_ugaussian_Pinv(0.5 + 0.95 / 2) * sqrt(var2);
        l1 = (long)floor(((double)m - c) / 2.0);
        l2 = (long)ceil(((double)m + c) / 2.0);
        want_lo = sl_all[l1 < 0 ? 0 : l1];
        want_hi = sl_all[l2 > (long)m - 1 ? (long)m - 1 : l2];
        assert_int_equal(pl_theil_sen(px, py, n, var2, 0.95, &sl, &lo, &hi, &b), 0);
        assert_true(sl == want_med);
        assert_true(lo == want_lo && hi == want_hi);
    }
}

static pl_finding judge_kind(double (*f)(int, uint64_t *), int n, int step_s, pl_kind kind,
                             double min_span_h)
{
    pl_store *st = series_of(f, n, step_s);
    pl_error err;
    pl_finding fi;
    pl_detect_opts o;
    pl_detect_opts_init(&o);
    if (min_span_h >= 0)
        o.min_span_h = min_span_h;
    assert_int_equal(pl_detect_counter(pl_store_series(st, 0), NULL, &o, kind, PL_UNIT_BYTES, &fi, &err), PL_OK);
    pl_store_free(st);
    return fi;
}

#define REASON_HAS(f, s) do { if (!strstr((f).reason, (s))) fail_msg("reason \"%s\" lacks \"%s\"", (f).reason, (s)); } while (0)

/* Only something held is a leak, and only from an hour of samples. */
static void test_by_kind(void **state)
{
    pl_finding f, g;
    (void)state;
    /* held, long enough: as the detector says */
    f = judge_kind(linear, 3900, 60, PL_KIND_HELD, -1);
    g = judge(linear, 3900, 60);
    assert_int_equal(f.verdict, PL_VERDICT_LEAK);
    assert_true(f.slope_per_hour == g.slope_per_hour);
    assert_false(f.suspect);
    /* ten minutes of the same growth: too short, but suspect */
    f = judge_kind(linear, 600, 1, PL_KIND_HELD, -1);
    assert_int_equal(f.verdict, PL_VERDICT_INSUFFICIENT);
    assert_true(f.suspect);
    REASON_HAS(f, "grew ");
    REASON_HAS(f, "; the samples cover only 9 min: log at least 1 h to judge"); /* 599 s, cut */
    assert_true(isnan(f.eta_h));
    /* ... and judged when the user lowers the minimum */
    f = judge_kind(linear, 600, 1, PL_KIND_HELD, 0);
    assert_int_equal(f.verdict, PL_VERDICT_LEAK);
    /* short and flat: insufficient, nothing suspect */
    f = judge_kind(flat, 600, 1, PL_KIND_HELD, -1);
    assert_int_equal(f.verdict, PL_VERDICT_INSUFFICIENT);
    assert_false(f.suspect);
    /* two hours but 25 samples: too few */
    f = judge_kind(linear, 25, 300, PL_KIND_HELD, -1);
    assert_int_equal(f.verdict, PL_VERDICT_INSUFFICIENT);
    REASON_HAS(f, "only 25 samples: at least 30 are needed to judge");
    /* free memory falling: running out, with the time to zero */
    f = judge_kind(falling, 3900, 60, PL_KIND_FREE, -1);
    assert_int_equal(f.verdict, PL_VERDICT_RUNNING_OUT);
    assert_string_equal(pl_verdict_name(f.verdict), "running-out");
    assert_true(fabs(f.slope_per_hour + 6 * MB) < 0.1 * MB);
    assert_true(f.growth < 0 && f.end_level < f.start_level);
    assert_true(f.limit == 0);
    assert_true(fabs(f.eta_h - f.end_level / (6 * MB)) < 0.5);
    assert_true(f.eta_h_early <= f.eta_h);
    REASON_HAS(f, "fell 390 MB");
    /* free memory rising, or flat: fine */
    f = judge_kind(linear, 3900, 60, PL_KIND_FREE, -1);
    assert_int_equal(f.verdict, PL_VERDICT_OK);
    REASON_HAS(f, "rose");
    REASON_HAS(f, "a rising trend");
    f = judge_kind(flat, 3900, 60, PL_KIND_FREE, -1);
    assert_int_equal(f.verdict, PL_VERDICT_OK);
    /* a rate, a clock, a cache growing steadily: described, never a leak */
    f = judge_kind(linear, 3900, 60, PL_KIND_RATE, -1);
    assert_int_equal(f.verdict, PL_VERDICT_NOT_APPLICABLE);
    assert_string_equal(pl_verdict_name(f.verdict), "not-applicable");
    REASON_HAS(f, "a rate, not something held; grew 390 MB");
    assert_true(f.slope_per_hour > 5 * MB);
    f = judge_kind(linear, 3900, 60, PL_KIND_CLOCK, -1);
    assert_int_equal(f.verdict, PL_VERDICT_NOT_APPLICABLE);
    f = judge_kind(linear, 3900, 60, PL_KIND_CACHE, -1);
    assert_int_equal(f.verdict, PL_VERDICT_NOT_APPLICABLE);
    f = judge_kind(linear, 600, 1, PL_KIND_OTHER, -1);
    assert_int_equal(f.verdict, PL_VERDICT_NOT_APPLICABLE);
    assert_false(f.suspect);
    assert_true(pl_verdict_is_finding(PL_VERDICT_RUNNING_OUT));
    assert_false(pl_verdict_is_judged(PL_VERDICT_NOT_APPLICABLE));
    assert_false(pl_verdict_is_judged(PL_VERDICT_INSUFFICIENT));
}

/* Logs of one machine weeks apart, merged: the slope of one session must
 * not be taken for growth over the weeks. */
static void test_sessions_weeks_apart(void **state)
{
    pl_store *st;
    pl_error err;
    pl_finding f;
    size_t id, k;
    int i;
    uint64_t seed = 3;
    (void)state;
    assert_int_equal(pl_store_create(&st, 0, &err), PL_OK);
    assert_int_equal(pl_store_add_series(st, &id, &err), PL_OK);
    for (k = 0; k < 3; k++) {
        /* as the real Spanish logs: two short sessions flat at 15 GB free,
         * then an hour falling from 14.1 to 13.6 GB under a workload */
        static const int n[3] = {323, 965, 4031};
        pl_time t0 = (pl_time)k * 7 * 86400 * PL_TICKS_PER_SEC;
        for (i = 0; i < n[k]; i++) {
            double v = k < 2 ? 15000 * MB : 14100 * MB - i * (500.0 * MB / 4031);
            assert_int_equal(pl_store_add(st, id, t0 + (pl_time)i * PL_TICKS_PER_SEC,
                                          v + noise(&seed) * 20 * MB, &err), PL_OK);
        }
    }
    /* the buckets follow the samples: the empty weeks cost nothing (equal
     * buckets over the three weeks would leave a handful for the hours) */
    assert_true(pl_series_bucket_count(pl_store_series(st, id)) > 250);
    assert_int_equal(pl_detect_counter(pl_store_series(st, id), NULL, NULL, PL_KIND_FREE, PL_UNIT_BYTES, &f, &err), PL_OK);
    if (f.verdict == PL_VERDICT_RUNNING_OUT)
        fail_msg("%s", f.reason);
    assert_int_equal(f.verdict, PL_VERDICT_OK);
    pl_store_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear_leak),
        cmocka_unit_test(test_not_leaks),
        cmocka_unit_test(test_onset_and_cycle),
        cmocka_unit_test(test_lives),
        cmocka_unit_test(test_insufficient),
        cmocka_unit_test(test_by_kind),
        cmocka_unit_test(test_sessions_weeks_apart),
        cmocka_unit_test(test_least_squares_baseline),
        cmocka_unit_test(test_corpus_shapes),
        cmocka_unit_test(test_robust_stats),
        cmocka_unit_test(test_no_trend),
        cmocka_unit_test(test_select_shapes),
    };
    tu_filter();
    return cmocka_run_group_tests_name("detect", tests, NULL, NULL);
}
