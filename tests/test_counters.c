/* test_counters.c - what a counter means: its kind and unit from English
 * names, from translated ones, and from the cues every language shares;
 * and the small parsers and wordings the options and reports use. */
#include "testutil.h"
#include "perfleak/counters.h"
#include "perfleak/units.h"
#include "perfleak/timestamp.h"

typedef struct kind_case {
    const char *path;
    pl_kind kind;
    const char *unit;
} kind_case;

static void check(const kind_case *k)
{
    pl_path p;
    pl_error err;
    assert_int_equal(pl_path_parse(k->path, &p, &err), PL_OK);
    if (pl_counter_kind(&p) != k->kind || strcmp(pl_unit_name(pl_counter_unit(&p)), k->unit) != 0)
        fail_msg("%s: kind %s unit \"%s\", expected %s \"%s\"", k->path,
                 pl_kind_name(pl_counter_kind(&p)), pl_unit_name(pl_counter_unit(&p)),
                 pl_kind_name(k->kind), k->unit);
    pl_path_clear(&p);
}

static void test_english(void **state)
{
    static const kind_case cases[] = {
        {"\\\\H\\Process(w3wp)\\Private Bytes", PL_KIND_HELD, "bytes"},
        {"\\\\H\\Process V2(w3wp:6212)\\Private Bytes", PL_KIND_HELD, "bytes"},
        {"\\\\H\\Process V2(w3wp:6212)\\Handle Count", PL_KIND_HELD, "handles"},
        {"\\\\H\\Process(w3wp)\\Working Set - Private", PL_KIND_HELD, "bytes"},
        {"\\\\H\\Process(w3wp)\\Handle Count", PL_KIND_HELD, "handles"},
        {"\\\\H\\Process(w3wp)\\Thread Count", PL_KIND_HELD, "threads"},
        {"\\\\H\\Process(w3wp)\\Page File Bytes", PL_KIND_HELD, "bytes"},
        {"\\\\H\\Process(w3wp)\\Pool Nonpaged Bytes", PL_KIND_HELD, "bytes"},
        {"\\\\H\\Memory\\Pool Paged Bytes", PL_KIND_HELD, "bytes"},
        {"\\\\H\\Memory\\Committed Bytes", PL_KIND_HELD, "bytes"},
        {"\\\\H\\System\\Threads", PL_KIND_HELD, "threads"},
        {"\\\\H\\Memory\\Available Bytes", PL_KIND_FREE, "bytes"},
        {"\\\\H\\Memory\\Available KBytes", PL_KIND_FREE, "KB"},
        {"\\\\H\\Memory\\Available MBytes", PL_KIND_FREE, "MB"},
        {"\\\\H\\Memory\\Free System Page Table Entries", PL_KIND_FREE, "entries"},
        {"\\\\H\\LogicalDisk(C:)\\Free Megabytes", PL_KIND_FREE, "MB"},
        {"\\\\H\\Memory\\Free & Zero Page List Bytes", PL_KIND_OTHER, "bytes"},
        {"\\\\H\\Memory\\Cache Bytes", PL_KIND_CACHE, "bytes"},
        {"\\\\H\\Memory\\Standby Cache Normal Priority Bytes", PL_KIND_CACHE, "bytes"},
        {"\\\\H\\Memory\\Cache Faults/sec", PL_KIND_RATE, "/s"},
        {"\\\\H\\Process(a)\\Virtual Bytes Peak", PL_KIND_PEAK, "bytes"},
        {"\\\\H\\Process(a)\\Working Set Peak", PL_KIND_PEAK, "bytes"},
        {"\\\\H\\Process(a)\\IO Data Bytes/sec", PL_KIND_RATE, "/s"},
        {"\\\\H\\Process(a)\\Page Faults/sec", PL_KIND_RATE, "/s"},
        {"\\\\H\\Process(a)\\% Processor Time", PL_KIND_PERCENT, "%"},
        {"\\\\H\\PhysicalDisk(_Total)\\% Idle Time", PL_KIND_PERCENT, "%"},
        {"\\\\H\\PhysicalDisk(_Total)\\Avg. Disk Bytes/Transfer", PL_KIND_AVERAGE, "bytes"},
        {"\\\\H\\PhysicalDisk(_Total)\\Avg. Disk sec/Read", PL_KIND_AVERAGE, ""},
        {"\\\\H\\Process(a)\\Elapsed Time", PL_KIND_CLOCK, "s"},
        {"\\\\H\\System\\System Up Time", PL_KIND_CLOCK, "s"},
        {"\\\\H\\Process(a)\\ID Process", PL_KIND_IDENTITY, ""},
        {"\\\\H\\Memory\\Commit Limit", PL_KIND_LIMIT, "bytes"},
        {"\\\\H\\LogicalDisk(C:)\\Current Disk Queue Length", PL_KIND_OTHER, ""},
        /* "I/O" is not a ratio: an unknown level stays other */
        {"\\\\H\\Custom(x)\\I/O Things", PL_KIND_OTHER, ""},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check(&cases[i]);
}

static void test_translated(void **state)
{
    static const kind_case cases[] = {
        /* names in the translation table: by their English meaning */
        {"\\\\H\\Процесс(svc)\\Рабочий набор", PL_KIND_HELD, "bytes"},
        {"\\\\H\\Memoria\\Bytes disponibles", PL_KIND_FREE, "bytes"},
        {"\\\\H\\Memoria\\Bytes de caché", PL_KIND_CACHE, "bytes"},
        /* names it lacks: by the cues the real Spanish and Russian logs show */
        {"\\\\H\\Interfaz de red(x)\\Total de bytes/s", PL_KIND_RATE, "/s"},
        {"\\\\H\\Memoria\\Páginas/s", PL_KIND_RATE, "/s"},
        {"\\\\H\\Процесс(svc)\\I/O - чтение байт в сек", PL_KIND_RATE, "/s"},
        {"\\\\H\\Процесс(svc)\\% загруженности процессора", PL_KIND_PERCENT, "%"},
        {"\\\\H\\Disco físico(_Total)\\% de tiempo inactivo", PL_KIND_PERCENT, "%"},
        {"\\\\H\\Disco físico(_Total)\\Promedio de bytes de disco/transferencia", PL_KIND_AVERAGE, "bytes"},
        {"\\\\H\\Disco físico(_Total)\\Longitud promedio de cola de lectura de disco", PL_KIND_AVERAGE, ""},
        {"\\\\H\\Interfaz de red(x)\\Ancho de banda actual", PL_KIND_OTHER, ""},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check(&cases[i]);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(pl_kind_name(PL_KIND_HELD), "held");
    assert_string_equal(pl_kind_name(PL_KIND_FREE), "free");
    assert_string_equal(pl_kind_name(PL_KIND_RATE), "rate");
    assert_string_equal(pl_kind_name(PL_KIND_LIMIT), "limit");
    assert_string_equal(pl_kind_name((pl_kind)99), "other");
    assert_string_equal(pl_kind_why_not(PL_KIND_HELD), "");
    assert_string_equal(pl_kind_why_not(PL_KIND_RATE), "a rate, not something held");
    assert_non_null(strstr(pl_kind_why_not(PL_KIND_CLOCK), "clock"));
}

/* Sizes as people write them: bytes with B (1024-based, as Windows
 * shows them, or with iB), counts without (10k handles are 10 000). */
static void test_sizes(void **state)
{
    double v;
    (void)state;
    assert_int_equal(pl_parse_size("2GB", &v), 0);
    assert_true(v == 2.0 * 1073741824.0);
    assert_int_equal(pl_parse_size("2GiB", &v), 0);
    assert_true(v == 2.0 * 1073741824.0);
    assert_int_equal(pl_parse_size("512 MB", &v), 0);
    assert_true(v == 512.0 * 1048576.0);
    assert_int_equal(pl_parse_size("3 kb", &v), 0);
    assert_true(v == 3072);
    assert_int_equal(pl_parse_size("10k", &v), 0);
    assert_true(v == 10000);
    assert_int_equal(pl_parse_size("1.5M", &v), 0);
    assert_true(v == 1500000);
    assert_int_equal(pl_parse_size("700", &v), 0);
    assert_true(v == 700);
    assert_int_equal(pl_parse_size("2XB", &v), -1);
    assert_int_equal(pl_parse_size("-1", &v), -1);
    assert_int_equal(pl_parse_size("1e999", &v), -1);
    assert_int_equal(pl_parse_size("5GiBs", &v), -1);
}

static void test_units_and_words(void **state)
{
    char b[64];
    double s;
    int m;
    (void)state;
    pl_format_value(2048, PL_UNIT_KB, b, sizeof b);
    assert_string_equal(b, "2.00 MB"); /* KBytes are 1024 bytes */
    pl_format_value(90, PL_UNIT_SECONDS, b, sizeof b);
    assert_string_equal(b, "90.0 s");
    pl_format_span_hours(1, b, sizeof b);
    assert_string_equal(b, "1 h");
    pl_format_span_hours(0.5, b, sizeof b);
    assert_string_equal(b, "30 min");
    pl_sample_count_text(1, 0, b, sizeof b);
    assert_string_equal(b, "1 sample");
    pl_sample_count_text(0, 0, b, sizeof b);
    assert_string_equal(b, "0 samples");
    pl_sample_count_text(2160, 120, b, sizeof b);
    assert_string_equal(b, "2160 samples every 2 min");
    assert_int_equal(pl_parse_duration("1h", &s), 0);
    assert_true(s == 3600);
    assert_int_equal(pl_parse_duration("30min", &s), 0);
    assert_true(s == 1800);
    assert_int_equal(pl_parse_duration("1.5d", &s), 0);
    assert_true(s == 1.5 * 86400);
    assert_int_equal(pl_parse_duration("90", &s), 0);
    assert_true(s == 90);
    assert_int_equal(pl_parse_duration("0", &s), 0);
    assert_true(s == 0);
    assert_int_equal(pl_parse_duration("1 fortnight", &s), -1);
    assert_int_equal(pl_parse_duration("-1h", &s), -1);
    assert_int_equal(pl_parse_duration("h", &s), -1);
    assert_int_equal(pl_parse_utc_offset("+09:00", &m), 0);
    assert_int_equal(m, 540);
    assert_int_equal(pl_parse_utc_offset("-0800", &m), 0);
    assert_int_equal(m, -480);
    assert_int_equal(pl_parse_utc_offset("+5:30", &m), 0);
    assert_int_equal(m, 330);
    assert_int_equal(pl_parse_utc_offset("UTC+3", &m), 0);
    assert_int_equal(m, 180);
    assert_int_equal(pl_parse_utc_offset("0", &m), 0);
    assert_int_equal(m, 0);
    assert_int_equal(pl_parse_utc_offset("+15:00", &m), -1);
    assert_int_equal(pl_parse_utc_offset("+09:60", &m), -1);
    assert_int_equal(pl_parse_utc_offset("nine", &m), -1);
    assert_int_equal(pl_parse_utc_offset("+09:0", &m), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_english),
        cmocka_unit_test(test_translated),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_units_and_words),
    };
    tu_filter();
    return cmocka_run_group_tests_name("counters", tests, NULL, NULL);
}
