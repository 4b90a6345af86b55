/* test_diagnose.c - findings per culprit on the whole-server corpus
 * (tests/servers.c): every scenario's culprits found with the right kind,
 * nothing on the healthy servers, and the cases per-counter verdicts get
 * wrong: a renumbered namesake is one process, a recycled pool a leak. */
#include "testutil.h"
#include "judged.h"
#include "servers.h"
#include "perfleak/diagnose.h"
#include "perfleak/report.h"
#include <jansson.h>

static tu_judged analysed(const srv_log *l)
{
    pl_analysis *a;
    tu_judged j;
    pl_error err;
    assert_int_equal(pl_analysis_create(&a, NULL, &err), PL_OK);
    if (pl_analysis_read_buffer(a, "srv.csv", l->text, l->len, 0, &err) != PL_OK)
        fail_msg("%s: %s", l->scenario, err.msg);
    assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
    assert_int_equal(tu_judge(&j, a, &err), PL_OK);
    return j;
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
                        tu_judged j;
            size_t t, f, n;
            assert_int_equal(srv_make(s, seed, &l), 0);
            j = analysed(&l);
            srv_score(&l, j.d, &t, &f, &n);
            if (f || n) {
                print_message("%s (seed %zu): %zu right, %zu false, %zu missed\n", l.scenario, seed, t, f, n);
                print_findings(&l, j.d);
            }
            tp += t;
            fp += f;
            fn += n;
            tu_judged_free(&j);
            srv_free(&l);
        }
    }
    print_message("findings: %zu right, %zu false, %zu missed\n", tp, fp, fn);
    assert_true(tp >= 0.98 * (double)(tp + fp));
    assert_true(tp >= 0.95 * (double)(tp + fn));
}

/* The scenario of that name, made with seed 1, analysed and diagnosed. */
static tu_judged scenario(const char *name, srv_log *l)
{
    size_t s;
    for (s = 0; s < srv_scenario_count(); s++) {
        assert_int_equal(srv_make(s, 1, l), 0);
        if (strcmp(l->scenario, name) == 0)
            return analysed(l);
        srv_free(l);
    }
    fail_msg("no scenario %s", name);
    return analysed(l);
}

static int has_counter(const pl_culprit_finding *f, const char *path)
{
    size_t i;
    for (i = 0; i < f->ncounters; i++)
        if (strcmp(f->counters[i], path) == 0)
            return 1;
    return 0;
}

/* The survivor of two w3wp moves from w3wp#1 to w3wp when the older one
 * exits: one process, followed through both columns, for the whole log. */
static void test_renumbered(void **state)
{
    srv_log l;
    tu_judged j = scenario("renumbered leaking namesake", &l);
        const pl_diagnosis *d = j.d;
    const pl_culprit_finding *f;
    size_t by_pid, n = pl_diagnosis_processes(d, &by_pid);
    (void)state;
    assert_int_equal(pl_diagnosis_count(d), 1);
    f = pl_diagnosis_finding(d, 0);
    assert_int_equal(f->type, PL_CULPRIT_PROCESS);
    assert_string_equal(f->name, "w3wp");
    assert_int_equal(f->pid, 6212);
    assert_int_equal(f->kinds & PL_GROWS_MEMORY, PL_GROWS_MEMORY);
    assert_int_equal(f->restarts, 0);
    assert_true(has_counter(f, "\\\\SRV\\Process(w3wp)\\Private Bytes"));
    assert_true(has_counter(f, "\\\\SRV\\Process(w3wp#1)\\Private Bytes"));
    assert_true((double)(f->end - f->start) / (double)PL_TICKS_PER_HOUR > 39);
    assert_true(n > 10 && by_pid == n);
    {
        /* the JSON contract other tools read */
        char *text = NULL;
        size_t len = 0;
        pl_error err;
        FILE *m = open_memstream(&text, &len);
        json_t *root, *jf, *c;
        assert_int_equal(pl_report_write(&j.r, PL_REPORT_JSON, m, &err), PL_OK);
        fclose(m);
        root = json_loads(text, 0, NULL);
        assert_non_null(root);
        assert_int_equal(json_array_size(json_object_get(root, "findings")), 1);
        jf = json_array_get(json_object_get(root, "findings"), 0);
        c = json_object_get(jf, "culprit");
        assert_string_equal(json_string_value(json_object_get(c, "type")), "process");
        assert_string_equal(json_string_value(json_object_get(c, "name")), "w3wp");
        assert_int_equal(json_integer_value(json_object_get(c, "pid")), 6212);
        assert_string_equal(json_string_value(json_array_get(json_object_get(jf, "kinds"), 0)), "memory");
        assert_true(json_array_size(json_object_get(jf, "counters")) >= 2);
        assert_true(json_is_array(json_object_get(jf, "explains")));
        assert_int_equal(json_integer_value(json_object_get(jf, "restarts")), 0);
        assert_non_null(json_string_value(json_object_get(json_object_get(jf, "observed"), "start")));
        assert_true(json_number_value(json_object_get(json_object_get(jf, "growth_per_hour"),
                                                      "Private Bytes")) > 4.5e6);
        assert_non_null(strstr(json_string_value(json_object_get(jf, "next_step")), "UMDH"));
        json_decref(root);
        free(text);
    }
    tu_judged_free(&j);
    srv_free(&l);
}

