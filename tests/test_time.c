/* test_time.c - PDH timestamps, the time-zone header cell, ISO output. */
#include "testutil.h"
#include "perfleak/timestamp.h"

static pl_time parse(const char *s)
{
    pl_time t;
    if (pl_time_parse_pdh(s, strlen(s), &t) != 0)
        fail_msg("refused \"%s\"", s);
    return t;
}

static void test_parse(void **state)
{
    (void)state;
    /* 2021-09-16 07:51:58.569 as wall-clock ticks since 1970. */
    assert_int_equal(parse("09/16/2021 07:51:58.569"), INT64_C(1631778718) * 10000000 + 5690000);
    assert_int_equal(parse("01/01/1970 00:00:00"), 0);
    assert_int_equal(parse("12/31/1969 23:59:59.9999999"), -1);
    assert_int_equal(parse("02/29/2024 12:00:00.5"), INT64_C(1709208000) * 10000000 + 5000000);
    assert_int_equal(parse("01/01/1601 00:00:00.000"), INT64_C(-11644473600) * 10000000);
}

/* A span names two different times: a log within one minute shows its
 * seconds (it read "16:48 to 16:48"), others minutes; in the offset given. */
static void test_span(void **state)
{
    pl_time a = pl_time_from_civil(2021, 9, 20, 16, 48, 10), b = a + 25 * PL_TICKS_PER_SEC;
    char buf[64];
    (void)state;
    pl_time_format_span(a, b, 0, buf, sizeof buf);
    assert_string_equal(buf, "2021-09-20 16:48:10 to 16:48:35");
    pl_time_format_span(a, a + 72 * 3600 * PL_TICKS_PER_SEC, -480, buf, sizeof buf);
    assert_string_equal(buf, "2021-09-20 08:48 to 2021-09-23 08:48");
    /* across midnight within a minute in that offset still has the date */
    a = pl_time_from_civil(2021, 9, 20, 23, 59, 50);
    pl_time_format_span(a, a + 20 * PL_TICKS_PER_SEC, 0, buf, sizeof buf);
    assert_string_equal(buf, "2021-09-20 23:59 to 2021-09-21 00:00");
}

static void test_parse_refuses(void **state)
{
    static const char *const bad[] = {
        "", "yesterday", "2021-09-16 07:51:58", "13/01/2021 00:00:00", "00/10/2021 00:00:00",
        "02/29/2023 00:00:00", "04/31/2021 00:00:00", "01/01/2021 24:00:00",
        "01/01/2021 00:60:00", "01/01/2021 00:00:60", "01/01/2021 00:00:00.",
        "01/01/2021 00:00:00.12345678", "01/01/2021 00:00:00x", "1/1/2021 00:00:00",
        "01/01/2021T00:00:00", "01/01/1600 00:00:00"};
    size_t i;
    pl_time t;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (pl_time_parse_pdh(bad[i], strlen(bad[i]), &t) == 0)
            fail_msg("accepted \"%s\"", bad[i]);
}

static void test_tz(void **state)
{
    pl_tz z;
    (void)state;
    assert_int_equal(pl_tz_parse("(PDH-CSV 4.0) (Pacific Standard Time)(480)", &z), 0);
    assert_string_equal(z.name, "Pacific Standard Time");
    assert_string_equal(z.format, "PDH-CSV");
    assert_int_equal(z.bias, 480);
    assert_int_equal(z.bias_known, 1);
    assert_int_equal(pl_tz_parse("(PDH-TSV 4.0) (India Standard Time)(-330)", &z), 0);
    assert_string_equal(z.format, "PDH-TSV");
    assert_int_equal(z.bias, -330);
    /* a bias beyond a day is damage: no offset, not times shifted by days */
    assert_int_equal(pl_tz_parse("(PDH-CSV 4.0) (X)(99999)", &z), 0);
    assert_int_equal(z.bias_known, 0);
    assert_int_equal(z.bias, 0);
    assert_int_equal(pl_tz_parse("(PDH-CSV 4.0) (Line Islands Standard Time)(-840)", &z), 0);
    assert_int_equal(z.bias_known, 1);
    assert_int_equal(z.bias, -840);
    assert_int_equal(pl_tz_parse("(Pacific Daylight Time)(420)", &z), 0);
    assert_string_equal(z.format, "");
    assert_string_equal(z.name, "Pacific Daylight Time");
    assert_int_equal(z.bias, 420);
    assert_int_equal(pl_tz_parse("(PDH-CSV 4.0) (RTZ 2 (", &z), 0);
    assert_string_equal(z.name, "RTZ 2");
    assert_int_equal(z.bias, -180);
    assert_int_equal(z.bias_known, 2);
    assert_int_equal(pl_tz_parse("(PDH-CSV 4.0) (RTZ 10 (", &z), 0);
    assert_int_equal(z.bias, -660);
    assert_int_equal(pl_tz_parse("(PDH-CSV 4.0) (Heure normale d", &z), 0);
    assert_string_equal(z.name, "Heure normale d");
    assert_int_equal(z.bias_known, 0);
    assert_int_equal(pl_tz_parse("(PDH-CSV 4.0)", &z), 0);
    assert_int_equal(z.bias_known, 0);
    /* A zone name that itself holds parentheses. */
    assert_int_equal(pl_tz_parse("(PDH-CSV 4.0) (UTC (Coordinated))(0)", &z), 0);
    assert_string_equal(z.name, "UTC (Coordinated)");
    assert_int_equal(z.bias_known, 1);
    assert_int_equal(pl_tz_parse("Time", &z), -1);
    assert_int_equal(pl_tz_parse("(PDH-XML 4.0) (x)(0)", &z), -1);
    assert_int_equal(pl_tz_parse("(PDH-CSV 4.0) garbage", &z), -1);
}

