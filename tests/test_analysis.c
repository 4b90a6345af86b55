/* test_analysis.c - selection (default set, patterns, excludes), repeated
 * paths kept apart, several logs merged on time, log facts. */
#include <math.h>
#include "testutil.h"
#include "perfleak/analysis.h"
#include "perfleak/store.h"

static const char log1[] =
    "\"(PDH-CSV 4.0) (Pacific Standard Time)(480)\","
    "\"\\\\SRV\\Process(services)\\Private Bytes\",\"\\\\SRV\\Process(_Total)\\Private Bytes\","
    "\"\\\\SRV\\Process(Idle)\\Working Set\",\"\\\\SRV\\Process(services)\\% Processor Time\","
    "\"\\\\SRV\\Memory\\Pool Paged Bytes\",\"\\\\SRV\\Memory\\Available MBytes\","
    "\"\\\\SRV\\Process(services)\\Private Bytes\"\r\n"
    "\"03/02/2026 00:00:00.000\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\"\r\n"
    "\"03/02/2026 00:01:00.000\",\"11\",\"12\",\"13\",\"14\",\"15\",\"16\",\"17\"\r\n"
    "\"03/02/2026 00:02:00.000\",\"21\",\"22\",\"23\",\"24\",\"25\",\"26\",\"27\"\r\n";

/* The same server, the hour before (given second, merged on time). */
static const char log0[] =
    "\"(PDH-CSV 4.0) (Pacific Standard Time)(480)\","
    "\"\\\\SRV\\Process(services)\\Private Bytes\"\r\n"
    "\"03/01/2026 23:00:00.000\",\"100\"\r\n";

static pl_analysis *make(const char *const *inc, size_t ninc, const char *const *exc, size_t nexc)
{
    pl_analysis_opts o;
    pl_analysis *a;
    pl_error err;
    pl_analysis_opts_init(&o);
    o.include = inc;
    o.n_include = ninc;
    o.exclude = exc;
    o.n_exclude = nexc;
    assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
    return a;
}

static const pl_series_stats *stats(const pl_analysis *a, size_t i)
{
    return pl_series_get_stats(pl_store_series(pl_analysis_store(a), pl_analysis_counter(a, i)->series));
}

static void test_default_set(void **state)
{
    pl_analysis *a = make(NULL, 0, NULL, 0);
    pl_error err;
    (void)state;
    assert_int_equal(pl_analysis_read_buffer(a, "l1.csv", log1, sizeof log1 - 1, 0, &err), PL_OK);
    /* services Private Bytes twice (kept apart), Pool Paged Bytes and
     * Available MBytes (judged for running out); not _Total, Idle or
     * % Processor Time. */
    assert_int_equal(pl_analysis_counter_count(a), 4);
    assert_string_equal(pl_analysis_counter(a, 0)->path, "\\\\SRV\\Process(services)\\Private Bytes");
    assert_int_equal(pl_analysis_counter(a, 0)->occurrence, 1);
    assert_string_equal(pl_analysis_counter(a, 1)->parts.counter, "Pool Paged Bytes");
    assert_string_equal(pl_analysis_counter(a, 2)->parts.counter, "Available MBytes");
    assert_int_equal(pl_analysis_counter(a, 2)->kind, PL_KIND_FREE);
    assert_int_equal(pl_analysis_counter(a, 2)->unit, PL_UNIT_MB);
    assert_string_equal(pl_analysis_counter(a, 3)->path, "\\\\SRV\\Process(services)\\Private Bytes");
    assert_int_equal(pl_analysis_counter(a, 3)->occurrence, 2);
    assert_true(stats(a, 0)->last_value == 21);
    assert_true(stats(a, 3)->last_value == 27);
    assert_int_equal(pl_analysis_counter(a, 0)->unit, PL_UNIT_BYTES);
    assert_int_equal(pl_analysis_counter(a, 0)->kind, PL_KIND_HELD);
    pl_analysis_free(a);
}