/* Recycled at its memory limit every six hours: no counter leaks on its
 * own, the service does, with its restarts and their period. */
static void test_recycled(void **state)
{
    srv_log l;
    tu_judged j = scenario("recycled leaking application pool", &l);
    pl_analysis *a = j.a;
    const pl_diagnosis *d = j.d;
    const pl_culprit_finding *f;
    size_t i;
    (void)state;
    for (i = 0; i < pl_analysis_counter_count(a); i++)
        assert_int_not_equal(pl_analysis_counter(a, i)->finding.verdict, PL_VERDICT_LEAK);
    assert_int_equal(pl_diagnosis_count(d), 1);
    f = pl_diagnosis_finding(d, 0);
    assert_string_equal(f->name, "w3wp");
    assert_int_equal(f->restarts, 6);
    assert_true(f->restart_every_h > 5.5 && f->restart_every_h < 6.5);
    assert_true(f->ceiling > 500 * 1048576.0 && f->ceiling < 620 * 1048576.0);
    {
        char next[640];
        pl_report_next_step(f, next, sizeof next);
        assert_non_null(strstr(next, "Recycling"));
    }
    tu_judged_free(&j);
    srv_free(&l);
}

/* Growth of the system's counters belongs to the process that accounts
 * for it: the paged pool to the handle leak that grows it, Committed
 * Bytes to the heap that grows it; a driver's pool to the kernel. */
static void test_attribution(void **state)
{
    srv_log l;
        tu_judged j;
    const pl_culprit_finding *f;
    (void)state;
    j = scenario("handle leak feeding the paged pool", &l);
    assert_int_equal(pl_diagnosis_count(j.d), 1);
    f = pl_diagnosis_finding(j.d, 0);
    assert_string_equal(f->name, "spoolsv");
    assert_int_equal(f->kinds, PL_GROWS_HANDLES | PL_GROWS_POOL_PAGED);
    assert_int_equal(f->nexplains, 1);
    assert_non_null(strstr(f->explains[0].counter, "Memory\\Pool Paged Bytes"));
    assert_true(f->explains[0].percent > 80);
    tu_judged_free(&j);
    srv_free(&l);
    j = scenario("commit growth explained by one process", &l);
    assert_int_equal(pl_diagnosis_count(j.d), 1);
    f = pl_diagnosis_finding(j.d, 0);
    assert_string_equal(f->name, "sqlservr");
    assert_int_equal(f->kinds, PL_GROWS_MEMORY | PL_GROWS_COMMIT);
    assert_true(f->explains[0].percent > 80);
    tu_judged_free(&j);
    srv_free(&l);
    j = scenario("driver pool leak", &l);
    /* its pool moves Committed Bytes too: no second, system finding */
    assert_int_equal(pl_diagnosis_count(j.d), 1);
    f = pl_diagnosis_finding(j.d, 0);
    assert_int_equal(f->type, PL_CULPRIT_KERNEL);
    assert_int_equal(f->pool, 1);
    {
        char next[640];
        pl_report_next_step(f, next, sizeof next);
        assert_non_null(strstr(next, "poolmon"));
    }
    tu_judged_free(&j);
    srv_free(&l);
}

