/* test_bounds.c - a log of thousands of leaking counters (every process of
 * a server leaking, or a hostile log made so) gives a report set of
 * bounded size: the most urgent charts only, a line saying how many were
 * left out, report.html, report.md and summary.png light, and report.json
 * still listing every finding. BOUNDS_N sets the count (10 000; make
 * asan draws fewer). */
#include <dirent.h>
#include <sys/stat.h>
#include "testutil.h"
#include "judged.h"
#include "perfleak/diagnose.h"
#include "perfleak/report.h"

static size_t bounds_n(void)
{
    const char *e = getenv("BOUNDS_N");
    return e && atoi(e) > 0 ? (size_t)atoi(e) : 10000;
}

/* n processes whose Private Bytes grow steadily over two hours, each at
 * its own rate (seeded: the same log every run). */
static char *leaky_log(size_t n, size_t *len)
{
    size_t cap = 64 + n * 40 + 121 * (28 + n * 13), o = 0, i, r;
    char *buf = malloc(cap);
    unsigned long long x = 0x9E3779B97F4A7C15ULL;
    assert_non_null(buf);
    o += (size_t)snprintf(buf + o, cap - o, "\"(PDH-CSV 4.0) (UTC)(0)\"");
    for (i = 0; i < n; i++)
        o += (size_t)snprintf(buf + o, cap - o, ",\"\\\\SRV\\Process(p%zu)\\Private Bytes\"", i);
    o += (size_t)snprintf(buf + o, cap - o, "\r\n");
    for (r = 0; r < 121; r++) {
        o += (size_t)snprintf(buf + o, cap - o, "\"01/01/2026 %02zu:%02zu:00.000\"", r / 60, r % 60);
        for (i = 0; i < n; i++) {
            unsigned long long v;
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            v = 10000000ULL + i * 1000ULL + r * (20000ULL + (i % 97) * 5000ULL) + x % 1000;
            o += (size_t)snprintf(buf + o, cap - o, ",%llu", v);
        }
        o += (size_t)snprintf(buf + o, cap - o, "\r\n");
        assert_true(o < cap);
    }
    *len = o;
    return buf;
}

static pl_analysis *analysed(size_t n, size_t max_charts)
{
    pl_analysis_opts o;
    pl_analysis *a;
    pl_error err;
    size_t len;
    char *log = leaky_log(n, &len);
    pl_analysis_opts_init(&o);
    o.max_charts = max_charts;
    assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
    if (pl_analysis_read_buffer(a, "leaky.csv", log, len, 0, &err) != PL_OK)
        fail_msg("%s", err.msg);
    free(log);
    assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
    return a;
}

/* Files and bytes in dir; how many are leak charts; report.md's text. */
static void survey(const char *dir, size_t *files, size_t *bytes, size_t *charts, char **md)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[512];
    size_t mdlen;
    *files = *bytes = *charts = 0;
    *md = NULL;
    assert_non_null(d);
    while ((e = readdir(d))) {
        struct stat st;
        if (e->d_name[0] == '.' && (!e->d_name[1] || e->d_name[1] == '.'))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        assert_int_equal(stat(path, &st), 0);
        (*files)++;
        *bytes += (size_t)st.st_size;
        *charts += strncmp(e->d_name, "leak-", 5) == 0;
        if (strcmp(e->d_name, "report.md") == 0)
            *md = tu_read_file(path, &mdlen);
    }
    closedir(d);
    assert_non_null(*md);
}

