/* test_compare.c - perfleak compare on before/after pairs made here: a
 * leak fixed, slowed, unchanged, worse, a new leak beside a fixed one,
 * an after-log too short, a handle leak fixed and a driver's pool leak
 * slowed; each pair with a reboot between (new PIDs), another sampling
 * interval and another time zone. Each asserts the verdict, the status
 * (compare's exit status) and the JSON contract. */
#include <math.h>
#include "testutil.h"
#include "judged.h"
#include "perfleak/compare.h"
#include <jansson.h>

#define MB 1048576.0

/* One capture of server WEB01: OrderSvc's heap may leak from onset_h,
 * lsass's handles may leak, and a driver's paged pool may grow. */
typedef struct gen {
    double hours, interval_s;
    int bias;               /* minutes to add to local time for UTC */
    int pid;                /* the first PID: a reboot gives new ones */
    double heap_mb_h, onset_h, handles_h, pool_mb_h;
    uint64_t seed;
} gen;

static double noise(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / 9007199254740992.0 - 0.5;
}

static char *make_log(const gen *g, size_t *len)
{
    static const char *const procs[] = {"OrderSvc", "lsass", "spoolsv"};
    char *text = NULL;
    FILE *m = open_memstream(&text, len);
    uint64_t s = g->seed;
    size_t rows = (size_t)(g->hours * 3600 / g->interval_s) + 1, r, p;
    /* 2026-03-02 00:00 local, in seconds since 1970 */
    long long t0 = 1772409600LL;
    assert_non_null(m);
    fprintf(m, "\"(PDH-CSV 4.0) (Some Standard Time)(%d)\"", g->bias);
    for (p = 0; p < 3; p++)
        fprintf(m, ",\"\\\\WEB01\\Process(%s)\\Private Bytes\",\"\\\\WEB01\\Process(%s)\\ID Process\","
                   "\"\\\\WEB01\\Process(%s)\\Handle Count\"", procs[p], procs[p], procs[p]);
    fprintf(m, ",\"\\\\WEB01\\Memory\\Pool Paged Bytes\",\"\\\\WEB01\\Memory\\Committed Bytes\"\r\n");
    for (r = 0; r < rows; r++) {
        double h = (double)r * g->interval_s / 3600, total = 2e9;
        long long t = t0 + (long long)((double)r * g->interval_s);
        long long day = t / 86400, sec = t % 86400;
        /* civil date of day (days since 1970), for March 2026 only */
        int dd = (int)(day - 20514) + 2, mo = 3;
        while (dd > 31) { dd -= 31; mo++; }
        fprintf(m, "\"%02d/%02d/2026 %02lld:%02lld:%02lld.000\"", mo, dd, sec / 3600, sec / 60 % 60, sec % 60);
        for (p = 0; p < 3; p++) {
            double pb = (100 + 50 * (double)p) * MB + 0.2 * MB * noise(&s);
            double hc = 500 + 100 * (double)p + 3 * noise(&s);
            if (p == 0 && h > g->onset_h)
                pb += g->heap_mb_h * MB * (h - g->onset_h);
            if (p == 1)
                hc += g->handles_h * h;
            total += pb;
            fprintf(m, ",\"%.0f\",\"%d\",\"%.0f\"", pb, g->pid + 4 * (int)p, hc);
        }
        {
            double pool = 300 * MB + g->pool_mb_h * MB * h + 0.3 * MB * noise(&s);
            fprintf(m, ",\"%.0f\",\"%.0f\"\r\n", pool, total + pool);
        }
    }
    assert_int_equal(fclose(m), 0);
    return text;
}

typedef struct pair {
    tu_judged side[2];
    pl_compare *c;
    json_t *json;
} pair;

static void judge_side(tu_judged *j, const gen *g, const char *name)
{
    size_t len;
    char *text = make_log(g, &len);
    pl_analysis *a;
    pl_error err;
    assert_int_equal(pl_analysis_create(&a, NULL, &err), PL_OK);
    if (pl_analysis_read_buffer(a, name, text, len, 0, &err) != PL_OK)
        fail_msg("%s: %s", name, err.msg);
    free(text);
    assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
    assert_int_equal(tu_judge(j, a, &err), PL_OK);
}

static void compare(pair *p, const gen *before, const gen *after)
{
    pl_error err;
    char *text = NULL;
    size_t len = 0;
    FILE *m;
    judge_side(&p->side[0], before, "before.csv");
    judge_side(&p->side[1], after, "after.csv");
    assert_int_equal(pl_compare_create(&p->c, &p->side[0].r, &p->side[1].r, &err), PL_OK);
    m = open_memstream(&text, &len);
    assert_non_null(m);
    assert_int_equal(pl_compare_write(p->c, PL_REPORT_JSON, m, &err), PL_OK);
    assert_int_equal(fclose(m), 0);
    p->json = json_loads(text, 0, NULL);
    assert_non_null(p->json);
    free(text);
}

static void pair_free(pair *p)
{
    json_decref(p->json);
    pl_compare_free(p->c);
    tu_judged_free(&p->side[0]);
    tu_judged_free(&p->side[1]);
}

/* The comparison of that culprit type and name ("" for kernel/system),
 * in the JSON, with the contract's members checked. */
