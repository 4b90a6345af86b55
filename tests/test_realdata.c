/* test_realdata.c - every real PDH-CSV/TSV export in ../shared/data reads
 * with every counter and the values Windows wrote; the plain CSV is refused.
 * The logs are read where they are, never copied into the repository. */
#include <math.h>
#include "perfleak/diagnose.h"
#include "testutil.h"
#include "perfleak/analysis.h"

static pl_analysis *load(const char *rel, int expect_rc, pl_error *err)
{
    const char *all[] = {"*"};
    pl_analysis_opts o;
    pl_analysis *a;
    char path[1024];
    pl_analysis_opts_init(&o);
    o.include = all;
    o.n_include = 1;
    snprintf(path, sizeof path, "%s/%s", tu_shared_dir(), rel);
    assert_int_equal(pl_analysis_create(&a, &o, err), PL_OK);
    assert_int_equal(pl_analysis_read_file(a, path, err), expect_rc);
    return a;
}

static int have_data(void)
{
    char path[1024];
    FILE *f;
    snprintf(path, sizeof path, "%s/csv/memedata-DataCollector01.csv", tu_shared_dir());
    if (!(f = fopen(path, "rb")))
        return 0;
    fclose(f);
    return 1;
}

#define NEED_DATA() do { if (!have_data()) { print_message("no %s: skipped\n", tu_shared_dir()); skip(); } } while (0)

static const pl_series_stats *st(const pl_analysis *a, size_t i)
{
    return pl_series_get_stats(pl_store_series(pl_analysis_store(a), pl_analysis_counter(a, i)->series));
}

static void test_memedata(void **state)
{
    pl_error err;
    pl_analysis *a;
    const pl_log_info *l;
    (void)state;
    NEED_DATA();
    a = load("csv/memedata-DataCollector01.csv", PL_OK, &err);
    assert_int_equal(pl_analysis_counter_count(a), 8);
    l = pl_analysis_log(a, 0);
    assert_int_equal(l->rows, 208);
    assert_int_equal(l->tz.bias, 240);
    assert_true(l->interval_s > 1.9 && l->interval_s < 2.1);
    assert_string_equal(pl_analysis_counter(a, 0)->path, "\\\\7702-48817743\\Process(_Total)\\Virtual Bytes");
    assert_true(st(a, 0)->first_value == 238132991823872.0);
    assert_true(st(a, 0)->last_value == 238133020971008.0);
    assert_int_equal(pl_analysis_counter(a, 3)->parts.index, 2);
    assert_true(st(a, 7)->last_value == 57081856.0);
    assert_int_equal(st(a, 7)->samples, 208);
    pl_analysis_free(a);
    a = load("csv/memedata-DataCollector02.csv", PL_OK, &err);
    assert_int_equal(pl_analysis_log(a, 0)->rows, 30);
    assert_true(st(a, 0)->last_value == 238133067579392.0);
    pl_analysis_free(a);
}

static void test_plain_csv_refused(void **state)
{
    pl_error err;
    pl_analysis *a;
    (void)state;
    NEED_DATA();
    a = load("csv/memedata-process1.csv", PL_EFORMAT, &err);
    assert_non_null(strstr(err.msg, "memedata-process1.csv:1: not a Performance Monitor log"));
    pl_analysis_free(a);
}

