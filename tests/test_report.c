/* test_report.c - the JSON contract, Markdown and HTML, units, and the
 * rules for writing into an output directory. */
#include <jansson.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>
#include "testutil.h"
#include "judged.h"
#include "perfleak/report.h"
#include "util/internal.h"

static pl_analysis *analysed(void)
{
    /* a leaking process, a flat pool, a counter with too little data */
    char *buf = malloc(400000);
    size_t n;
    pl_analysis *a;
    pl_error err;
    int i;
    n = (size_t)sprintf(buf, "\"(PDH-CSV 4.0) (Eastern Daylight Time)(240)\","
                             "\"\\\\WEB1\\Process(svc|x<y>&\"\"z\"\")\\Private Bytes\","
                             "\"\\\\WEB1\\Memory\\Pool Paged Bytes\",\"\\\\WEB1\\Process(new)\\Handle Count\"\r\n");
    for (i = 0; i < 1440; i++) {
        n += (size_t)sprintf(buf + n, "\"09/16/2021 %02d:%02d:00.000\",\"%d\",\"%d\",\"%s\"\r\n",
                             i / 60 % 24, i % 60, 10485760 + i * 200000, 300000000 + (i * 7919) % 1000,
                             i < 1435 ? " " : "12");
    }
    /* hours past midnight wrap: keep one day only */
    assert_int_equal(pl_analysis_create(&a, NULL, &err), PL_OK);
    assert_int_equal(pl_analysis_read_buffer(a, "web1.csv", buf, n, 0, &err), PL_OK);
    assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
    free(buf);
    return a;
}

typedef int (*writer_fn)(const pl_analysis *, pl_report_format, FILE *, pl_error *);

/* What a writer (a report, or the counters listing) puts out, as text. */
static char *render_with(writer_fn write, const pl_analysis *a, pl_report_format fmt)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    pl_error err;
    assert_non_null(f);
    assert_int_equal(write(a, fmt, f, &err), PL_OK);
    fclose(f);
    return text;
}

static char *render(const pl_analysis *a, pl_report_format fmt)
{
    return render_with(tu_report_write, a, fmt);
}

static void test_json_contract(void **state)
{
    pl_analysis *a = analysed();
    char *text = render(a, PL_REPORT_JSON);
    json_error_t je;
    json_t *root = json_loads(text, 0, &je), *logs, *cs, *c, *e;
    size_t i, leaks = 0;
    (void)state;
    assert_non_null(root);
    logs = json_object_get(root, "logs");
    assert_int_equal(json_array_size(logs), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(logs, 0), "start")),
                        "2021-09-16T00:00:00.000-04:00");
    assert_string_equal(json_string_value(json_object_get(json_array_get(logs, 0), "end")),
                        "2021-09-16T23:59:00.000-04:00");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(logs, 0), "samples")), 1440);
    assert_true(json_number_value(json_object_get(json_array_get(logs, 0), "interval_seconds")) == 60);
    assert_string_equal(json_string_value(json_array_get(json_object_get(json_array_get(logs, 0), "machines"), 0)), "WEB1");
    cs = json_object_get(root, "counters");
    assert_int_equal(json_array_size(cs), 3);
    for (i = 0; i < 3; i++) {
        const char *v;
        c = json_array_get(cs, i);
        v = json_string_value(json_object_get(c, "verdict"));
        assert_true(strcmp(v, "leak") == 0 || strcmp(v, "ok") == 0 || strcmp(v, "insufficient-data") == 0);
        assert_non_null(json_object_get(c, "path"));
        assert_non_null(json_object_get(c, "samples"));
        assert_non_null(json_object_get(c, "first"));
        assert_non_null(json_object_get(c, "last"));
        assert_non_null(json_object_get(c, "min"));
        assert_non_null(json_object_get(c, "max"));
        assert_non_null(json_object_get(json_object_get(c, "evidence"), "reason"));
        leaks += strcmp(v, "leak") == 0;
    }
    assert_int_equal(leaks, 1);
    c = json_array_get(cs, 0);
    assert_string_equal(json_string_value(json_object_get(c, "path")),
                        "\\\\WEB1\\Process(svc|x<y>&\"z\")\\Private Bytes");
    assert_string_equal(json_string_value(json_object_get(c, "verdict")), "leak");
    assert_int_equal(json_integer_value(json_object_get(c, "min")), 10485760);
    e = json_object_get(c, "evidence");
    /* 200000 bytes a minute = 12,000,000 bytes an hour */
    assert_true(fabs(json_number_value(json_object_get(e, "growth_per_hour")) - 12e6) < 1);
    /* every real reads back as the double the library holds */
    for (i = 0; i < 2; i++) {
        const pl_finding *f = &pl_analysis_counter(a, i)->finding;
        json_t *ev = json_object_get(json_array_get(cs, i), "evidence");
        assert_true(json_number_value(json_object_get(ev, "growth_per_hour")) == f->slope_per_hour);
    }
    assert_string_equal(json_string_value(json_object_get(e, "onset")), "2021-09-16T00:00:00.000-04:00");
    assert_string_equal(json_string_value(json_object_get(json_array_get(cs, 1), "verdict")), "ok");
    c = json_array_get(cs, 2);
    assert_string_equal(json_string_value(json_object_get(c, "verdict")), "insufficient-data");
    assert_int_equal(json_integer_value(json_object_get(c, "samples")), 5);
    assert_int_equal(json_integer_value(json_object_get(c, "missing")), 1435);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "summary"), "leak")), 1);
    json_decref(root);
    free(text);
    pl_analysis_free(a);
}

