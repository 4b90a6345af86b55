/* test_realdata.c - every real PDH-CSV/TSV export in ../shared/data reads
 * with every counter and the values Windows wrote; the plain CSV is refused.
 * The logs are read where they are, never copied into the repository. */
#include <math.h>
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
            assert_true(pl_series_buckets(a)[j].first == pl_series_buckets(b)[j].first);
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
    };
    return cmocka_run_group_tests_name("realdata", tests, NULL, NULL);
}