static void test_many_leaks(void **state)
{
    size_t n = bounds_n(), files, bytes, charts, findings;
    char dir[] = "/tmp/perfleak-bounds-XXXXXX", cmd[64], want[160], *md, *json;
    size_t jlen;
    tu_judged j;
    pl_analysis *a = analysed(n, 0);
    pl_error err;
    (void)state;
    assert_int_equal(tu_judge(&j, a, &err), PL_OK);
    assert_true(pl_diagnosis_count(j.d) > n * 9 / 10);
    findings = pl_analysis_finding_count(a);
    assert_true(findings > n * 9 / 10);
    assert_non_null(mkdtemp(dir));
    if (pl_report_write_dir(&j.r, dir, PL_CHARTS_FINDINGS, &err) != PL_OK)
        fail_msg("%s", err.msg);
    survey(dir, &files, &bytes, &charts, &md);
    assert_int_equal(charts, PL_MAX_CHARTS_DEFAULT);
    assert_true(files <= 120);
    assert_true(bytes <= (size_t)30 << 20);
    snprintf(want, sizeof want, "Charts are drawn for the %d most urgent of the %zu findings",
             PL_MAX_CHARTS_DEFAULT, findings);
    assert_non_null(strstr(md, want));
    assert_true(strlen(md) < (size_t)1 << 20);
    free(md);
    /* report.json lists every one */
    snprintf(want, sizeof want, "%s/report.json", dir);
    json = tu_read_file(want, &jlen);
    assert_non_null(json);
    {
        size_t k = 0;
        const char *p = json;
        /* compact beyond 2 000 counters, indented up to it */
        while ((p = strstr(p, "\"verdict\":"))) {
            p += strlen("\"verdict\":");
            k += strncmp(p + (*p == ' '), "\"leak\"", 6) == 0;
        }
        assert_int_equal(k, findings);
        /* and every culprit, written in batches like the counters */
        for (k = 0, p = json; (p = strstr(p, "\"identified_by\"")); k++, p++)
            ;
        assert_int_equal(k, pl_diagnosis_count(j.d));
    }
    free(json);
    {
        /* the text report names the first culprits whole and counts the rest */
        char *text, line[64], *at, *end;
        size_t tlen, shown = 0, nd = pl_diagnosis_count(j.d);
        FILE *m = open_memstream(&text, &tlen);
        assert_non_null(m);
        assert_int_equal(pl_report_write(&j.r, PL_REPORT_TEXT, m, &err), PL_OK);
        assert_int_equal(fclose(m), 0);
        snprintf(line, sizeof line, "\n%zu culprits: ", nd);
        at = strstr(text, line);
        assert_non_null(at);
        end = strchr(at + 1, '\n');
        assert_non_null(end);
        assert_true(end - at < 1024);
        for (const char *p = at; (p = strstr(p, "memory; ")) && p < end; p++)
            shown++;
        snprintf(line, sizeof line, "memory; and %zu more.\n", nd - shown);
        assert_true(end - at > (ptrdiff_t)strlen(line));
        assert_memory_equal(end + 1 - strlen(line), line, strlen(line));
        free(text);
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    tu_judged_free(&j);
}

/* A cap the user sets is the number of charts drawn, in every format. */
static void test_max_charts(void **state)
{
    size_t files, bytes, charts;
    char dir[] = "/tmp/perfleak-bounds-XXXXXX", cmd[64], *md, *html = NULL;
    size_t len = 0, figures = 0;
    const char *p;
    pl_analysis *a = analysed(40, 3);
    pl_error err;
    FILE *m = open_memstream(&html, &len);
    (void)state;
    assert_non_null(mkdtemp(dir));
    if (tu_report_write_dir(a, dir, PL_CHARTS_FINDINGS, &err) != PL_OK)
        fail_msg("%s", err.msg);
    survey(dir, &files, &bytes, &charts, &md);
    assert_int_equal(charts, 3);
    assert_non_null(strstr(md, "Charts are drawn for the 3 most urgent of the"));
    free(md);
    assert_int_equal(tu_report_write(a, PL_REPORT_HTML, m, &err), PL_OK);
    fclose(m);
    for (p = html; (p = strstr(p, "<figure class=\"chart\"")); p++)
        figures++;
    assert_int_equal(figures, 3);
    assert_non_null(strstr(html, "Charts are drawn for the 3 most urgent of the"));
    free(html);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    pl_analysis_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_leaks),
        cmocka_unit_test(test_max_charts),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