/* The JSON of a report with many counters is written in two halves on
 * two threads and joined: it must be the text jansson writes for the
 * whole report in one go, and the same with one thread, in both JSON
 * shapes and for the counters listing too. */
/* Reals in their shortest exact form; strings (digits and escaped quotes
 * in them included) and integers as they were. */
static void test_json_shortest_reals(void **state)
{
    char *in = pl_strdup("{\"a\": 0.10000000000000001, \"s\": \"x\\\" 0.30000000000000004\", "
                         "\"m\": 1.7976931348623157e+308, \"n\": [-2.5e-07, 12, 1e+16, 0.30000000000000004]}");
    char *out;
    (void)state;
    assert_non_null(in);
    out = pl_json_shortest_reals(in);
    assert_non_null(out);
    assert_string_equal(out, "{\"a\": 0.1, \"s\": \"x\\\" 0.30000000000000004\", "
                             "\"m\": 1.7976931348623157e+308, \"n\": [-2.5e-07, 12, 1e+16, 0.30000000000000004]}");
    free(out);
}

static void test_json_halves(void **state)
{
    static const size_t counts[] = {1, 3, 31, 32, 33, 40};
    static const char *const all[] = {"*"};
    size_t k, i, t, f;
    (void)state;
    for (k = 0; k < sizeof counts / sizeof counts[0]; k++) {
        char *buf = malloc(200000), *text[2][3];
        size_t n, col;
        int row;
        n = (size_t)sprintf(buf, "\"(PDH-CSV 4.0) (UTC)(0)\"");
        for (col = 0; col < counts[k]; col++)
            n += (size_t)sprintf(buf + n, ",\"\\\\S\\Process(p%zu \"\"[]\"\")\\Private Bytes\"", col);
        n += (size_t)sprintf(buf + n, "\r\n");
        for (row = 0; row < 60; row++) {
            n += (size_t)sprintf(buf + n, "\"01/02/2026 10:%02d:00.000\"", row);
            for (col = 0; col < counts[k]; col++)
                n += (size_t)sprintf(buf + n, ",\"%.3f\"", 1e6 + (double)(row * (col % 3)) * 1234.567 + (double)col / 7);
            n += (size_t)sprintf(buf + n, "\r\n");
        }
        for (t = 0; t < 2; t++) {
            pl_analysis_opts o;
            pl_analysis *a;
            pl_error err;
            pl_analysis_opts_init(&o);
            o.include = all;
            o.n_include = 1;
            o.threads = (int)t + 1;
            assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
            assert_int_equal(pl_analysis_read_buffer(a, "many.csv", buf, n, 0, &err), PL_OK);
            assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
            assert_int_equal(pl_analysis_counter_count(a), counts[k]);
            text[t][0] = render(a, PL_REPORT_JSON);
            text[t][1] = render(a, PL_REPORT_JSONL);
            text[t][2] = render_with(pl_counters_write, a, PL_REPORT_JSON);
            pl_analysis_free(a);
        }
        for (f = 0; f < 3; f++) {
            json_error_t je;
            json_t *j = json_loads(text[1][f], 0, &je);
            char *again;
            assert_non_null(j);
            assert_int_equal(json_array_size(json_object_get(j, "counters")), counts[k]);
            again = json_dumps(j, (f == 1 ? JSON_COMPACT : JSON_INDENT(2)) | JSON_REAL_PRECISION(17));
            again = again ? pl_json_shortest_reals(again) : NULL;
            assert_non_null(again);
            assert_int_equal(strlen(text[1][f]), strlen(again) + 1);
            assert_memory_equal(text[1][f], again, strlen(again));
            assert_string_equal(text[0][f], text[1][f]);
            free(again);
            json_decref(j);
            for (i = 0; i < 2; i++)
                free(text[i][f]);
        }
        free(buf);
    }
}

