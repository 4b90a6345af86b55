/* test_diagnose.c - findings per culprit on the whole-server corpus
 * (tests/servers.c): every scenario's culprits found with the right kind,
 * nothing on the healthy servers, and the cases per-counter verdicts get
 * wrong: a renumbered namesake is one process, a recycled pool a leak. */
#include "testutil.h"
#include "servers.h"
#include "perfleak/diagnose.h"

static pl_analysis *analysed(const srv_log *l)
{
    pl_analysis *a;
    pl_error err;
    assert_int_equal(pl_analysis_create(&a, NULL, &err), PL_OK);
    if (pl_analysis_read_buffer(a, "srv.csv", l->text, l->len, 0, &err) != PL_OK)
        fail_msg("%s: %s", l->scenario, err.msg);
    assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
    assert_int_equal(pl_diagnose_attach(a, &err), PL_OK);
    return a;
}

static void print_findings(const srv_log *l, const pl_diagnosis *d)
{
    size_t i;
    for (i = 0; i < pl_diagnosis_count(d); i++)
        print_message("  %s: %s\n", l->scenario, pl_diagnosis_finding(d, i)->summary);
}

/* Every scenario with two seeds: precision and recall over findings. */
static void test_corpus(void **state)
{
    size_t s, seed, tp = 0, fp = 0, fn = 0;
    (void)state;
    for (s = 0; s < srv_scenario_count(); s++) {
        for (seed = 1; seed <= 2; seed++) {
            srv_log l;
            pl_analysis *a;
            size_t t, f, n;
            assert_int_equal(srv_make(s, seed, &l), 0);
            a = analysed(&l);
            srv_score(&l, pl_diagnosis_of(a), &t, &f, &n);
            if (f || n) {
                print_message("%s (seed %zu): %zu right, %zu false, %zu missed\n", l.scenario, seed, t, f, n);
                print_findings(&l, pl_diagnosis_of(a));
            }
            tp += t;
            fp += f;
            fn += n;
            pl_analysis_free(a);
            srv_free(&l);
        }
    }
    print_message("findings: %zu right, %zu false, %zu missed\n", tp, fp, fn);
    assert_true(tp >= 0.98 * (double)(tp + fp));
    assert_true(tp >= 0.95 * (double)(tp + fn));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests_name("diagnose", tests, NULL, NULL);
}
