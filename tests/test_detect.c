/* test_detect.c - the least-squares baseline: its verdicts on clear cases
 * and the evidence it gives. */
#include <math.h>
#include "testutil.h"
#include "perfleak/detect.h"

#define MB (1024.0 * 1024.0)

/* Deterministic noise in [-1, 1]. */
static double noise(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / 4503599627370496.0 - 1.0;
}

static pl_finding judge(double (*f)(int, uint64_t *), int n, int step_s)
{
    pl_store *st;
    pl_error err;
    pl_finding fi;
    size_t id;
    uint64_t seed = 7;
    int i;
    assert_int_equal(pl_store_create(&st, 256, &err), PL_OK);
    assert_int_equal(pl_store_add_series(st, &id, &err), PL_OK);
    for (i = 0; i < n; i++)
        assert_int_equal(pl_store_add(st, id, (pl_time)i * step_s * PL_TICKS_PER_SEC, f(i, &seed), &err), PL_OK);
    assert_int_equal(pl_detect(pl_store_series(st, id), NULL, "bytes", &fi, &err), PL_OK);
    pl_store_free(st);
    return fi;
}

static double linear(int i, uint64_t *s) { return 10 * MB + i * 0.1 * MB + noise(s) * 0.2 * MB; }
static double flat(int i, uint64_t *s) { (void)i; return 50 * MB + noise(s) * 2 * MB; }
static double falling(int i, uint64_t *s) { return 500 * MB - i * 0.1 * MB + noise(s) * MB; }
static double constant(int i, uint64_t *s) { (void)i; (void)s; return 42; }
static double tiny_growth(int i, uint64_t *s) { return 1000 * MB + i * 0.01 * MB + noise(s) * 0.01 * MB; }

static void test_linear_leak(void **state)
{
    pl_finding f = judge(linear, 3900, 60);
    (void)state;
    assert_int_equal(f.verdict, PL_VERDICT_LEAK);
    assert_string_equal(pl_verdict_name(f.verdict), "leak");
    /* 0.1 MB per minute = 6 MB per hour. */
    assert_true(fabs(f.slope_per_hour - 6 * MB) < 0.05 * MB);
    assert_true(f.slope_lo < f.slope_per_hour && f.slope_per_hour < f.slope_hi);
    assert_true(f.r2 > 0.99);
    assert_true(fabs(f.growth - 389.9 * MB) < 2 * MB);
    assert_true(f.growth_pct > 3000);
    if (!strstr(f.reason, "grew 390 MB")) fail_msg("reason: %s", f.reason);
    assert_non_null(strstr(f.reason, "6.00 MB/h"));
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
    f = judge(constant, 100, 60);
    assert_int_equal(f.verdict, PL_VERDICT_OK);
    assert_string_equal(f.reason, "constant at every sample");
    /* Real growth, but 2% of the level: below the minimum-growth gate. */
    f = judge(tiny_growth, 2000, 60);
    assert_int_equal(f.verdict, PL_VERDICT_OK);
    assert_non_null(strstr(f.reason, "below the 10% gate"));
}

static void test_insufficient(void **state)
{
    pl_finding f = judge(linear, 9, 60);
    (void)state;
    assert_int_equal(f.verdict, PL_VERDICT_INSUFFICIENT);
    assert_string_equal(pl_verdict_name(f.verdict), "insufficient-data");
    assert_non_null(strstr(f.reason, "only 9 samples"));
    f = judge(linear, 50, 0);
    assert_int_equal(f.verdict, PL_VERDICT_INSUFFICIENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear_leak),
        cmocka_unit_test(test_not_leaks),
        cmocka_unit_test(test_insufficient),
    };
    return cmocka_run_group_tests_name("detect", tests, NULL, NULL);
}
