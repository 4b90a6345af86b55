/* test_fleet.c - the same answer however the work is spread: one thread
 * or two per log, every read size, and logs analysed side by side with one
 * JSON Lines record each, in the order given. */
#include "testutil.h"
#include "perfleak/analysis.h"
#include "perfleak/fleet.h"
#include "perfleak/report.h"

static char *report(const char *path, int threads, size_t read_size)
{
    static const char *const all[] = {"*"};
    pl_analysis_opts o;
    pl_analysis *a;
    pl_error err;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    pl_analysis_opts_init(&o);
    o.include = all;
    o.n_include = 1;
    o.threads = threads;
    o.read_size = read_size;
    assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
    assert_int_equal(pl_analysis_read_file(a, path, &err), PL_OK);
    assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
    assert_int_equal(pl_report_write(a, PL_REPORT_JSON, m, &err), PL_OK);
    fclose(m);
    pl_analysis_free(a);
    return buf;
}

static void test_threads_and_read_sizes(void **state)
{
    static const size_t sizes[] = {16, 17, 1000, 4096, 65536, 1 << 20};
    char *ref = report("samples/srv01-services-leak.csv", 1, 0);
    size_t i;
    int t;
    (void)state;
    assert_non_null(strstr(ref, "\"verdict\": \"leak\""));
    for (t = 1; t <= 2; t++)
        for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            char *r = report("samples/srv01-services-leak.csv", t, sizes[i]);
            if (strcmp(r, ref) != 0)
                fail_msg("%d thread(s), reads of %zu bytes: a different report", t, sizes[i]);
            free(r);
        }
    free(ref);
}

static char *fleet(int jobs, pl_fleet_summary *sum)
{
    static const char *const logs[] = {"samples/srv01-services-leak.csv", "tests/data/empty.csv",
                                       "samples/srv02-pool-paged.csv", "samples/srv03-healthy.csv",
                                       "/nonexistent.csv"};
    pl_analysis_opts o;
    pl_error err;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    pl_analysis_opts_init(&o);
    assert_int_equal(pl_fleet_run(logs, 5, &o, jobs, m, sum, &err), PL_OK);
    fclose(m);
    return buf;
}

static void test_jsonl_in_order(void **state)
{
    pl_fleet_summary s1, s3;
    char *one = fleet(1, &s1), *three = fleet(3, &s3), *p, *line[6];
    int n = 0;
    (void)state;
    assert_string_equal(one, three);
    assert_int_equal(s1.logs, 5);
    assert_int_equal(s1.leaky, 2);
    assert_int_equal(s1.failed, 2);
    assert_int_equal(s3.leaky, 2);
    /* One record per line, each a whole JSON object, in input order. */
    for (p = strtok(one, "\n"); p && n < 6; p = strtok(NULL, "\n"))
        line[n++] = p;
    assert_int_equal(n, 5);
    assert_non_null(strstr(line[0], "\"file\":\"samples/srv01-services-leak.csv\""));
    assert_non_null(strstr(line[0], "\"verdict\":\"leak\""));
    assert_non_null(strstr(line[1], "{\"file\":\"tests/data/empty.csv\",\"error\":\"tests/data/empty.csv: empty file"));
    assert_non_null(strstr(line[2], "srv02-pool-paged.csv"));
    assert_non_null(strstr(line[3], "srv03-healthy.csv"));
    assert_null(strstr(line[3], "\"verdict\":\"leak\""));
    assert_non_null(strstr(line[4], "\"error\":\"/nonexistent.csv: cannot open"));
    free(one);
    free(three);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_and_read_sizes),
        cmocka_unit_test(test_jsonl_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