/* Without ID Process the instance name stands for the process, and the
 * finding says so. */
static void test_without_pid(void **state)
{
    srv_log l;
    pl_analysis *a;
    tu_judged j;
    size_t i;
    (void)state;
    assert_int_equal(srv_make_without_pid(0, 1, 1, &l), 0); /* heap leak */
    assert_null(strstr(l.text, "ID Process"));
    a = (j = analysed(&l)).a;
    assert_int_equal(pl_diagnosis_count(j.d), 1);
    assert_string_equal(pl_diagnosis_finding(j.d, 0)->name, "OrderSvc");
    assert_true(pl_diagnosis_finding(j.d, 0)->by_name);
    assert_int_equal(pl_diagnosis_finding(j.d, 0)->pid, -1);
    for (i = 0; i < pl_analysis_counter_count(a); i++)
        assert_null(pl_analysis_process_id(a, pl_analysis_counter(a, i)));
    tu_judged_free(&j);
    srv_free(&l);
}

/* An ID Process that is no process ID (2^63, 2^64 - 1, a fraction, a
 * negative) is one not logged: the leak is named by its instance, one
 * life, and no value is converted out of range (make asan checks
 * float-cast-overflow). */
static void test_pid_out_of_range(void **state)
{
    static const char *const bad[][2] = {
        {"9223372036854775808", "18446744073709551615"}, {"4294967296", "4294967296"},
        {"12.5", "40.25"}, {"-4", "-8"}};
    size_t k;
    (void)state;
    for (k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char *text = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&text, &len);
        srv_log l;
        pl_analysis *a;
        tu_judged j;
        const pl_culprit_finding *f;
        int i;
        assert_non_null(m);
        fputs("\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\H\\Process(svc)\\Private Bytes\",\"\\\\H\\Process(svc)\\ID Process\"\r\n", m);
        for (i = 0; i < 180; i++)
            fprintf(m, "\"01/01/2026 %02d:%02d:00.000\",\"%d\",\"%s\"\r\n", i / 60, i % 60, 10000000 + i * 100000,
                    bad[k][i < 90 ? 0 : 1]);
        assert_int_equal(fclose(m), 0);
        memset(&l, 0, sizeof l);
        l.text = text;
        l.len = len;
        l.scenario = "pid out of range";
        a = (j = analysed(&l)).a;
        assert_int_equal(pl_diagnosis_count(j.d), 1);
        f = pl_diagnosis_finding(j.d, 0);
        assert_string_equal(f->name, "svc");
        assert_true(f->by_name);
        assert_int_equal(f->pid, -1);
        assert_int_equal(f->restarts, 0);
        /* one life: judged from the first sample, not from the change */
        assert_int_equal(pl_analysis_counter(a, 0)->finding.regime_start, pl_analysis_counter(a, 0)->finding.onset);
        assert_true(pl_analysis_counter(a, 0)->finding.lives <= 1);
        tu_judged_free(&j);
        free(text);
    }
}

/* Process V2 names carry the ID ("w3wp:6212"): no ID Process needed, and
 * nothing is renumbered. */
static void test_process_v2(void **state)
{
    srv_log l;
        tu_judged j;
    const pl_culprit_finding *f;
    (void)state;
    assert_int_equal(srv_make_as(7, 1, SRV_V2, &l), 0); /* the renumbered namesake */
    assert_non_null(strstr(l.text, "Process V2(w3wp:6212)\\Private Bytes"));
    assert_null(strstr(l.text, "ID Process"));
    j = analysed(&l);
    assert_int_equal(pl_diagnosis_count(j.d), 1);
    f = pl_diagnosis_finding(j.d, 0);
    assert_string_equal(f->name, "w3wp");
    assert_int_equal(f->pid, 6212);
    assert_false(f->by_name);
    assert_int_equal(f->kinds & PL_GROWS_MEMORY, PL_GROWS_MEMORY);
    tu_judged_free(&j);
    srv_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_renumbered),
        cmocka_unit_test(test_recycled),
        cmocka_unit_test(test_attribution),
        cmocka_unit_test(test_without_pid),
        cmocka_unit_test(test_process_v2),
        cmocka_unit_test(test_pid_out_of_range),
    };
    tu_filter();
    return cmocka_run_group_tests_name("diagnose", tests, NULL, NULL);
}