static void test_markdown_and_html(void **state)
{
    pl_analysis *a = analysed();
    char *md = render(a, PL_REPORT_MARKDOWN), *html = render(a, PL_REPORT_HTML),
         *txt = render(a, PL_REPORT_TEXT), *p;
    (void)state;
    assert_non_null(strstr(md, "| Verdict | Counter | Growth | Rate | Rate, 95 % interval | Since | Limit | Why |\n|---|"));
    /* the leak comes first, with its pipe escaped inside the table */
    p = strstr(md, "|---|---|---|---|---|---|---|---|\n");
    assert_non_null(p);
    p += strlen("|---|---|---|---|---|---|---|---|\n");
    {
        static const char row[] = "| **leak** | `\\\\WEB1\\Process(svc\\|x<y>&\"z\")\\Private Bytes` | +274 MB (+2745%) | 11.4 MB/h | 11.4 to 11.4 MB/h | first sample |  | grew 274 MB";
        if (strncmp(p, row, sizeof row - 1) != 0)
            fail_msg("first row: %.200s", p);
    }
    assert_non_null(strstr(md, "**1 leak** among 3 counters"));
    /* the table row: verdict sortable by urgency, the path escaped and
     * wrapping only between its parts */
    assert_non_null(strstr(html, "<tr class=\"v-leak\"><td data-v=\"0\">leak</td><td><code>\\\\<wbr>WEB1\\<wbr>Process(svc|x&lt;y&gt;&amp;&quot;z&quot;)\\<wbr>Private Bytes</code>"));
    /* nowhere raw, the chart data in the script included */
    assert_null(strstr(html, "x<y>"));
    assert_non_null(strstr(html, "Process(svc|x\\u003cy\\u003e\\u0026\\\"z\\\")"));
    /* the title names the server and span; contents link every finding */
    assert_non_null(strstr(html, "<title>perfleak: WEB1, 2021-09-16 00:00 to "));
    assert_non_null(strstr(html, "<a href=\"#finding-1\">LEAK: "));
    assert_non_null(strstr(html, "<section class=\"finding\" id=\"finding-1\">"));
    assert_non_null(strstr(html, "<figure class=\"chart\" id=\"chart-1\">\n<noscript>\n<svg"));
    assert_non_null(strstr(html, "<script type=\"application/json\" id=\"perfleak-data\">{\"offset\":"));
    assert_non_null(strstr(html, ",\"charts\":[{\"id\":\"chart-1\",\"title\":"));
    assert_non_null(strstr(html, "<th class=\"num\" data-type=\"num\">Max</th>"));
    assert_non_null(strstr(txt, "LEAK \\\\WEB1\\Process(svc|x<y>&\"z\")\\Private Bytes\n"));
    /* one line, every figure once; a growth there from the start has no onset */
    if (!strstr(txt, "     +274 MB (+2745%) at 11.4 MB/h from the first sample, trend 10.0 MB -> 284 MB in 23.9 h (samples 10.0 MB -> 284 MB): steadily, no levelling off\n"))
        fail_msg("%s", txt);
    assert_null(strstr(txt, "since 2021-09-16 00:00"));
    assert_non_null(strstr(txt, "1 leak among 3 counters (1 ok, 1 with too little data)."));
    free(md);
    free(html);
    free(txt);
    pl_analysis_free(a);
}

static void count_warning(void *ctx, const char *msg)
{
    (void)msg;
    (*(int *)ctx)++;
}

/* What the reading warned of is in every report, with the log and line
 * it is about; the caller's callback still hears each one. */
