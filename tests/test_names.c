/* test_names.c - names from a stranger's log in the outputs meant for a
 * person: a machine and an instance name holding an OSC title sequence,
 * a clear-screen, CR, a newline, a BiDi override, backticks, markup and a
 * javascript: link. The text report and the listing show every control
 * as a visible escape; report.md keeps its structure (one heading, the
 * same lines as with a plain name) and carries no markup of the name's. */
#include "testutil.h"
#include "judged.h"
#include <jansson.h>
#include "perfleak/batch.h"
#include "perfleak/report.h"
#include "util/internal.h"

#define EVIL_MACHINE "SR\x1b]52;c;cm0gLXJmIH4=\x07V\x1b[2J"
#define EVIL_INSTANCE "a\xe2\x80\xae" "b\rc\nd`x`` ![i](http://e/x.png) <img src=x onerror=alert(1)> [l](javascript:alert(1)) **"

static pl_analysis *analysed(const char *machine, const char *instance)
{
    size_t cap = 400000, n, k;
    char *buf = malloc(cap);
    pl_analysis *a;
    pl_error err;
    assert_non_null(buf);
    /* a quoted CSV cell may hold a newline; a doubled quote is a quote */
    n = (size_t)snprintf(buf, cap, "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\%s\\Process(%s)\\Private Bytes\"\r\n",
                         machine, instance);
    for (k = 0; k < 300; k++)
        n += (size_t)snprintf(buf + n, cap - n, "\"01/01/2026 %02zu:%02zu:00.000\",\"%zu\"\r\n", k / 60,
                              k % 60, 1000000 + k * 5000);
    assert_int_equal(pl_analysis_create(&a, NULL, &err), PL_OK);
    if (pl_analysis_read_buffer(a, "evil.csv", buf, n, 0, &err) != PL_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
    free(buf);
    return a;
}

static char *report(const pl_analysis *a, pl_report_format fmt)
{
    char *out = NULL;
    size_t len = 0;
    pl_error err;
    FILE *m = open_memstream(&out, &len);
    assert_int_equal(tu_report_write(a, fmt, m, &err), PL_OK);
    fclose(m);
    return out;
}

/* No byte a terminal acts on but the newlines that end lines. */
static void assert_visible(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    for (; *u; u++) {
        if ((*u < 0x20 && *u != '\n') || *u == 0x7f)
            fail_msg("raw control 0x%02x in:\n%s", *u, s);
        if (u[0] == 0xe2 && u[1] == 0x80 && u[2] == 0xae)
            fail_msg("raw U+202E in:\n%s", s);
    }
}

static size_t lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void test_terminal(void **state)
{
    pl_analysis *a = analysed(EVIL_MACHINE, EVIL_INSTANCE), *plain = analysed("SRV", "svc");
    char *txt = report(a, PL_REPORT_TEXT), *ptxt = report(plain, PL_REPORT_TEXT), *list = NULL;
    size_t len = 0;
    pl_error err;
    FILE *m = open_memstream(&list, &len);
    (void)state;
    assert_visible(txt);
    assert_non_null(strstr(txt, "SR\\x1b]52;c;cm0gLXJmIH4=\\x07V\\x1b[2J"));
    assert_non_null(strstr(txt, "a\\u202eb\\x0dc\\x0ad"));
    assert_int_equal(lines(txt), lines(ptxt));
    assert_int_equal(pl_counters_write(a, PL_REPORT_TEXT, m, &err), PL_OK);
    fclose(m);
    assert_visible(list);
    assert_int_equal(lines(list), 2);
    free(list);
    free(txt);
    free(ptxt);
    pl_analysis_free(a);
    pl_analysis_free(plain);
}

/* md with its code spans cut out, as CommonMark finds them: a run of
 * backticks opens one, the next run of the same length closes it. */
static char *outside_code(const char *md)
{
    char *out = malloc(strlen(md) + 1), *o = out;
    const char *p = md;
    assert_non_null(out);
    while (*p) {
        size_t n = strspn(p, "`");
        const char *q;
        if (!n) {
            *o++ = *p++;
            continue;
        }
        for (q = p + n; *q; q++) {
            size_t m = strspn(q, "`");
            if (m == n)
                break;
            q += m ? m - 1 : 0;
        }
        p = *q ? q + n : p + n;
    }
    *o = '\0';
    return out;
}

static void test_markdown(void **state)
{
    pl_analysis *a = analysed(EVIL_MACHINE, EVIL_INSTANCE), *plain = analysed("SRV", "svc");
    char *md = report(a, PL_REPORT_MARKDOWN), *pmd = report(plain, PL_REPORT_MARKDOWN), *text;
    const char *p;
    size_t h1 = 0;
    (void)state;
    assert_visible(md);
    assert_int_equal(lines(md), lines(pmd));
    for (p = md; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        h1 += strncmp(p, "# ", 2) == 0;
    assert_int_equal(h1, 1);
    /* no raw HTML; outside code the name's link and image are escaped
     * (inside a code span they are shown, not followed) */
    text = outside_code(md);
    assert_null(strstr(text, "<img"));
    assert_null(strstr(text, "<script"));
    assert_null(strstr(text, "[l](javascript:"));
    assert_null(strstr(text, "![i]"));
    free(text);
    assert_non_null(strstr(md, "&lt;img src=x onerror=alert(1)>"));
    assert_non_null(strstr(md, "\\[l\\](javascript:alert(1)) \\*\\*"));
    /* the code spans are fenced longer than the name's backtick runs */
    assert_non_null(strstr(md, "```"));
    free(md);
    free(pmd);
    pl_analysis_free(a);
    pl_analysis_free(plain);
}

static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A fleet run over three logs, the middle one unreadable, named with a
 * byte that is not UTF-8 and failing with a message that quotes text cut
 * to fit: three records, each valid JSON, the middle one an error record,
 * and the run's status is the bad log's, not "out of memory". */
static void test_jsonl_goes_on(void **state)
{
    char dir[] = "/tmp/perfleak-names-XXXXXX", bad[96], good[96], cmd[160], *out = NULL, *line;
    const char *logs[3];
    pl_analysis_opts opts;
    pl_batch_summary sum;
    pl_error err;
    size_t len = 0, n = 0;
    FILE *m;
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(good, sizeof good, "%s/a.csv", dir);
    snprintf(bad, sizeof bad, "%s/bad\xe9\xff.csv", dir);
    put_file(good, "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\SRV\\Memory\\Available MBytes\"\r\n"
                   "\"01/01/2026 00:00:00.000\",\"5\"\r\n");
    {
        /* a first cell of 3-byte characters, quoted cut in the message */
        char text[4096];
        size_t k, o = (size_t)snprintf(text, sizeof text, "\"x");
        for (k = 0; k < 600; k++)
            o += (size_t)snprintf(text + o, sizeof text - o, "\xe6\xbc\xa2");
        snprintf(text + o, sizeof text - o, "\"\r\n");
        put_file(bad, text);
    }
    logs[0] = good;
    logs[1] = bad;
    logs[2] = good;
    pl_analysis_opts_init(&opts);
    m = open_memstream(&out, &len);
    assert_int_equal(pl_batch_run(logs, 3, &opts, 2, m, &sum, &err), PL_OK);
    fclose(m);
    assert_int_equal(sum.logs, 3);
    assert_int_equal(sum.failed, 1);
    for (line = strtok(out, "\n"); line; line = strtok(NULL, "\n"), n++) {
        json_error_t je;
        json_t *r = json_loads(line, 0, &je);
        if (!r)
            fail_msg("record %zu is not JSON: %s", n, je.text);
        assert_true(pl_utf8_valid((const unsigned char *)line, strlen(line)));
        if (n == 1) {
            const char *e = json_string_value(json_object_get(r, "error"));
            assert_non_null(json_string_value(json_object_get(r, "log")));
            assert_non_null(e);
            assert_null(strstr(e, "out of memory"));
            assert_non_null(strstr(e, "not a Performance Monitor log"));
        } else {
            assert_non_null(json_object_get(r, "logs"));
        }
        json_decref(r);
    }
    assert_int_equal(n, 3);
    free(out);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* A message cut to fit its buffer never ends in half a character. */
static void test_message_cut(void **state)
{
    char name[3000];
    pl_error err;
    size_t k, o = 0;
    (void)state;
    for (k = 0; k < 900; k++)
        o += (size_t)snprintf(name + o, sizeof name - o, "\xe6\xbc\xa2");
    for (k = 0; k < 3; k++) {
        /* shift the cut through each byte of a character */
        pl_err(&err, PL_EFORMAT, "%.*s%s", (int)k, "ab", name);
        assert_true(strlen(err.msg) >= sizeof err.msg - 4);
        assert_true(pl_utf8_valid((const unsigned char *)err.msg, strlen(err.msg)));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_terminal),
        cmocka_unit_test(test_markdown),
        cmocka_unit_test(test_jsonl_goes_on),
        cmocka_unit_test(test_message_cut),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
