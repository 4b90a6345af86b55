/* test_batch.c - the same answer however the work is spread: one thread
 * or two per log, every read size, and logs analysed side by side with one
 * JSON Lines record each, in the order given. */
#include "testutil.h"
#include "judged.h"
#include "perfleak/analysis.h"
#include "perfleak/batch.h"
#include "perfleak/report.h"

/* The JSON report of a log analysed with o: the file at path, or buf. */
static char *json_of(const pl_analysis_opts *o, const char *path, const char *buf, size_t len,
                     size_t chunk)
{
    pl_analysis *a;
    pl_error err;
    char *out = NULL;
    size_t olen = 0;
    FILE *m = open_memstream(&out, &olen);
    assert_int_equal(pl_analysis_create(&a, o, &err), PL_OK);
    if (path)
        assert_int_equal(pl_analysis_read_file(a, path, &err), PL_OK);
    else
        assert_int_equal(pl_analysis_read_buffer(a, "messy.csv", buf, len, chunk, &err), PL_OK);
    assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
    assert_int_equal(tu_report_write(a, PL_REPORT_JSON, m, &err), PL_OK);
    fclose(m);
    pl_analysis_free(a);
    return out;
}


/* The JSON of a log file with every counter; the warnings go to w when
 * it is not NULL. */
static char *report(const char *path, int threads, size_t read_size, tu_warnings *w)
{
    static const char *const all[] = {"*"};
    pl_analysis_opts o;
    pl_analysis_opts_init(&o);
    o.include = all;
    o.n_include = 1;
    o.threads = threads;
    o.read_size = read_size;
    if (w) {
        memset(w, 0, sizeof *w);
        o.warn = tu_keep_warning;
        o.warn_ctx = w;
    }
    return json_of(&o, path, NULL, 0, 0);
}

static void test_threads_and_read_sizes(void **state)
{
    static const size_t sizes[] = {16, 17, 1000, 4096, 65536, 1 << 20};
    char *ref = report("samples/srv01-services-leak.csv", 1, 0, NULL);
    size_t i;
    int t;
    (void)state;
    assert_non_null(strstr(ref, "\"verdict\": \"leak\""));
    for (t = 1; t <= 2; t++)
        for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            char *r = report("samples/srv01-services-leak.csv", t, sizes[i], NULL);
            if (strcmp(r, ref) != 0)
                fail_msg("%d thread(s), reads of %zu bytes: a different report", t, sizes[i]);
            free(r);
        }
    free(ref);
}

/* A 4 MB log of 70 columns (several parse blocks, stored by halves of
 * the columns on two threads) with every kind of irregular line
 * scattered through it: values that are not numbers, short and long
 * rows, a bad timestamp, a quoted line break, a row out of time order,
 * " " cells, and a last row cut off. */
static char *messy_log(size_t *len)
{
    size_t cap = 6 << 20, n = 0;
    char *b = malloc(cap);
    int row, c;
    n += (size_t)snprintf(b + n, cap - n, "\"(PDH-CSV 4.0) (UTC)(0)\"");
    for (c = 0; c < 70; c++)
        n += (size_t)snprintf(b + n, cap - n, ",\"\\\\H\\Process(p%d)\\Private Bytes\"", c);
    n += (size_t)snprintf(b + n, cap - n, "\r\n");
    for (row = 0; n < (4u << 20); row++) {
        int sec = row % 60, min = row / 60 % 60, hour = row / 3600;
        if (row == 1500)
            sec = (sec + 30) % 60, min = (min + 59) % 60; /* out of order */
        n += (size_t)snprintf(b + n, cap - n, row == 2500 ? "\"not a time\"" : "\"01/02/2026 %02d:%02d:%02d.000\"",
                              hour, min, sec);
        for (c = 0; c < (row == 2000 ? 20 : row == 3000 ? 75 : 70); c++) {
            if (row % 3001 == 7 && c == 3)
                n += (size_t)snprintf(b + n, cap - n, ",\"abc\"");
            else if (row % 2503 == 11 && c == 5)
                n += (size_t)snprintf(b + n, cap - n, ",\"1\r\n2\"");
            else if (row % 17 == 0 && c == 1)
                n += (size_t)snprintf(b + n, cap - n, ",\" \"");
            else
                n += (size_t)snprintf(b + n, cap - n, ",\"%d.%03d\"", 1000000 + row * (c + 1), c);
        }
        n += (size_t)snprintf(b + n, cap - n, row % 2 ? "\r\n" : "\n");
    }
    n += (size_t)snprintf(b + n, cap - n, "\"01/02/2026 23:59:59.000\",\"12");
    *len = n;
    return b;
}

static char *report_buf_sel(const char *buf, size_t len, int threads, size_t chunk, tu_warnings *w, int all_)
{
    static const char *const all[] = {"*"};
    pl_analysis_opts o;
    memset(w, 0, sizeof *w);
    pl_analysis_opts_init(&o);
    if (all_) {
        o.include = all;
        o.n_include = 1;
    }
    o.threads = threads;
    o.warn = tu_keep_warning;
    o.warn_ctx = w;
    return json_of(&o, NULL, buf, len, chunk);
}

static char *report_buf(const char *buf, size_t len, int threads, size_t chunk, tu_warnings *w)
{
    return report_buf_sel(buf, len, threads, chunk, w, 1);
}

/* Blocks parsed on two threads give exactly the one-thread answer and
 * warnings, whatever the irregular lines and wherever the chunks end. */