static void test_russian(void **state)
{
    pl_error err;
    pl_analysis *a;
    size_t i, ws = 0;
    (void)state;
    NEED_DATA();
    a = load("csv/pdhconv-DataCollector01-ru.csv", PL_OK, &err);
    assert_int_equal(pl_analysis_counter_count(a), 1104);
    assert_string_equal(pl_analysis_log(a, 0)->encoding, "WINDOWS-1251");
    assert_int_equal(pl_analysis_display_offset(a), 180);
    assert_int_equal(pl_analysis_log(a, 0)->rows, 26);
    assert_string_equal(pl_analysis_counter(a, 0)->path,
                        "\\\\DESKTOP-LRPVSK4\\Процесс(Idle)\\% загруженности процессора");
    for (i = 0; i < pl_analysis_counter_count(a); i++)
        ws += strcmp(pl_analysis_counter(a, i)->parts.counter, "Working Set") == 0 &&
              strcmp(pl_analysis_counter(a, i)->parts.counter_local, "Рабочий набор") == 0;
    assert_int_equal(ws, 276);
    assert_int_equal(st(a, 0)->samples, 25);
    assert_int_equal(st(a, 0)->missing, 1);
    assert_true(st(a, 0)->last_value == strtod("1014.5620085081169464", NULL));
    assert_true(st(a, 1103)->last_value == 12403163136.0);
    pl_analysis_free(a);
    /* The same data with machine names stripped. */
    a = load("csv/pdhconv-data.csv", PL_OK, &err);
    assert_int_equal(pl_analysis_counter_count(a), 1104);
    assert_null(pl_analysis_counter(a, 0)->parts.machine);
    assert_string_equal(pl_analysis_counter(a, 0)->parts.object, "Process");
    assert_string_equal(pl_analysis_counter(a, 0)->parts.object_local, "Процесс");
    assert_int_equal(pl_analysis_log(a, 0)->n_machines, 0);
    pl_analysis_free(a);
}

static void test_sample_collector(void **state)
{
    pl_error err;
    pl_analysis *a;
    (void)state;
    NEED_DATA();
    a = load("csv/sample-DataCollector01.csv", PL_OK, &err);
    assert_int_equal(pl_analysis_counter_count(a), 12);
    assert_int_equal(pl_analysis_log(a, 0)->rows, 21);
    assert_int_equal(pl_analysis_display_offset(a), 330);
    /* Averaged counters are blank (" ") in the first row. */
    assert_int_equal(st(a, 1)->samples, 20);
    assert_int_equal(st(a, 1)->missing, 1);
    assert_true(fabs(st(a, 1)->max - 0.108) < 0.01);
    pl_analysis_free(a);
}

static void test_csv_equals_tsv(void **state)
{
    pl_error err;
    pl_analysis *c, *t;
    size_t i, j;
    (void)state;
    NEED_DATA();
    c = load("blg/ps-CounterSamples.csv", PL_OK, &err);
    t = load("blg/ps-CounterSamples.tsv", PL_OK, &err);
    assert_int_equal(pl_analysis_counter_count(c), 10);
    assert_int_equal(pl_analysis_counter_count(t), 10);
    assert_string_equal(pl_analysis_log(t, 0)->format, "PDH-TSV");
    for (i = 0; i < 10; i++) {
        const pl_series *a = pl_store_series(pl_analysis_store(c), pl_analysis_counter(c, i)->series);
        const pl_series *b = pl_store_series(pl_analysis_store(t), pl_analysis_counter(t, i)->series);
        assert_string_equal(pl_analysis_counter(c, i)->path, pl_analysis_counter(t, i)->path);
        assert_int_equal(pl_series_bucket_count(a), pl_series_bucket_count(b));
        for (j = 0; j < pl_series_bucket_count(a); j++) {
            assert_int_equal(pl_series_buckets(a)[j].t0, pl_series_buckets(b)[j].t0);
            assert_true(pl_series_buckets(a)[j].sum == pl_series_buckets(b)[j].sum &&
                        pl_series_buckets(a)[j].min == pl_series_buckets(b)[j].min);
        }
    }
    assert_int_equal(st(c, 1)->samples, 24);
    assert_true(st(c, 1)->last_value == strtod("3244.0556042090839", NULL));
    pl_analysis_free(c);
    pl_analysis_free(t);
}