static void test_warnings_in_reports(void **state)
{
    static const char log[] = "\"(PDH-CSV 4.0)\",\"\\\\H\\Memory\\Available MBytes\"\r\n"
                              "\"03/01/2026 00:00:00.000\",\"8000\"\r\n"
                              "\"not a time\",\"7980\"\r\n"
                              "\"03/01/2026 00:00:45.000\",\"7970\"\r\n";
    pl_analysis_opts o;
    pl_analysis *a;
    pl_error err;
    int heard = 0;
    char *md, *html, *js;
    const pl_warning *w;
    json_t *root, *ws;
    (void)state;
    pl_analysis_opts_init(&o);
    o.warn = count_warning;
    o.warn_ctx = &heard;
    assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
    assert_int_equal(pl_analysis_read_buffer(a, "c.csv", log, sizeof log - 1, 0, &err), PL_OK);
    assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
    assert_int_equal(pl_analysis_warning_count(a), 2);
    assert_int_equal(heard, 2);
    w = pl_analysis_warning(a, 1);
    assert_string_equal(w->file, "c.csv");
    assert_int_equal(w->line, 3);
    assert_false(w->has_offset);
    assert_non_null(strstr(w->text, "without a timestamp"));
    assert_null(strstr(w->text, "c.csv")); /* the file is its own field */
    md = render(a, PL_REPORT_MARKDOWN);
    html = render(a, PL_REPORT_HTML);
    js = render(a, PL_REPORT_JSON);
    assert_non_null(strstr(md, "## Caveats\n\n- c.csv, line 1: the header gives no UTC offset"));
    assert_non_null(strstr(md, "- c.csv, line 3: 1 row(s) without a timestamp"));
    assert_non_null(strstr(html, "<section class=\"caveats\" id=\"caveats\">"));
    assert_non_null(strstr(html, "<li><a href=\"#caveats\">Caveats (2)</a></li>"));
    assert_non_null(strstr(html, "c.csv, line 3: 1 row(s) without a timestamp like &quot;09/16/2021"));
    root = json_loads(js, 0, NULL);
    assert_non_null(root);
    ws = json_object_get(root, "warnings");
    assert_int_equal(json_array_size(ws), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(ws, 1), "file")), "c.csv");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(ws, 1), "line")), 3);
    assert_true(json_is_null(json_object_get(json_array_get(ws, 1), "offset")));
    assert_int_equal(json_integer_value(json_object_get(root, "warnings_left_out")), 0);
    json_decref(root);
    free(md);
    free(html);
    free(js);
    pl_analysis_free(a);
}

static void test_format_value(void **state)
{
    char b[64];
    (void)state;
    pl_format_value(10485760, PL_UNIT_BYTES, b, sizeof b); assert_string_equal(b, "10.0 MB");
    pl_format_value(419430400, PL_UNIT_BYTES, b, sizeof b); assert_string_equal(b, "400 MB");
    pl_format_value(1.25 * 1073741824.0, PL_UNIT_BYTES, b, sizeof b); assert_string_equal(b, "1.25 GB");
    pl_format_value(2.4e14, PL_UNIT_BYTES, b, sizeof b); assert_string_equal(b, "218 TB");
    pl_format_value(512, PL_UNIT_BYTES, b, sizeof b); assert_string_equal(b, "512 B");
    pl_format_value(10485759.9, PL_UNIT_BYTES, b, sizeof b); assert_string_equal(b, "10.0 MB");
    pl_format_value(99.97, PL_UNIT_NONE, b, sizeof b); assert_string_equal(b, "100");
    pl_format_value(0.99995, PL_UNIT_NONE, b, sizeof b); assert_string_equal(b, "1.00");
    pl_format_value(-3145728, PL_UNIT_BYTES, b, sizeof b); assert_string_equal(b, "-3.00 MB");
    pl_format_value(2048, PL_UNIT_MB, b, sizeof b); assert_string_equal(b, "2.00 GB");
    pl_format_value(1204, PL_UNIT_HANDLES, b, sizeof b); assert_string_equal(b, "1204 handles");
    pl_format_value(12.5, PL_UNIT_PERCENT, b, sizeof b); assert_string_equal(b, "12.5%");
    pl_format_value(0.5, PL_UNIT_NONE, b, sizeof b); assert_string_equal(b, "0.5");
    pl_format_value(NAN, PL_UNIT_BYTES, b, sizeof b); assert_string_equal(b, "n/a");
    pl_format_duration(3600 * 71.9, b, sizeof b); assert_string_equal(b, "71.9 h");
    pl_format_duration(86400 * 30, b, sizeof b); assert_string_equal(b, "30.0 days");
    pl_format_duration(90, b, sizeof b); assert_string_equal(b, "90 s");
    pl_format_duration(600, b, sizeof b); assert_string_equal(b, "10 min");
    /* cut, not rounded: a span just short of the hour a reason asks for
     * must not read as that hour */
    pl_format_duration(3595, b, sizeof b); assert_string_equal(b, "59 min");
    pl_format_duration(3600 * 2.99, b, sizeof b); assert_string_equal(b, "2.9 h");
    pl_format_duration(3600 * 4.3, b, sizeof b); assert_string_equal(b, "4.3 h");
    /* counts are whole numbers as amounts, not as rates */
    pl_format_amount(2.0, PL_UNIT_THREADS, b, sizeof b); assert_string_equal(b, "2 threads");
    pl_format_amount(2.45, PL_UNIT_HANDLES, b, sizeof b); assert_string_equal(b, "2 handles");
    pl_format_amount(-0.4, PL_UNIT_HANDLES, b, sizeof b); assert_string_equal(b, "0 handles");
    pl_format_amount(10485760, PL_UNIT_BYTES, b, sizeof b); assert_string_equal(b, "10.0 MB");
    pl_format_value(0.5, PL_UNIT_THREADS, b, sizeof b); assert_string_equal(b, "0.5 threads");
    /* one rule for percentages */
    pl_format_pct(5.4, 1, b, sizeof b); assert_string_equal(b, "+5.4%");
    pl_format_pct(5.04, 0, b, sizeof b); assert_string_equal(b, "5.0%");
    pl_format_pct(39.4, 1, b, sizeof b); assert_string_equal(b, "+39%");
    pl_format_pct(-9.7, 1, b, sizeof b); assert_string_equal(b, "-9.7%");
    pl_format_pct(9.97, 0, b, sizeof b); assert_string_equal(b, "10%");
    /* what rounds to zero has no sign: never "-0.0%" */
    pl_format_pct(-0.005, 1, b, sizeof b); assert_string_equal(b, "+0.0%");
    pl_format_pct(-0.04, 0, b, sizeof b); assert_string_equal(b, "0.0%");
}