static void test_iso(void **state)
{
    char buf[48];
    pl_time t = parse("09/16/2021 07:51:58.569") + INT64_C(240) * 60 * PL_TICKS_PER_SEC;
    (void)state;
    pl_time_format_iso(t, -240, buf, sizeof buf);
    assert_string_equal(buf, "2021-09-16T07:51:58.569-04:00");
    pl_time_format_iso(t, 0, buf, sizeof buf);
    assert_string_equal(buf, "2021-09-16T11:51:58.569+00:00");
    pl_time_format_iso(t, 330, buf, sizeof buf);
    assert_string_equal(buf, "2021-09-16T17:21:58.569+05:30");
    pl_time_format_iso(parse("01/01/2021 00:30:00"), -60, buf, sizeof buf);
    assert_string_equal(buf, "2020-12-31T23:30:00.000-01:00");
    pl_time_format_iso(-1, 0, buf, sizeof buf);
    assert_string_equal(buf, "1969-12-31T23:59:59.999+00:00");
    pl_time_format_short(t, -240, buf, sizeof buf);
    assert_string_equal(buf, "2021-09-16 07:51");
}

/* --begin and --end as users write them: the log's wall clock, or a
 * moment with its offset; and the window they make, for a log's bias. */
static void test_user_times(void **state)
{
    pl_time t, want = pl_time_from_civil(2026, 3, 2, 14, 0, 0);
    int local;
    pl_window w;
    pl_error err;
    (void)state;
    assert_int_equal(pl_time_parse_user("2026-03-02 14:00", &t, &local), 0);
    assert_true(t == want && local);
    assert_int_equal(pl_time_parse_user("2026-03-02T14:00:00", &t, &local), 0);
    assert_true(t == want && local);
    assert_int_equal(pl_time_parse_user("3/2/2026 14:00:00", &t, &local), 0); /* relog */
    assert_true(t == want && local);
    assert_int_equal(pl_time_parse_user("03/02/2026 14:00", &t, &local), 0);
    assert_true(t == want && local);
    assert_int_equal(pl_time_parse_user("2026-03-02T15:00+01:00", &t, &local), 0);
    assert_true(t == want && !local);
    assert_int_equal(pl_time_parse_user("2026-03-02T14:00Z", &t, &local), 0);
    assert_true(t == want && !local);
    assert_int_equal(pl_time_parse_user("2026-03-02T06:00-0800", &t, &local), 0);
    assert_true(t == want && !local);
    assert_int_equal(pl_time_parse_user("2026-03-02", &t, &local), 0);
    assert_true(t == pl_time_from_civil(2026, 3, 2, 0, 0, 0));
    assert_int_equal(pl_time_parse_user("2026-03-02 14:00:00.5", &t, &local), 0);
    assert_true(t == want + PL_TICKS_PER_SEC / 2);
    assert_int_equal(pl_time_parse_user("yesterday", &t, &local), -1);
    assert_int_equal(pl_time_parse_user("2026-02-30 10:00", &t, &local), -1);
    assert_int_equal(pl_time_parse_user("2026-03-02 25:00", &t, &local), -1);
    assert_int_equal(pl_time_parse_user("2026-03-02 14:00 extra", &t, &local), -1);
    assert_int_equal(pl_time_parse_user("2026-03-02T14:00+15:00", &t, &local), -1);
    /* a window of local times follows the log's zone (bias 480: UTC-8) */
    assert_int_equal(pl_window_parse(&w, "2026-03-02 14:00", "2026-03-02T23:00Z", &err), PL_OK);
    assert_false(pl_window_has(&w, 480, want)); /* 06:00 there */
    assert_true(pl_window_has(&w, 480, want + (pl_time)8 * 3600 * PL_TICKS_PER_SEC));
    assert_true(pl_window_has(&w, 480, want + (pl_time)9 * 3600 * PL_TICKS_PER_SEC)); /* 23:00Z: in */
    assert_false(pl_window_has(&w, 480, want + (pl_time)9 * 3600 * PL_TICKS_PER_SEC + 1));
    assert_int_equal(pl_window_parse(&w, NULL, "soon", &err), PL_EUSAGE);
    assert_non_null(strstr(err.msg, "'soon'"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_parse_refuses),
        cmocka_unit_test(test_span),
        cmocka_unit_test(test_tz),
        cmocka_unit_test(test_iso),
        cmocka_unit_test(test_user_times),
    };
    tu_filter();
    return cmocka_run_group_tests_name("time", tests, NULL, NULL);
}