static void test_csv_named_blg(void **state)
{
    pl_error err;
    pl_analysis *a;
    size_t i, second = 0;
    (void)state;
    NEED_DATA();
    /* Text without the "(PDH-CSV 4.0)" marker, a duplicated column, and a
     * .blg name: read as the CSV it is. */
    a = load("blg/ps-CorruptBlg.blg", PL_OK, &err);
    assert_int_equal(pl_analysis_counter_count(a), 9);
    assert_int_equal(pl_analysis_log(a, 0)->rows, 500);
    assert_int_equal(pl_analysis_log(a, 0)->tz.bias, 420);
    for (i = 0; i < 9; i++)
        second += pl_analysis_counter(a, i)->occurrence == 2;
    assert_int_equal(second, 1);
    pl_analysis_free(a);
}

/* The .blg and Windows' CSV export of the same log give the same
 * analysis: counters, sample counts, first and last values. */
static void test_blg_equals_its_csv(void **state)
{
    pl_error err;
    pl_analysis *b, *c;
    size_t i, j;
    (void)state;
    NEED_DATA();
    b = load("blg/ps-CounterSamples.blg", PL_OK, &err);
    c = load("blg/ps-CounterSamples.csv", PL_OK, &err);
    assert_int_equal(pl_analysis_counter_count(b), 10);
    assert_int_equal(pl_analysis_counter_count(b), pl_analysis_counter_count(c));
    assert_string_equal(pl_analysis_log(b, 0)->format, "BLG");
    assert_int_equal(pl_analysis_log(b, 0)->tz.bias, 480);
    assert_true(pl_analysis_log(b, 0)->start == pl_analysis_log(c, 0)->start);
    for (i = 0; i < pl_analysis_counter_count(b); i++) {
        const pl_counter *x = pl_analysis_counter(b, i);
        for (j = 0; j < pl_analysis_counter_count(c); j++)
            if (strcmp(pl_analysis_counter(c, j)->path, x->path) == 0)
                break;
        assert_true(j < pl_analysis_counter_count(c));
        assert_int_equal(st(b, i)->samples, st(c, j)->samples);
        assert_true(fabs(st(b, i)->last_value - st(c, j)->last_value) <= 1e-9 * fabs(st(c, j)->last_value));
        assert_true(fabs(st(b, i)->max - st(c, j)->max) <= 1e-9 * fabs(st(c, j)->max));
    }
    pl_analysis_free(b);
    pl_analysis_free(c);
}

/* Every real export is read whole, every counter column of its header
 * (a description cell is none), and none gets a "leak": with the default
 * set or with every counter, for none of them shows one. */
static void test_real_exports_judged_sensibly(void **state)
{
    static const struct { const char *file; size_t columns, rows; } logs[] = {
        {"real/AdysTech-Influxer-Perfmon.csv", 3091, 48}, /* one row dated 25:33 */
        {"real/rajitharul-time-series-sensors-timetable-perfmon.csv", 4, 11520},
        {"real/reecho-tsai-ysu-datavis-2022-memory-DESKTOP-5GTCQEM_20221009-000434-DataCollector01.csv", 449, 121},
        {"real/ruflas-CESPL-DataCollector01.tsv", 14, 323},
        {"real/ruflas-CESPL-Practica2Pruebas-DataCollector01.tsv", 14, 965},
        {"real/ruflas-CESPL-Sesion3-DataCollector01.tsv", 14, 4031},
        {"real/wfjsg-WinPerfCounter.r-huge_value.csv", 107, 61},
        {"real/wfjsg-WinPerfCounter.r-test.csv", 107, 61},
        {"csv/memedata-DataCollector01.csv", 8, 208},
        {"csv/memedata-DataCollector02.csv", 8, 30},
        {"csv/pdhconv-DataCollector01-ru.csv", 1104, 26},
        {"csv/pdhconv-data.csv", 1104, 26},
        {"csv/sample-DataCollector01.csv", 12, 21},
    };
    size_t i, j;
    int all;
    (void)state;
    NEED_DATA();
    for (i = 0; i < sizeof logs / sizeof logs[0]; i++) {
        for (all = 0; all <= 1; all++) {
            const char *every[] = {"*"};
            pl_analysis_opts o;
            pl_analysis *a;
            pl_error err;
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", tu_shared_dir(), logs[i].file);
            pl_analysis_opts_init(&o);
            o.include = all ? every : NULL;
            o.n_include = all ? 1 : 0;
            assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
            if (pl_analysis_read_file(a, path, &err) != PL_OK)
                fail_msg("%s: %s", logs[i].file, err.msg);
            assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
            assert_int_equal(pl_analysis_log(a, 0)->columns, logs[i].columns);
            assert_int_equal(pl_analysis_log(a, 0)->rows, logs[i].rows);
            if (all)
                assert_int_equal(pl_analysis_counter_count(a), logs[i].columns);
            for (j = 0; j < pl_analysis_counter_count(a); j++) {
                const pl_counter *c = pl_analysis_counter(a, j);
                if (pl_verdict_is_finding(c->finding.verdict))
                    fail_msg("%s: %s: %s: %s", logs[i].file, c->path,
                             pl_verdict_name(c->finding.verdict), c->finding.reason);
            }
            /* nor a culprit: none of these logs has one */
            {
                pl_diagnosis *d;
                assert_int_equal(pl_diagnose(a, &d, &err), PL_OK);
                if (pl_diagnosis_count(d))
                    fail_msg("%s: culprit %s", logs[i].file, pl_diagnosis_finding(d, 0)->summary);
                pl_diagnosis_free(d);
            }
            pl_analysis_free(a);
        }
    }
}

