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
#include "perfleak/plot.h"
#include "perfleak/report.h"
#include <jansson.h>
#include <sys/stat.h>

#define MB 1048576.0

/* One capture of server WEB01: OrderSvc's heap may leak from onset_h,
 * lsass's handles may leak, and a driver's paged pool may grow. */
typedef struct gen {
    double hours, interval_s;
    int bias;               /* minutes to add to local time for UTC */
    int pid;                /* the first PID: a reboot gives new ones */
    double heap_mb_h, onset_h, handles_h, pool_mb_h;
    uint64_t seed;
    double svc_handles_h;   /* OrderSvc's handles leak too */
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
            if (p == 0)
                hc += g->svc_handles_h * h;
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

static void judge_text(tu_judged *j, char *text, size_t len, const char *name);

static void judge_side(tu_judged *j, const gen *g, const char *name)
{
    size_t len;
    char *text = make_log(g, &len);
    judge_text(j, text, len, name);
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
    gen g = {48, 60, 0, 1000, heap, 0, handles, pool, 1, 0};
    return g;
}

static gen after_of(double heap, double handles, double pool)
{
    gen g = {48, 120, -60, 7000, heap, 0, handles, pool, 2, 0};
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

/* Two IIS worker processes, ShopPool's and ApiPool's, with their
 * W3SVC_W3WP instances ("<pid>_<pool>"); after the reboot Windows numbers
 * them the other way round (w3wp is ApiPool's). */
static char *make_iis_log(double interval_s, int bias, int pid0, double shop_mb_h, double api_mb_h, int swap,
                          uint64_t seed, size_t *len)
{
    static const char *const pools[] = {"ShopPool", "ApiPool"};
    char *text = NULL;
    FILE *m = open_memstream(&text, len);
    uint64_t s = seed;
    size_t rows = (size_t)(24 * 3600 / interval_s) + 1, r;
    int k;
    assert_non_null(m);
    fprintf(m, "\"(PDH-CSV 4.0) (Some Standard Time)(%d)\"", bias);
    for (k = 0; k < 2; k++)
        fprintf(m, ",\"\\\\WEB01\\Process(w3wp%s)\\Private Bytes\",\"\\\\WEB01\\Process(w3wp%s)\\ID Process\"",
                k ? "#1" : "", k ? "#1" : "");
    for (k = 0; k < 2; k++)
        fprintf(m, ",\"\\\\WEB01\\W3SVC_W3WP(%d_%s)\\Active Requests\"", pid0 + 4 * k, pools[(k + swap) % 2]);
    fputs("\r\n", m);
    for (r = 0; r < rows; r++) {
        double h = (double)r * interval_s / 3600;
        long long sec = (long long)((double)r * interval_s);
        fprintf(m, "\"03/%02lld/2026 %02lld:%02lld:%02lld.000\"", 2 + sec / 86400, sec / 3600 % 24, sec / 60 % 60,
                sec % 60);
        for (k = 0; k < 2; k++) {
            int pool = (k + swap) % 2;
            double rate = pool == 0 ? shop_mb_h : api_mb_h;
            fprintf(m, ",\"%.0f\",\"%d\"", (200 + 100 * pool) * MB + rate * MB * h + 0.2 * MB * noise(&s), pid0 + 4 * k);
        }
        fprintf(m, ",\"%d\",\"%d\"\r\n", (int)(r % 7), (int)(r % 5));
    }
    assert_int_equal(fclose(m), 0);
    return text;
}

static void judge_text(tu_judged *j, char *text, size_t len, const char *name)
{
    pl_analysis *a;
    pl_error err;
    assert_int_equal(pl_analysis_create(&a, NULL, &err), PL_OK);
    if (pl_analysis_read_buffer(a, name, text, len, 0, &err) != PL_OK)
        fail_msg("%s: %s", name, err.msg);
    free(text);
    assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
    assert_int_equal(tu_judge(j, a, &err), PL_OK);
}

/* ShopPool's leak fixed, ApiPool's new: by name alone the one w3wp
 * culprit of each side would pair up as "slower"; by application pool
 * each is itself. */
static void test_app_pools(void **state)
{
    tu_judged side[2];
    pl_compare *c;
    pl_error err;
    size_t len, i;
    int gone = 0, fresh = 0;
    char *text;
    (void)state;
    text = make_iis_log(60, 0, 3100, 5, 0, 0, 7, &len);
    judge_text(&side[0], text, len, "before.csv");
    text = make_iis_log(120, -60, 5200, 0, 3, 1, 8, &len);
    judge_text(&side[1], text, len, "after.csv");
    assert_string_equal(pl_analysis_app_pool(side[0].r.analysis, "\\\\WEB01", 3100), "ShopPool");
    assert_string_equal(pl_analysis_app_pool(side[1].r.analysis, "WEB01", 5200), "ApiPool");
    assert_null(pl_analysis_app_pool(side[1].r.analysis, "WEB01", 3100));
    assert_int_equal(pl_compare_create(&c, &side[0].r, &side[1].r, &err), PL_OK);
    assert_int_equal(pl_compare_count(c), 2);
    for (i = 0; i < 2; i++) {
        const pl_comparison *k = pl_compare_item(c, i);
        char who[200];
        assert_non_null(k->service);
        pl_comparison_name(k, who, sizeof who);
        if (strcmp(k->service, "ShopPool") == 0) {
            assert_int_equal(k->verdict, PL_CMP_GONE);
            assert_string_equal(who, "w3wp (ShopPool) on WEB01");
            gone++;
        } else {
            assert_string_equal(k->service, "ApiPool");
            assert_int_equal(k->verdict, PL_CMP_NEW);
            fresh++;
        }
    }
    assert_int_equal(gone + fresh * 10, 11);
    pl_compare_free(c);
    tu_judged_free(&side[0]);
    tu_judged_free(&side[1]);
}

/* The process leaks something else after: handles instead of bytes. Its
 * bytes are not set against its handles (no ratio of MB to handles): a
 * new leak, with the bytes' fix said. */
static void test_other_counter(void **state)
{
    pair p;
    gen b = before_of(5, 0, 0), a = after_of(0, 0, 0);
    json_t *it;
    (void)state;
    a.svc_handles_h = 30;
    compare(&p, &b, &a);
    it = find(&p, "process", "OrderSvc");
    assert_string_equal(verdict(it), "new");
    assert_true(json_is_null(json_object_get(it, "ratio")));
    assert_non_null(strstr(json_string_value(json_object_get(it, "summary")), "Handle Count grows"));
    assert_non_null(strstr(json_string_value(json_object_get(it, "summary")), "Private Bytes, which grew"));
    assert_int_equal(pl_compare_status(p.c), 1);
    pair_free(&p);
}

/* Nothing judged after (half an hour) and no culprit before: no all-clear. */
static void test_nothing_judged(void **state)
{
    pair p;
    gen b = before_of(0, 0, 0), a = after_of(0, 0, 0);
    (void)state;
    a.hours = 0.5;
    compare(&p, &b, &a);
    assert_int_equal(pl_compare_count(p.c), 0);
    assert_int_equal(pl_compare_status(p.c), 3);
    pair_free(&p);
}

static char *written(int (*fn)(const pl_compare *, size_t, pl_chart_format, FILE *, pl_error *), const pl_compare *c,
                     size_t i, pl_chart_format fmt, size_t *len)
{
    char *text = NULL;
    pl_error err;
    FILE *m = open_memstream(&text, len);
    assert_non_null(m);
    if (fn(c, i, fmt, m, &err) != PL_OK)
        fail_msg("chart %zu: %s", i, err.msg);
    assert_int_equal(fclose(m), 0);
    return text;
}

static int card(const pl_compare *c, size_t i, pl_chart_format fmt, FILE *out, pl_error *err)
{
    (void)i;
    return pl_chart_compare_summary(c, fmt, out, err);
}

static size_t count_of(const char *s, const char *what)
{
    size_t n = 0;
    for (; (s = strstr(s, what)); s++)
        n++;
    return n;
}

static int exists(const char *dir, const char *name)
{
    char path[512];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
}

/* The charts and the page of a slowed leak beside a new one: each side's
 * counters are the culprit's own, or its namesake's where it has none;
 * the overlay says both rates on one hours-since-start axis; the page has
 * a chart a comparison; -o DIR writes the set and drops a chart gone. */
static void test_charts_and_page(void **state)
{
    pair p, q;
    gen b = before_of(5, 0, 0), a = after_of(1, 40, 0);
    size_t idx[8], n, i, len;
    char *svg, *png, *html = NULL, dir[] = "/tmp/perfleak-cmp-XXXXXX", name[256];
    const char *keep = getenv("PL_TEST_KEEP");
    pl_error err;
    FILE *m;
    (void)state;
    compare(&p, &b, &a);
    assert_int_equal(pl_compare_count(p.c), 2);
    for (i = 0; i < 2; i++) {
        const pl_comparison *k = pl_compare_item(p.c, i);
        int side;
        for (side = 0; side < 2; side++) {
            const pl_analysis *an = p.side[side].r.analysis;
            n = pl_compare_counters(p.c, i, side, idx, 8);
            assert_int_equal(n, 1);
            assert_non_null(strstr(pl_analysis_counter(an, idx[0])->path, k->name));
            assert_non_null(strstr(pl_analysis_counter(an, idx[0])->path,
                                   strcmp(k->name, "lsass") == 0 ? "Handle Count" : "Private Bytes"));
        }
        svg = written(pl_chart_compare, p.c, i, PL_CHART_SVG, &len);
        assert_non_null(strstr(svg, "hours since each capture began"));
        assert_non_null(strstr(svg, strcmp(k->name, "lsass") == 0 ? "before: no leak in 48 h" : "before: 5.0"));
        assert_non_null(strstr(svg, "after: "));
        assert_non_null(strstr(svg, "/h over 48 h"));
        free(svg);
        png = written(pl_chart_compare, p.c, i, PL_CHART_PNG, &len);
        assert_true(len > 1000 && memcmp(png, "\x89PNG", 4) == 0);
        if (keep) {
            char path[512];
            FILE *f;
            pl_chart_compare_file_name(p.c, i, "png", name, sizeof name);
            snprintf(path, sizeof path, "%s/%s", keep, name);
            assert_non_null(f = fopen(path, "wb"));
            fwrite(png, 1, len, f);
            fclose(f);
        }
        free(png);
    }
    png = written(card, p.c, 0, PL_CHART_PNG, &len);
    assert_true(len > 1000 && memcmp(png, "\x89PNG", 4) == 0);
    free(png);
    assert_int_equal(pl_chart_compare(p.c, 2, PL_CHART_PNG, stdout, &err), PL_EUSAGE);
    m = open_memstream(&html, &len);
    assert_non_null(m);
    assert_int_equal(pl_compare_write(p.c, PL_REPORT_HTML, m, &err), PL_OK);
    assert_int_equal(fclose(m), 0);
    assert_int_equal(count_of(html, "<figure class=\"chart\">"), 2);
    assert_int_equal(count_of(html, "<svg"), 2);
    assert_int_equal(count_of(html, "<tr class=\"v-"), 2);
    assert_non_null(strstr(html, "<tr class=\"v-new\">"));
    assert_non_null(strstr(html, "<tr class=\"v-slower\">"));
    assert_null(strstr(html, "<script"));
    free(html);
    /* -o DIR: the set, then a run with one comparison drops the other's chart */
    assert_non_null(mkdtemp(dir));
    assert_int_equal(pl_compare_write_dir(p.c, dir, &err), PL_OK);
    assert_true(exists(dir, "report.json") && exists(dir, "report.md") && exists(dir, "report.html") &&
                exists(dir, "summary.png"));
    pl_chart_compare_file_name(p.c, 1, "png", name, sizeof name);
    assert_true(exists(dir, name));
    assert_true(strncmp(name, "compare-02-", 11) == 0);
    b = before_of(5, 0, 0);
    a = after_of(0, 0, 0);
    compare(&q, &b, &a);
    assert_int_equal(pl_compare_count(q.c), 1);
    assert_int_equal(pl_compare_write_dir(q.c, dir, &err), PL_OK);
    assert_false(exists(dir, name));
    pl_chart_compare_file_name(q.c, 0, "png", name, sizeof name);
    assert_true(exists(dir, name));
    {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        assert_int_equal(system(cmd), 0);
    }
    pair_free(&q);
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
        cmocka_unit_test(test_other_counter),
        cmocka_unit_test(test_app_pools),
        cmocka_unit_test(test_nothing_judged),
        cmocka_unit_test(test_charts_and_page),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