static json_t *find(const pair *p, const char *type, const char *name)
{
    json_t *items = json_object_get(p->json, "comparisons"), *it;
    size_t i;
    assert_true(json_is_array(json_object_get(p->json, "before")));
    assert_true(json_is_array(json_object_get(p->json, "after")));
    assert_true(json_is_array(items));
    json_array_foreach(items, i, it) {
        json_t *c = json_object_get(it, "culprit");
        const char *t = json_string_value(json_object_get(c, "type"));
        const char *n = json_string_value(json_object_get(c, "name"));
        assert_non_null(t);
        assert_non_null(json_string_value(json_object_get(it, "verdict")));
        assert_non_null(json_string_value(json_object_get(it, "summary")));
        assert_true(json_is_array(json_object_get(it, "kinds")));
        assert_true(json_object_get(it, "ratio") && json_object_get(it, "log_at_least_hours"));
        assert_string_equal(json_string_value(json_object_get(c, "machine")), "WEB01");
        if (strcmp(t, type) == 0 && (!name[0] || (n && strcmp(n, name) == 0)))
            return it;
    }
    fail_msg("no comparison of %s %s", type, name);
    return NULL;
}

static const char *verdict(json_t *it)
{
    return json_string_value(json_object_get(it, "verdict"));
}

/* before: 60 s, UTC, PIDs from 1000; after: 120 s, UTC+01:00, rebooted */
static gen before_of(double heap, double handles, double pool)
{
    gen g = {48, 60, 0, 1000, heap, 0, handles, pool, 1};
    return g;
}

static gen after_of(double heap, double handles, double pool)
{
    gen g = {48, 120, -60, 7000, heap, 0, handles, pool, 2};
    return g;
}

static void test_fixed(void **state)
{
    pair p;
    gen b = before_of(5, 0, 0), a = after_of(0, 0, 0);
    json_t *it;
    (void)state;
    compare(&p, &b, &a);
    it = find(&p, "process", "OrderSvc");
    assert_string_equal(verdict(it), "gone");
    assert_true(json_is_object(json_object_get(it, "before")));
    assert_true(json_is_null(json_object_get(it, "after")));
    assert_true(json_is_null(json_object_get(it, "ratio")));
    assert_int_equal(pl_compare_status(p.c), 0);
    assert_int_equal(json_integer_value(json_object_get(p.json, "status")), 0);
    pair_free(&p);
}

static void test_slowed(void **state)
{
    pair p;
    gen b = before_of(5, 0, 0), a = after_of(1, 0, 0);
    json_t *it;
    (void)state;
    compare(&p, &b, &a);
    it = find(&p, "process", "OrderSvc");
    assert_string_equal(verdict(it), "slower");
    assert_true(fabs(json_number_value(json_object_get(it, "ratio")) - 0.2) < 0.05);
    assert_int_equal(pl_compare_status(p.c), 1);
    pair_free(&p);
}

static void test_unchanged(void **state)
{
    pair p;
    gen b = before_of(5, 0, 0), a = after_of(5, 0, 0);
    (void)state;
    compare(&p, &b, &a);
    assert_string_equal(verdict(find(&p, "process", "OrderSvc")), "unchanged");
    assert_int_equal(pl_compare_status(p.c), 1);
    pair_free(&p);
}

static void test_worse(void **state)
{
    pair p;
    gen b = before_of(2, 0, 0), a = after_of(8, 0, 0);
    (void)state;
    compare(&p, &b, &a);
    assert_string_equal(verdict(find(&p, "process", "OrderSvc")), "worse");
    assert_int_equal(pl_compare_status(p.c), 1);
    pair_free(&p);
}

static void test_new_beside_fixed(void **state)
{
    pair p;
    gen b = before_of(5, 0, 0), a = after_of(0, 40, 0);
    json_t *it;
    (void)state;
    compare(&p, &b, &a);
    assert_string_equal(verdict(find(&p, "process", "OrderSvc")), "gone");
    it = find(&p, "process", "lsass");
    assert_string_equal(verdict(it), "new");
    assert_true(json_is_null(json_object_get(it, "before")));
    /* the new one first: most urgent */
    assert_string_equal(verdict(json_array_get(json_object_get(p.json, "comparisons"), 0)), "new");
    assert_int_equal(pl_compare_status(p.c), 1);
    pair_free(&p);
}

static void test_too_short(void **state)
{
    pair p;
    gen b = before_of(5, 0, 0), a = after_of(0, 0, 0);
    json_t *it;
    (void)state;
    b.onset_h = 10;
    a.hours = 3;
    compare(&p, &b, &a);
    it = find(&p, "process", "OrderSvc");
    assert_string_equal(verdict(it), "cannot-tell");
    assert_true(json_number_value(json_object_get(it, "log_at_least_hours")) >= 12);
    assert_int_equal(pl_compare_status(p.c), 3);
    pair_free(&p);
}

static void test_handles_fixed(void **state)
{
    pair p;
    gen b = before_of(0, 40, 0), a = after_of(0, 0, 0);
    json_t *it;
    (void)state;
    compare(&p, &b, &a);
    it = find(&p, "process", "lsass");
    assert_string_equal(verdict(it), "gone");
    assert_string_equal(json_string_value(json_array_get(json_object_get(it, "kinds"), 0)), "handles");
    assert_int_equal(pl_compare_status(p.c), 0);
    pair_free(&p);
}

static void test_pool_slowed(void **state)
{
    pair p;
    gen b = before_of(0, 0, 10), a = after_of(0, 0, 3);
    json_t *it;
    (void)state;
    compare(&p, &b, &a);
    it = find(&p, "kernel", "");
    assert_string_equal(json_string_value(json_object_get(json_object_get(it, "culprit"), "pool")), "paged");
    assert_string_equal(verdict(it), "slower");
    assert_int_equal(pl_compare_status(p.c), 1);
    pair_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed),
        cmocka_unit_test(test_slowed),
        cmocka_unit_test(test_unchanged),
        cmocka_unit_test(test_worse),
        cmocka_unit_test(test_new_beside_fixed),
        cmocka_unit_test(test_too_short),
        cmocka_unit_test(test_handles_fixed),
        cmocka_unit_test(test_pool_slowed),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