/* One Spanish machine over three weeks in three logs: merged, they get
 * verdicts from their samples, not "only 4 time points" from buckets
 * spanning the empty weeks. */
static void test_sessions_weeks_apart(void **state)
{
    static const char *const files[] = {"real/ruflas-CESPL-DataCollector01.tsv",
                                        "real/ruflas-CESPL-Practica2Pruebas-DataCollector01.tsv",
                                        "real/ruflas-CESPL-Sesion3-DataCollector01.tsv"};
    const char *every[] = {"*"};
    pl_analysis_opts o;
    pl_analysis *a;
    pl_error err;
    size_t i, ok = 0;
    (void)state;
    NEED_DATA();
    pl_analysis_opts_init(&o);
    o.include = every;
    o.n_include = 1;
    assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
    for (i = 0; i < 3; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", tu_shared_dir(), files[i]);
        assert_int_equal(pl_analysis_read_file(a, path, &err), PL_OK);
    }
    assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
    assert_int_equal(pl_analysis_counter_count(a), 14);
    for (i = 0; i < 14; i++) {
        const pl_counter *c = pl_analysis_counter(a, i);
        const pl_finding *f = &c->finding;
        const pl_series_stats *sst;
        if (strstr(f->reason, "time points") || pl_verdict_is_finding(f->verdict) ||
            f->verdict == PL_VERDICT_INSUFFICIENT)
            fail_msg("%s: %s: %s", c->path, pl_verdict_name(f->verdict), f->reason);
        /* every counter is described from its 5 319 samples */
        sst = pl_series_get_stats(pl_store_series(pl_analysis_store(a), c->series));
        assert_int_equal(sst->samples + sst->missing, 5319);
        ok += f->verdict == PL_VERDICT_OK;
    }
    /* Memoria\Bytes disponibles, the one counter that can run out, is ok */
    assert_int_equal(ok, 1);
    assert_int_equal(pl_analysis_judged_count(a), 1);
    pl_analysis_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memedata),
        cmocka_unit_test(test_plain_csv_refused),
        cmocka_unit_test(test_russian),
        cmocka_unit_test(test_sample_collector),
        cmocka_unit_test(test_csv_equals_tsv),
        cmocka_unit_test(test_csv_named_blg),
        cmocka_unit_test(test_blg_equals_its_csv),
        cmocka_unit_test(test_real_exports_judged_sensibly),
        cmocka_unit_test(test_sessions_weeks_apart),
    };
    tu_filter();
    return cmocka_run_group_tests_name("realdata", tests, NULL, NULL);
}