static void test_write_dir(void **state)
{
    pl_analysis *a = analysed();
    pl_error err;
    char dir[] = "/tmp/perfleak-test-XXXXXX", path[256], *text;
    size_t len;
    FILE *f;
    (void)state;
    assert_non_null(mkdtemp(dir));
    /* Creates missing directories, writes the three reports, keeps other files. */
    snprintf(path, sizeof path, "%s/keep.txt", dir);
    f = fopen(path, "w");
    fputs("mine", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/out/deeper", dir);
    assert_int_equal(tu_report_write_dir(a, path, PL_CHARTS_NONE, &err), PL_OK);
    snprintf(path, sizeof path, "%s/out/deeper/report.json", dir);
    text = tu_read_file(path, &len);
    assert_non_null(text);
    assert_non_null(strstr(text, "\"verdict\": \"leak\""));
    free(text);
    snprintf(path, sizeof path, "%s/out/deeper/report.html", dir);
    assert_int_equal(access(path, R_OK), 0);
    snprintf(path, sizeof path, "%s/out/deeper/report.md", dir);
    assert_int_equal(access(path, R_OK), 0);
    snprintf(path, sizeof path, "%s/keep.txt", dir);
    text = tu_read_file(path, &len);
    assert_string_equal(text ? (text[len] = 0, text) : "", "mine");
    free(text);
    /* Writing into the same directory again replaces only our files and
     * leaves no temporary behind. */
    assert_int_equal(tu_report_write_dir(a, dir, PL_CHARTS_NONE, &err), PL_OK);
    {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 6", dir);
        assert_int_equal(system(cmd), 0); /* keep.txt, out, 3 reports, the manifest */
    }
    /* A path that is a file is refused. */
    assert_int_equal(tu_report_write_dir(a, path, PL_CHARTS_NONE, &err), PL_EIO);
    assert_non_null(strstr(err.msg, "is not a directory"));
    {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        assert_int_equal(system(cmd), 0);
    }
    pl_analysis_free(a);
}

/* A log of 25 minutes: every report says nothing could be judged, and
 * none says "No leak found"; the suspect comes first. */
static pl_analysis *short_log(const char *const *inc, size_t ninc)
{
    char buf[8192];
    size_t n;
    pl_analysis *a;
    pl_analysis_opts o;
    pl_error err;
    int i;
    n = (size_t)sprintf(buf, "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\B\\Process(code)\\Thread Count\","
                             "\"\\\\B\\Process(code)\\Private Bytes\",\"\\\\B\\Processor(_Total)\\%% Processor Time\"\r\n");
    for (i = 0; i <= 50; i++)
        n += (size_t)sprintf(buf + n, "\"01/05/2026 10:%02d:%02d.000\",\"%d\",\"%d\",\"%d\"\r\n",
                             i / 2, i % 2 * 30, 29 + i / 5, 50000000 + (i * 7919) % 1000, i * 2);
    pl_analysis_opts_init(&o);
    o.include = inc;
    o.n_include = ninc;
    assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
    assert_int_equal(pl_analysis_read_buffer(a, "short.csv", buf, n, 0, &err), PL_OK);
    assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
    return a;
}

static void test_nothing_judged(void **state)
{
    static const char *const all[] = {"*"}, *const none[] = {"*\\Nonexistent"};
    static const pl_report_format fmts[] = {PL_REPORT_TEXT, PL_REPORT_JSON, PL_REPORT_MARKDOWN,
                                            PL_REPORT_HTML};
    pl_analysis *a = short_log(all, 1);
    char why[400], *text;
    size_t i, *order;
    json_t *root, *sum;
    pl_error err;
    (void)state;
    assert_int_equal(pl_analysis_judged_count(a), 0);
    assert_int_equal(pl_analysis_finding_count(a), 0);
    assert_int_equal(pl_analysis_nothing_judged(a, why, sizeof why), 1);
    assert_string_equal(why, "the log covers only 25 min; log at least 1 h to judge");
    /* the thread count grew 10 threads in 25 min: suspect, ordered first */
    assert_int_equal(pl_analysis_order(a, &order, &err), PL_OK);
    assert_true(pl_analysis_counter(a, order[0])->finding.suspect);
    assert_string_equal(pl_analysis_counter(a, order[0])->parts.counter, "Thread Count");
    assert_false(pl_analysis_counter(a, order[1])->finding.suspect);
    assert_int_equal(pl_analysis_counter(a, 2)->finding.verdict, PL_VERDICT_NOT_APPLICABLE);
    free(order);
    for (i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
        text = render(a, fmts[i]);
        if (strstr(text, "No leak found") || !strstr(text, "the log covers only 25 min"))
            fail_msg("format %zu:\n%s", i, text);
        free(text);
    }
    text = render(a, PL_REPORT_TEXT);
    assert_non_null(strstr(text, "SUSPECT \\\\B\\Process(code)\\Thread Count\n"));
    assert_non_null(strstr(text, "Nothing could be judged: the log covers only 25 min"));
    free(text);
    text = render(a, PL_REPORT_JSON);
    root = json_loads(text, 0, NULL);
    assert_non_null(root);
    sum = json_object_get(root, "summary");
    assert_true(json_is_false(json_object_get(sum, "judged")));
    assert_string_equal(json_string_value(json_object_get(sum, "nothing_judged_because")), why);
    assert_int_equal(json_integer_value(json_object_get(sum, "suspect")), 1);
    assert_int_equal(json_integer_value(json_object_get(sum, "not-applicable")), 1);
    assert_int_equal(json_integer_value(json_object_get(sum, "insufficient-data")), 2);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(root, "counters"), 2), "kind")), "percent");
    json_decref(root);
    free(text);
    pl_analysis_free(a);
    /* no counter at all */
    a = short_log(none, 1);
    assert_int_equal(pl_analysis_nothing_judged(a, why, sizeof why), 1);
    assert_non_null(strstr(why, "no counter matched the selection"));
    text = render(a, PL_REPORT_MARKDOWN);
    assert_null(strstr(text, "No leak found"));
    assert_non_null(strstr(text, "Nothing could be judged"));
    free(text);
    pl_analysis_free(a);
    /* judged: no such sentence */
    a = analysed();
    assert_int_equal(pl_analysis_nothing_judged(a, why, sizeof why), 0);
    pl_analysis_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_contract),
        cmocka_unit_test(test_json_shortest_reals),
        cmocka_unit_test(test_json_halves),
        cmocka_unit_test(test_markdown_and_html),
        cmocka_unit_test(test_warnings_in_reports),
        cmocka_unit_test(test_format_value),
        cmocka_unit_test(test_write_dir),
        cmocka_unit_test(test_nothing_judged),
    };
    tu_filter();
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