static void test_patterns(void **state)
{
    const char *inc[] = {"*"}, *exc[] = {"*Private Bytes"}, *inc2[] = {"Process(*)\\*"};
    pl_analysis *a = make(inc, 1, NULL, 0);
    pl_error err;
    (void)state;
    assert_int_equal(pl_analysis_read_buffer(a, "l1.csv", log1, sizeof log1 - 1, 0, &err), PL_OK);
    assert_int_equal(pl_analysis_counter_count(a), 7);
    assert_int_equal(pl_analysis_counter(a, 5)->unit, PL_UNIT_MB);
    assert_int_equal(pl_analysis_counter(a, 3)->unit, PL_UNIT_PERCENT);
    pl_analysis_free(a);
    a = make(inc2, 1, exc, 1);
    assert_int_equal(pl_analysis_read_buffer(a, "l1.csv", log1, sizeof log1 - 1, 0, &err), PL_OK);
    assert_int_equal(pl_analysis_counter_count(a), 2); /* Idle WS, % Processor Time */
    pl_analysis_free(a);
}

static void test_merge_on_time(void **state)
{
    pl_analysis *a = make(NULL, 0, NULL, 0);
    pl_error err;
    const pl_log_info *l;
    (void)state;
    assert_int_equal(pl_analysis_read_buffer(a, "l1.csv", log1, sizeof log1 - 1, 5, &err), PL_OK);
    assert_int_equal(pl_analysis_read_buffer(a, "l0.csv", log0, sizeof log0 - 1, 3, &err), PL_OK);
    assert_int_equal(pl_analysis_log_count(a), 2);
    assert_int_equal(pl_analysis_counter_count(a), 4);
    assert_int_equal(stats(a, 0)->samples, 4);
    assert_true(stats(a, 0)->first_value == 100);
    assert_true(stats(a, 0)->last_value == 21);
    assert_true(pl_series_buckets(pl_store_series(pl_analysis_store(a), 0))[0].sum == 100);
    l = pl_analysis_log(a, 0);
    assert_string_equal(l->file, "l1.csv");
    assert_int_equal(l->rows, 3);
    assert_true(l->interval_s == 60);
    assert_int_equal(l->n_machines, 1);
    assert_string_equal(l->machines[0], "SRV");
    assert_string_equal(l->format, "PDH-CSV");
    assert_int_equal(pl_analysis_display_offset(a), -480);
    pl_analysis_free(a);
}

static void test_failed_log_leaves_analysis_usable(void **state)
{
    pl_analysis *a = make(NULL, 0, NULL, 0);
    pl_error err;
    static const char bad[] = "time,pid\n1,2\n";
    (void)state;
    assert_int_equal(pl_analysis_read_buffer(a, "bad.csv", bad, sizeof bad - 1, 0, &err), PL_EFORMAT);
    assert_non_null(strstr(err.msg, "bad.csv:1:"));
    assert_int_equal(pl_analysis_log_count(a), 0);
    assert_int_equal(pl_analysis_read_buffer(a, "blg", "\x00\x00\x01\x00\x00\x00", 6, 0, &err), PL_EFORMAT);
    assert_non_null(strstr(err.msg, "blg: offset 6: the file ends inside the first buffer header"));
    assert_int_equal(pl_analysis_read_buffer(a, "rnd", "\x13\x99\x00\x41\x07", 5, 0, &err), PL_EUNSUPPORTED);
    assert_non_null(strstr(err.msg, "rnd: offset 0: unsupported format"));
    assert_int_equal(pl_analysis_read_file(a, "/nonexistent/x.csv", &err), PL_EIO);
    assert_non_null(strstr(err.msg, "/nonexistent/x.csv: cannot open"));
    assert_int_equal(pl_analysis_read_buffer(a, "l1.csv", log1, sizeof log1 - 1, 0, &err), PL_OK);
    assert_int_equal(pl_analysis_log_count(a), 1);
    pl_analysis_free(a);
}

static void test_order_worst_first(void **state)
{
    static const char grow[] =
        "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\h\\Memory\\Committed Bytes\",\"\\\\h\\Process(a)\\Private Bytes\","
        "\"\\\\h\\Process(b)\\Private Bytes\"\n";
    char *buf = malloc(200000);
    size_t n, *order;
    pl_analysis *a = make(NULL, 0, NULL, 0);
    pl_error err;
    int i;
    (void)state;
    n = (size_t)sprintf(buf, "%s", grow);
    for (i = 0; i < 500; i++)
        n += (size_t)sprintf(buf + n, "\"01/01/2026 %02d:%02d:00.000\",\"%d\",\"%d\",\"%d\"\n",
                             i / 60, i % 60, 1000 + (i % 7), 1000 + i * 10, 1000 + i * 100);
    assert_int_equal(pl_analysis_read_buffer(a, "g.csv", buf, n, 0, &err), PL_OK);
    assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
    assert_int_equal(pl_analysis_leak_count(a), 2);
    assert_int_equal(pl_analysis_order(a, &order, &err), PL_OK);
    assert_string_equal(pl_analysis_counter(a, order[0])->parts.instance, "b");
    assert_string_equal(pl_analysis_counter(a, order[1])->parts.instance, "a");
    assert_string_equal(pl_analysis_counter(a, order[2])->parts.counter, "Committed Bytes");
    free(order);
    free(buf);
    pl_analysis_free(a);
}