static void test_blocks_match_one_thread(void **state)
{
    static const size_t chunks[] = {0, 1000, 65536, 524287, 1 << 20};
    size_t len, i;
    char *log = messy_log(&len), *ref;
    tu_warnings w1, w2;
    (void)state;
    ref = report_buf(log, len, 1, 0, &w1);
    assert_non_null(strstr(w1.text, "not numbers"));
    assert_non_null(strstr(w1.text, "fewer than 71 cells"));
    assert_non_null(strstr(w1.text, "more than 71 cells"));
    assert_non_null(strstr(w1.text, "without a timestamp"));
    assert_non_null(strstr(w1.text, "time went backwards"));
    assert_non_null(strstr(w1.text, "last row is incomplete"));
    for (i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        char *r = report_buf(log, len, 2, chunks[i], &w2);
        if (strcmp(r, ref) != 0)
            fail_msg("two threads, chunks of %zu: a different report", chunks[i]);
        assert_string_equal(w2.text, w1.text);
        free(r);
    }
    {
        /* and read from a file, straight into the blocks (one thread
         * has no blocks: it is the reference) */
        static const size_t reads[] = {1000, 65536, 1 << 20};
        char path[] = "/tmp/perfleak-messy-XXXXXX", *fref;
        int fd = mkstemp(path);
        FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
        assert_non_null(f);
        assert_int_equal(fwrite(log, 1, len, f), len);
        assert_int_equal(fclose(f), 0);
        fref = report(path, 1, 0, &w1);
        assert_non_null(strstr(w1.text, "last row is incomplete"));
        for (i = 0; i < sizeof reads / sizeof reads[0]; i++) {
            char *r = report(path, 2, reads[i], &w2);
            if (strcmp(r, fref) != 0)
                fail_msg("two threads, file reads of %zu: a different report", reads[i]);
            assert_string_equal(w2.text, w1.text);
            free(r);
        }
        free(fref);
        remove(path);
    }
    free(ref);
    free(log);
}

typedef struct prog {
    unsigned long long last, total;
    int calls, backwards;
} prog;

static void on_prog(void *ctx, const char *name, unsigned long long done, unsigned long long total)
{
    prog *p = ctx;
    (void)name;
    p->backwards += done < p->last;
    p->last = done;
    p->total = total;
    p->calls++;
}

/* Progress is reported after every read, with the file's size, up to all
 * of it. Reads are of read_size bytes, or shorter where one stops at the
 * end of a block the file is read straight into. */
static void test_progress(void **state)
{
    static const char *const all[] = {"*"};
    pl_analysis_opts o;
    pl_analysis *a;
    pl_error err;
    prog p = {0, 0, 0, 0};
    FILE *f = fopen("samples/srv01-services-leak.csv", "rb");
    long size;
    (void)state;
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fclose(f);
    pl_analysis_opts_init(&o);
    o.include = all;
    o.n_include = 1;
    o.read_size = 65536;
    o.progress = on_prog;
    o.progress_ctx = &p;
    assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
    assert_int_equal(pl_analysis_read_file(a, "samples/srv01-services-leak.csv", &err), PL_OK);
    pl_analysis_free(a);
    assert_true(p.calls >= (int)((size + 65535) / 65536) && p.calls <= 2 * (int)((size + 65535) / 65536));
    assert_int_equal(p.backwards, 0);
    assert_true(p.last == (unsigned long long)size && p.total == (unsigned long long)size);
}

/* Two columns that feed one series (a process's ID Process under its
 * English and its Russian name) are stored by one thread, in order. */
static void test_shared_series_two_threads(void **state)
{
    size_t cap = 4 << 20, n = 0;
    char *b = malloc(cap), *r1, *r2;
    int row, c;
    tu_warnings w;
    (void)state;
    n += (size_t)snprintf(b + n, cap - n, "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\H\\Process(a)\\ID Process\"");
    for (c = 0; c < 68; c++)
        n += (size_t)snprintf(b + n, cap - n, ",\"\\\\H\\Process(p%d)\\Working Set\"", c);
    n += (size_t)snprintf(b + n, cap - n, ",\"\\\\H\\Процесс(a)\\Идентификатор процесса\"\r\n");
    for (row = 0; row < 4000; row++) {
        n += (size_t)snprintf(b + n, cap - n, "\"01/02/2026 %02d:%02d:%02d.000\",\"%d\"", row / 3600,
                              row / 60 % 60, row % 60, 100 + row % 7);
        for (c = 0; c < 68; c++)
            n += (size_t)snprintf(b + n, cap - n, ",\"%d\"", 1000000 + row * c);
        n += (size_t)snprintf(b + n, cap - n, ",\"%d\"\r\n", 200 + row % 5);
    }
    /* The default set: ID Process is not reported, only kept as the
     * process's helper series, which both ID columns feed. */
    r1 = report_buf_sel(b, n, 1, 0, &w, 0);
    r2 = report_buf_sel(b, n, 2, 0, &w, 0);
    assert_non_null(strstr(r1, "Working Set"));
    assert_string_equal(r1, r2);
    free(r1);
    free(r2);
    free(b);
}

static char *fleet(int jobs, pl_batch_summary *sum)
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
    assert_int_equal(pl_batch_run(logs, 5, &o, jobs, m, sum, &err), PL_OK);
    fclose(m);
    return buf;
}

static void test_jsonl_in_order(void **state)
{
    pl_batch_summary s1, s3;
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
    assert_non_null(strstr(line[1], "{\"log\":\"tests/data/empty.csv\",\"error\":\"tests/data/empty.csv: empty file"));
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
        cmocka_unit_test(test_blocks_match_one_thread),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_shared_series_two_threads),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
