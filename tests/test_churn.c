/* test_churn.c - PID churn: processes that get a new ID Process every
 * sample (conhost, cmd, a crash loop) are common on real servers. Each
 * life too short to judge is counted, not stored and judged as a series
 * of its own, and namesakes are linked to their nearest lives only, so
 * memory grows with the log, not with the lives: 60 instances churning
 * over 240 rows (a 550 KB log) stay under CHURN_RSS_MB (256; make asan
 * allows more for its shadow memory), where they took 1.1 GB. */
#include <sys/resource.h>
#include "testutil.h"
#include "perfleak/diagnose.h"

static char *churn_log(int n, int rows, size_t *len)
{
    static const char *const ctr[] = {"Private Bytes", "Working Set", "Handle Count", "Thread Count", "ID Process"};
    char *text = NULL;
    FILE *m = open_memstream(&text, len);
    unsigned long pid = 1000, x = 12345;
    int i, r, c;
    assert_non_null(m);
    fputs("\"(PDH-CSV 4.0) (UTC)(0)\"", m);
    for (i = 0; i < n; i++)
        for (c = 0; c < 5; c++)
            fprintf(m, i ? ",\"\\\\SRV\\Process(conhost#%d)\\%s\"" : ",\"\\\\SRV\\Process(conhost%.0d)\\%s\"", i, ctr[c]);
    fputs("\r\n", m);
    for (r = 0; r < rows; r++) {
        fprintf(m, "\"01/%02d/2026 %02d:%02d:00.000\"", 1 + r / 1440, r / 60 % 24, r % 60);
        for (i = 0; i < n; i++) {
            x = x * 1103515245UL + 12345UL;
            pid += 4;
            fprintf(m, ",\"%lu\",\"%lu\",\"%lu\",\"%lu\",\"%lu\"", 5000000 + x % 1000000,
                    8000000 + x % 999983, 50 + x % 20, 3 + x % 3, pid);
        }
        fputs("\r\n", m);
    }
    assert_int_equal(fclose(m), 0);
    return text;
}

static void test_churn_bounded(void **state)
{
    const char *e = getenv("CHURN_RSS_MB");
    long limit_mb = e && atol(e) > 0 ? atol(e) : 256;
    size_t len;
    char *log = churn_log(60, 240, &len);
    pl_analysis *a;
    pl_diagnosis *d;
    pl_error err;
    struct rusage ru;
    (void)state;
    assert_int_equal(pl_analysis_create(&a, NULL, &err), PL_OK);
    assert_int_equal(pl_analysis_read_buffer(a, "churn.csv", log, len, 0, &err), PL_OK);
    free(log);
    assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
    assert_int_equal(pl_diagnose(a, &d, &err), PL_OK);
    /* every process followed, none of them a leak */
    assert_true(pl_diagnosis_processes(d, NULL) >= 60 * 240);
    assert_int_equal(pl_diagnosis_count(d), 0);
    assert_int_equal(pl_analysis_finding_count(a), 0);
    pl_diagnosis_free(d);
    pl_analysis_free(a);
    assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
    print_message("churn: 60 instances, 240 rows: peak RSS %ld MB (at most %ld)\n", ru.ru_maxrss / 1024, limit_mb);
    assert_true(ru.ru_maxrss / 1024 <= limit_mb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_churn_bounded),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