/* Committed Bytes heads for the log's Commit Limit; --limit gives one to
 * any counter. */
static void test_time_to_limit(void **state)
{
    const char *inc[] = {"Memory\\Committed Bytes", "Process(*)\\Private Bytes"};
    const char *lim[] = {"Process(*)\\Private Bytes=1GB"};
    char *buf = malloc(300000);
    size_t n, i;
    pl_analysis_opts o;
    pl_analysis *a;
    pl_error err;
    int k;
    (void)state;
    n = (size_t)sprintf(buf, "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\h\\Memory\\Committed Bytes\","
                             "\"\\\\h\\Memory\\Commit Limit\",\"\\\\h\\Process(a)\\Private Bytes\"\n");
    /* 8 GB growing 50 MB an hour towards 16 GB; a process growing 10 MB/h */
    for (k = 0; k < 600; k++)
        n += (size_t)sprintf(buf + n, "\"01/%02d/2026 %02d:%02d:00.000\",\"%.0f\",\"17179869184\",\"%.0f\"\n",
                             1 + k / 144, k / 6 % 24, k % 6 * 10, 8589934592.0 + k * 52428800.0 / 6,
                             104857600.0 + k * 10485760.0 / 6);
    pl_analysis_opts_init(&o);
    o.include = inc;
    o.n_include = 2;
    o.limits = lim;
    o.n_limits = 1;
    assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
    assert_int_equal(pl_analysis_read_buffer(a, "l.csv", buf, n, 0, &err), PL_OK);
    assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
    /* Commit Limit is used but not reported: it was not selected. */
    assert_int_equal(pl_analysis_counter_count(a), 2);
    for (i = 0; i < 2; i++) {
        const pl_finding *f = &pl_analysis_counter(a, i)->finding;
        assert_int_equal(f->verdict, PL_VERDICT_LEAK);
        assert_true(f->eta_h_early <= f->eta_h);
        if (i == 0) {
            /* (16384 MB - 8192 MB - 99.83 h * 50 MB/h) / 50 MB/h = 64.0 h */
            assert_string_equal(f->limit_source, "Memory\\Commit Limit");
            assert_true(f->limit == 17179869184.0);
            assert_true(fabs(f->eta_h - 64.0) < 1.0);
        } else {
            /* (1024 MB - 100 MB - 998 MB) < 0: already past the limit */
            assert_string_equal(f->limit_source, "--limit");
            assert_true(f->eta_h == 0);
        }
    }
    pl_analysis_free(a);
    /* A limit that is not COUNTER=VALUE is refused. */
    lim[0] = "Private Bytes";
    assert_int_equal(pl_analysis_create(&a, &o, &err), PL_EUSAGE);
    assert_non_null(strstr(err.msg, "a limit takes COUNTER=VALUE"));
    free(buf);
}

/* Restarts that barely dip: only ID Process tells the lives apart. Each
 * life levels off 20 MB higher, so it is a leak across restarts. */
static void test_restarts_by_process_id(void **state)
{
    char *buf = malloc(400000);
    size_t n;
    pl_analysis *a;
    pl_error err;
    const pl_finding *f;
    int k;
    (void)state;
    n = (size_t)sprintf(buf, "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\h\\Process(svc)\\Private Bytes\","
                             "\"\\\\h\\Process(svc)\\ID Process\"\n");
    for (k = 0; k < 3000; k++) {
        int life = k / 600, t = k % 600;
        double plateau = (200 + 20 * life) * 1048576.0, start = plateau - 30 * 1048576.0;
        n += (size_t)sprintf(buf + n, "\"01/%02d/2026 %02d:%02d:00.000\",\"%.0f\",\"%d\"\n",
                             1 + k / 1440, k / 60 % 24, k % 60,
                             plateau - (plateau - start) * exp(-t / 30.0), 1000 + 4 * life);
    }
    assert_int_equal(pl_analysis_create(&a, NULL, &err), PL_OK);
    assert_int_equal(pl_analysis_read_buffer(a, "pid.csv", buf, n, 0, &err), PL_OK);
    assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
    assert_int_equal(pl_analysis_counter_count(a), 1); /* ID Process is a helper only */
    f = &pl_analysis_counter(a, 0)->finding;
    assert_int_equal(f->lives, 5);
    assert_int_equal(f->verdict, PL_VERDICT_LEAK);
    if (!strstr(f->reason, "levelling off higher"))
        fail_msg("reason: %s", f->reason);
    pl_analysis_free(a);
    free(buf);
}


/* A log of rows a minute apart; row k dated at year[k] instead when
 * year[k] is set. */
static pl_analysis *minutes_log(size_t rows, const int *year, tu_warnings *w)
{
    const char *all[] = {"*"};
    char *buf = malloc(rows * 64 + 256);
    size_t n, k;
    pl_analysis_opts o;
    pl_analysis *a;
    pl_error err;
    n = (size_t)sprintf(buf, "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\H\\Process(a)\\Private Bytes\"\r\n");
    for (k = 0; k < rows; k++)
        n += (size_t)sprintf(buf + n, "\"03/02/%04d %02zu:%02zu:00.000\",\"%zu\"\r\n",
                             year[k] ? year[k] : 2026, 10 + k / 60, k % 60, 1000 + k);
    pl_analysis_opts_init(&o);
    o.include = all;
    o.n_include = 1;
    o.warn = tu_keep_warning;
    o.warn_ctx = w;
    memset(w, 0, sizeof *w);
    assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
    assert_int_equal(pl_analysis_read_buffer(a, "t.csv", buf, n, 0, &err), PL_OK);
    free(buf);
    return a;
}

/* A row dated years away from its neighbours is set aside: it does not
 * stretch the log's span (a 2-hour log would look 27 years long, and be
 * judged), its value is not a sample; the first, a middle and the last
 * row are each checked. Rows after a real jump in time stay. */
static void test_lone_rows_set_aside(void **state)
{
    int year[120] = {0};
    tu_warnings w;
    pl_analysis *a;
    const pl_log_info *l;
    const pl_series_stats *st;
    pl_time t;
    size_t k;
    (void)state;
    year[0] = 2035;
    year[60] = 1999;
    year[119] = 2040;
    a = minutes_log(120, year, &w);
    l = pl_analysis_log(a, 0);
    assert_int_equal(l->rows, 117);
    assert_int_equal(pl_time_parse_pdh("03/02/2026 10:01:00.000", 23, &t), 0);
    assert_true(l->start == t);
    assert_int_equal(pl_time_parse_pdh("03/02/2026 11:58:00.000", 23, &t), 0);
    assert_true(l->end == t);
    st = stats(a, 0);
    assert_int_equal(st->samples, 117);
    assert_int_equal(st->missing, 0);
    assert_true(st->first_value == 1001 && st->last_value == 1118);
    assert_true(st->min == 1001 && st->max == 1118);
    if (!strstr(w.text, "t.csv: 3 row(s) dated far from the rest of the log were set aside (first: sample 1, at 2035-03-02 10:00)"))
        fail_msg("%s", w.text);
    pl_analysis_free(a);
    /* a log whose time jumps once and goes on: nothing set aside */
    for (k = 0; k < 120; k++)
        year[k] = k < 60 ? 2026 : 2027;
    a = minutes_log(120, year, &w);
    assert_int_equal(pl_analysis_log(a, 0)->rows, 120);
    assert_null(strstr(w.text, "set aside"));
    pl_analysis_free(a);
}

/* A log of ncols counters and nrows rows 15 s apart; row `bad` has one
 * cell no number reads from (the reader then takes what follows that row
 * in its block line by line), row `blank` one blank cell. */
static char *wide_log(size_t ncols, size_t nrows, size_t bad, size_t blank, size_t *len)
{
    size_t cap = 64 + ncols * 48 + nrows * (32 + ncols * 16), n = 0, r, c;
    char *s = malloc(cap);
    assert_non_null(s);
    n += (size_t)snprintf(s + n, cap - n, "\"(PDH-CSV 4.0) (Pacific Standard Time)(480)\"");
    for (c = 0; c < ncols; c++)
        n += (size_t)snprintf(s + n, cap - n, ",\"\\\\W\\Process(p%zu)\\Private Bytes\"", c);
    n += (size_t)snprintf(s + n, cap - n, "\r\n");
    for (r = 0; r < nrows; r++) {
        n += (size_t)snprintf(s + n, cap - n, "\"03/01/2026 %02zu:%02zu:%02zu.000\"", r * 15 / 3600,
                              r * 15 / 60 % 60, r * 15 % 60);
        for (c = 0; c < ncols; c++) {
            if (r == bad && c == ncols / 2)
                n += (size_t)snprintf(s + n, cap - n, ",\"n/a\"");
            else if (r == blank && c == 7)
                n += (size_t)snprintf(s + n, cap - n, ",\" \"");
            else /* every third column grows; the rest wobble, a drop every 50 rows */
                n += (size_t)snprintf(s + n, cap - n, ",\"%.3f\"",
                                      1e6 + (double)((r * 7919 + c * 104729) % 1000) +
                                          (c % 3 == 0 ? 500.0 * (double)r : 0) - (r % 50 == 0 ? 3e5 : 0));
        }
        n += (size_t)snprintf(s + n, cap - n, "\r\n");
    }
    *len = n;
    return s;
}

/* The log read every counter, on one thread into a[0] and two into a[1],
 * in the window begin..end (NULL: open). */
static void read_on_one_and_two(const char *log, size_t len, const char *begin, const char *end,
                                pl_analysis **a)
{
    const char *all[] = {"*"};
    size_t k;
    for (k = 0; k < 2; k++) {
        pl_analysis_opts o;
        pl_error err;
        pl_analysis_opts_init(&o);
        o.include = all;
        o.n_include = 1;
        o.threads = (int)k + 1;
        o.begin = begin;
        o.end = end;
        assert_int_equal(pl_analysis_create(&a[k], &o, &err), PL_OK);
        if (pl_analysis_read_buffer(a[k], "wide.csv", log, len, 100000, &err) != PL_OK)
            fail_msg("%s", err.msg);
    }
}

/* A wide log's rows are gathered from several blocks before they are
 * stored, on two threads: every series must come out as one thread,
 * reading row by row, makes it, bit for bit. */
static void test_wide_gathered_rows(void **state)
{
    size_t len, i, j;
    char *log = wide_log(2000, 300, 131, 40, &len);
    pl_analysis *a[2];
    (void)state;
    read_on_one_and_two(log, len, NULL, NULL, a);
    assert_int_equal(pl_analysis_counter_count(a[0]), 2000);
    assert_int_equal(pl_analysis_counter_count(a[1]), 2000);
    for (i = 0; i < 2000; i++) {
        const pl_series *x = pl_store_series(pl_analysis_store(a[0]), pl_analysis_counter(a[0], i)->series);
        const pl_series *y = pl_store_series(pl_analysis_store(a[1]), pl_analysis_counter(a[1], i)->series);
        const pl_series_stats *sx = pl_series_get_stats(x), *sy = pl_series_get_stats(y);
        assert_int_equal(sx->samples + sx->missing, 300);
        assert_int_equal(sx->samples, sy->samples);
        assert_int_equal(sx->missing, sy->missing);
        assert_true(sx->first_t == sy->first_t && sx->last_t == sy->last_t);
        assert_true(sx->first_value == sy->first_value && sx->last_value == sy->last_value);
        assert_int_equal(pl_series_bucket_count(x), pl_series_bucket_count(y));
        for (j = 0; j < pl_series_bucket_count(x); j++) {
            const pl_bucket *bx = &pl_series_buckets(x)[j], *by = &pl_series_buckets(y)[j];
            assert_true(bx->t0 == by->t0 && bx->span == by->span && bx->n == by->n);
            assert_true(bx->sum == by->sum && bx->min == by->min && bx->max == by->max);
            assert_true(bx->fall == by->fall && bx->rise == by->rise);
        }
    }
    /* the bad cell and the blank one are the missing values */
    assert_int_equal(stats(a[1], 1000)->missing, 1);
    assert_int_equal(stats(a[1], 7)->missing, 1);
    assert_int_equal(stats(a[1], 3)->missing, 0);
    pl_analysis_free(a[0]);
    pl_analysis_free(a[1]);
    free(log);
}

/* A time window leaves the rows outside it out, the same on two threads
 * (where both halves of each batch of rows find the window's runs) as on
 * one, ends included. */
static void test_window_two_threads(void **state)
{
    size_t len, i;
    char *log = wide_log(2000, 300, 131, 40, &len);
    pl_analysis *a[2];
    (void)state;
    /* from row 100, in the log's own time, to row 250: 01:02:30 at UTC-8 */
    read_on_one_and_two(log, len, "2026-03-01 00:25:00", "2026-03-01T09:02:30Z", a);
    assert_int_equal(pl_analysis_log(a[1], 0)->rows, 151);
    for (i = 0; i < 2000; i++) {
        const pl_series_stats *x = stats(a[0], i), *y = stats(a[1], i);
        assert_int_equal(x->samples + x->missing, 151);
        assert_int_equal(x->samples, y->samples);
        assert_true(x->first_t == y->first_t && x->last_t == y->last_t);
        assert_true(x->first_value == y->first_value && x->last_value == y->last_value);
    }
    assert_int_equal(stats(a[1], 1000)->missing, 1); /* row 131 is inside */
    assert_int_equal(stats(a[1], 7)->missing, 0);    /* row 40 is not */
    pl_analysis_free(a[0]);
    pl_analysis_free(a[1]);
    free(log);
}

/* The most urgent finding first: the one that reaches its limit, even
 * when another grows faster relative to its level. */
static void test_urgency_order(void **state)
{
    char *buf = malloc(1 << 20);
    size_t n, i, *order;
    pl_analysis *a;
    pl_error err;
    (void)state;
    assert_non_null(buf);
    n = (size_t)sprintf(buf, "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\S\\Process(lsass)\\Handle Count\","
                             "\"\\\\S\\Memory\\Committed Bytes\",\"\\\\S\\Memory\\Commit Limit\"\r\n");
    for (i = 0; i < 600; i++) /* 50 h at 5 min: handles +80 %, commit +20 % toward its limit */
        n += (size_t)sprintf(buf + n, "\"01/%02zu/2026 %02zu:%02zu:00.000\",\"%zu\",\"%.0f\",\"%.0f\"\r\n",
                             1 + i * 5 / 1440, i * 5 / 60 % 24, i * 5 % 60, 1000 + i * 800 / 600 + (i * 7) % 5,
                             8e9 + 1.6e9 * (double)i / 600 + (double)((i * 7919) % 1000) * 1e4, 12e9);
    assert_int_equal(pl_analysis_create(&a, NULL, &err), PL_OK);
    assert_int_equal(pl_analysis_read_buffer(a, "u.csv", buf, n, 0, &err), PL_OK);
    assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
    assert_int_equal(pl_analysis_order(a, &order, &err), PL_OK);
    assert_int_equal(pl_analysis_counter(a, order[0])->finding.verdict, PL_VERDICT_LEAK);
    assert_int_equal(pl_analysis_counter(a, order[1])->finding.verdict, PL_VERDICT_LEAK);
    assert_non_null(strstr(pl_analysis_counter(a, order[0])->path, "Committed Bytes"));
    assert_true(pl_analysis_counter(a, order[0])->finding.eta_h > 0);
    /* the handles grew more, relative to their level */
    assert_true(pl_analysis_counter(a, order[1])->finding.growth_pct >
                pl_analysis_counter(a, order[0])->finding.growth_pct);
    free(order);
    pl_analysis_free(a);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_set),
        cmocka_unit_test(test_patterns),
        cmocka_unit_test(test_merge_on_time),
        cmocka_unit_test(test_failed_log_leaves_analysis_usable),
        cmocka_unit_test(test_order_worst_first),
        cmocka_unit_test(test_time_to_limit),
        cmocka_unit_test(test_restarts_by_process_id),
        cmocka_unit_test(test_lone_rows_set_aside),
        cmocka_unit_test(test_wide_gathered_rows),
        cmocka_unit_test(test_urgency_order),
        cmocka_unit_test(test_window_two_threads),
    };
    tu_filter();
    return cmocka_run_group_tests_name("analysis", tests, NULL, NULL);
}
