/* test_l10n.c - logs from non-English Windows: every translated name in
 * the table is read by meaning (a small generated log per language), in
 * the language's ANSI code page (guessed, and given with --encoding) and
 * in UTF-16; and the real Russian export. */
#include <iconv.h>
#include <strings.h>
#include <math.h>
#include "testutil.h"
#include "judged.h"
#include "perfleak/analysis.h"
#include "perfleak/report.h"
#include "model/l10n.h"

/* The log's name of object_en in lang (English when not translated). */
static const char *local_object(const char *lang, const char *object_en)
{
    size_t i;
    const char *l, *o, *c, *loc, *src;
    for (i = 0; pl_l10n_row(i, &l, &o, &c, &loc, &src); i++)
        if (!c && strcmp(l, lang) == 0 && strcmp(o, object_en) == 0)
            return loc;
    return object_en;
}

static const char *code_page(const char *lang)
{
    if (strcmp(lang, "ru") == 0) return "WINDOWS-1251";
    if (strcmp(lang, "ja") == 0) return "CP932";
    if (strcmp(lang, "zh-CN") == 0) return "CP936";
    if (strcmp(lang, "ko") == 0) return "CP949";
    if (strcmp(lang, "pl") == 0 || strcmp(lang, "cs") == 0) return "WINDOWS-1250";
    if (strcmp(lang, "tr") == 0) return "WINDOWS-1254";
    return "WINDOWS-1252";
}

static char *recode(const char *utf8, const char *to, size_t *outlen)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    size_t inl = strlen(utf8), outl = inl * 4 + 8;
    char *out = malloc(outl), *op = out, *ip = (char *)(uintptr_t)utf8;
    assert_true(cd != (iconv_t)-1);
    assert_true(iconv(cd, &ip, &inl, &op, &outl) != (size_t)-1);
    iconv_close(cd);
    *outlen = (size_t)(op - out);
    return out;
}

/* A log of two counters of one language: the translated one (growing
 * 1 MB a sample) and, as a neighbour, the same object's English-named
 * ID Process (or nothing). */
static char *make_log(const char *lang, const char *object_en, const char *counter)
{
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    int r;
    n += (size_t)snprintf(b + n, cap - n,
                          "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\SRV\\%s%s\\%s\"\r\n",
                          local_object(lang, object_en), strcmp(object_en, "Process") == 0 ? "(app)" : "",
                          counter);
    for (r = 0; r < 40; r++)
        n += (size_t)snprintf(b + n, cap - n, "\"01/02/2026 %02d:%02d:00.000\",\"%d\"\r\n", r / 60,
                              r % 60, 100000000 + r * 5000000);
    return b;
}

static pl_analysis *read_log(const char *buf, size_t len, const char *encoding, int all)
{
    static const char *const star[] = {"*"};
    pl_analysis_opts o;
    pl_analysis *a;
    pl_error err;
    pl_analysis_opts_init(&o);
    o.encoding = encoding;
    if (all) {
        o.include = star;
        o.n_include = 1;
    }
    assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
    if (pl_analysis_read_buffer(a, "l10n.csv", buf, len, 0, &err) != PL_OK)
        fail_msg("%s", err.msg);
    return a;
}

static int in_default_set(const char *object_en, const char *counter_en)
{
    pl_path p;
    int in;
    memset(&p, 0, sizeof p);
    p.object = (char *)(uintptr_t)object_en;
    p.counter = (char *)(uintptr_t)counter_en;
    p.instance = (char *)(uintptr_t)"app";
    in = pl_counter_in_default_set(&p);
    return in;
}

static void check_counter(pl_analysis *a, const char *lang, const char *object_en,
                          const char *counter_en, const char *local, const char *how)
{
    const pl_counter *c;
    if (pl_analysis_counter_count(a) != 1)
        fail_msg("%s %s (%s): %zu counters read", lang, local, how, pl_analysis_counter_count(a));
    c = pl_analysis_counter(a, 0);
    if (strcmp(c->parts.object, object_en) != 0 || strcmp(c->parts.counter, counter_en) != 0)
        fail_msg("%s \"%s\" (%s): read as %s\\%s", lang, local, how, c->parts.object, c->parts.counter);
    assert_non_null(c->label);
    assert_non_null(strstr(c->label, counter_en));
}

/* The language read is the row's, or one that shares the name, or unknown
 * (NULL) only when the name is shared. */
static void check_lang(const char *got, const char *lang, const char *object_en, const char *local)
{
    size_t i;
    int shared = 0;
    const char *l, *o, *c, *loc, *src;
    for (i = 0; pl_l10n_row(i, &l, &o, &c, &loc, &src); i++)
        if (c && strcmp(l, lang) != 0 && strcmp(o, object_en) == 0 && strcasecmp(loc, local) == 0) {
            shared = 1;
            if (got && strcmp(got, l) == 0)
                return;
        }
    if (!got && shared)
        return;
    if (!got || strcmp(got, lang) != 0)
        fail_msg("%s \"%s\": language %s", lang, local, got ? got : "unknown");
}

/* Every counter row of the table, in UTF-8, in UTF-16LE and in the code
 * page named with --encoding: read under its English name; the default
 * set takes it when the English one is in the default set. */
static void test_every_translation(void **state)
{
    size_t i, checked = 0;
    const char *lang, *o, *c, *local, *src;
    (void)state;
    for (i = 0; pl_l10n_row(i, &lang, &o, &c, &local, &src); i++) {
        char *log, *enc;
        size_t n;
        pl_analysis *a;
        if (!c)
            continue;
        log = make_log(lang, o, local);
        a = read_log(log, strlen(log), NULL, 1);
        check_counter(a, lang, o, c, local, "UTF-8");
        check_lang(pl_analysis_counter(a, 0)->parts.lang, lang, o, local);
        assert_string_equal(pl_analysis_counter(a, 0)->parts.counter_local, local);
        pl_analysis_free(a);
        a = read_log(log, strlen(log), NULL, 0);
        assert_int_equal(pl_analysis_counter_count(a), in_default_set(o, c) ? 1 : 0);
        pl_analysis_free(a);
        enc = recode(log, "UTF-16LE", &n);
        a = read_log(enc, n, NULL, 1);
        check_counter(a, lang, o, c, local, "UTF-16LE");
        pl_analysis_free(a);
        free(enc);
        enc = recode(log, code_page(lang), &n);
        a = read_log(enc, n, code_page(lang), 1);
        check_counter(a, lang, o, c, local, code_page(lang));
        pl_analysis_free(a);
        free(enc);
        free(log);
        checked++;
    }
    assert_true(checked >= 60);
}

/* The code page is guessed from the header where the header says enough:
 * a Russian and a Japanese log of several counters, without --encoding. */
static void test_code_page_guess(void **state)
{
    static const struct {
        const char *lang, *cp, *header;
    } cases[] = {
        {"ru", "WINDOWS-1251",
         "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\SRV\\Процесс(сервис)\\Рабочий набор\",\"\\\\SRV\\Процесс(сервис)\\Байт исключительного пользования\",\"\\\\SRV\\Процесс(служба)\\Рабочий набор\""},
        {"ja", "CP932",
         "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\SRV\\Process(会計システム)\\Private Bytes\",\"\\\\SRV\\Process(会計システム)\\Working Set\",\"\\\\SRV\\メモリ\\Available MBytes\""},
    };
    size_t k;
    (void)state;
    for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char log[4096], *enc;
        size_t n;
        int r, m = snprintf(log, sizeof log, "%s\r\n", cases[k].header);
        pl_analysis *a;
        for (r = 0; r < 30; r++)
            m += snprintf(log + m, sizeof log - (size_t)m,
                          "\"01/02/2026 00:%02d:00.000\",\"1000\",\"2000\",\"3000\"\r\n", r);
        enc = recode(log, cases[k].cp, &n);
        a = read_log(enc, n, NULL, 1);
        assert_string_equal(pl_analysis_log(a, 0)->encoding, cases[k].cp);
        assert_int_equal(pl_analysis_counter_count(a), 3);
        if (k == 0) {
            assert_string_equal(pl_analysis_counter(a, 0)->parts.counter, "Working Set");
            assert_string_equal(pl_analysis_counter(a, 0)->parts.instance, "сервис");
            assert_string_equal(pl_analysis_counter(a, 1)->parts.counter, "Private Bytes");
        } else {
            assert_string_equal(pl_analysis_counter(a, 0)->parts.instance, "会計システム");
            assert_string_equal(pl_analysis_counter(a, 2)->parts.object, "Memory");
            assert_string_equal(pl_analysis_counter(a, 2)->parts.object_local, "メモリ");
        }
        pl_analysis_free(a);
        free(enc);
    }
}

/* Selection, exclusion and limits by English patterns on a German log;
 * case does not matter in the log's names either. */
static void test_english_patterns(void **state)
{
    static const char log[] =
        "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\SRV\\PROZESS(app)\\ARBEITSSEITEN\",\"\\\\SRV\\Arbeitsspeicher\\Auslagerungsseiten (Bytes)\"\r\n"
        "\"01/02/2026 00:00:00.000\",\"1\",\"2\"\r\n";
    static const char *const inc[] = {"Process(*)\\Working Set", "\\\\SRV\\Memory\\Pool Paged Bytes"};
    static const char *const exc[] = {"Memory\\*"};
    pl_analysis_opts o;
    pl_analysis *a;
    pl_error err;
    (void)state;
    pl_analysis_opts_init(&o);
    o.include = inc;
    o.n_include = 2;
    assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
    assert_int_equal(pl_analysis_read_buffer(a, "de.csv", log, sizeof log - 1, 0, &err), PL_OK);
    assert_int_equal(pl_analysis_counter_count(a), 2);
    assert_string_equal(pl_analysis_counter(a, 0)->path_en, "\\\\SRV\\Process(app)\\Working Set");
    assert_string_equal(pl_analysis_counter(a, 0)->label,
                        "\\\\SRV\\Process(app)\\Working Set (ARBEITSSEITEN)");
    assert_int_equal(pl_analysis_counter(a, 1)->unit, PL_UNIT_BYTES);
    pl_analysis_free(a);
    o.exclude = exc;
    o.n_exclude = 1;
    assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
    assert_int_equal(pl_analysis_read_buffer(a, "de.csv", log, sizeof log - 1, 0, &err), PL_OK);
    assert_int_equal(pl_analysis_counter_count(a), 1);
    pl_analysis_free(a);
}

/* The real Russian export: every Working Set counter of the default set
 * (276 columns less _Total and Idle), with correct Cyrillic. */
static void test_real_russian(void **state)
{
    char path[1024];
    pl_analysis_opts o;
    pl_analysis *a;
    pl_error err;
    size_t i;
    FILE *f;
    (void)state;
    snprintf(path, sizeof path, "%s/csv/pdhconv-DataCollector01-ru.csv", tu_shared_dir());
    if (!(f = fopen(path, "rb"))) {
        print_message("no %s: skipped\n", path);
        skip();
    }
    fclose(f);
    pl_analysis_opts_init(&o);
    assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
    assert_int_equal(pl_analysis_read_file(a, path, &err), PL_OK);
    /* 276 processes: the default set leaves out _Total and Idle, and
     * says so; an English pattern takes all 276 */
    assert_int_equal(pl_analysis_counter_count(a), 274);
    assert_int_equal(pl_analysis_aggregates_left_out(a), 2);
    {
        /* every report says so, not only the text one */
        static const pl_report_format fmts[] = {PL_REPORT_TEXT, PL_REPORT_MARKDOWN, PL_REPORT_HTML};
        size_t k;
        assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
        for (k = 0; k < 3; k++) {
            char *text = NULL;
            size_t len = 0;
            FILE *m = open_memstream(&text, &len);
            assert_int_equal(tu_report_write(a, fmts[k], m, &err), PL_OK);
            fclose(m);
            assert_non_null(strstr(text, "2 counters of Process(_Total) and Process(Idle) left out"));
            free(text);
        }
    }
    for (i = 0; i < pl_analysis_counter_count(a); i++) {
        const pl_counter *c = pl_analysis_counter(a, i);
        assert_string_equal(c->parts.counter, "Working Set");
        assert_string_equal(c->parts.counter_local, "Рабочий набор");
        assert_string_equal(c->parts.object_local, "Процесс");
        assert_int_equal(c->unit, PL_UNIT_BYTES);
        assert_non_null(strstr(c->path, "\\Процесс("));
    }
    pl_analysis_free(a);
    {
        static const char *const ws[] = {"Process(*)\\Working Set"};
        o.include = ws;
        o.n_include = 1;
        assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
        assert_int_equal(pl_analysis_read_file(a, path, &err), PL_OK);
        assert_int_equal(pl_analysis_counter_count(a), 276);
        assert_int_equal(pl_analysis_aggregates_left_out(a), 0);
        pl_analysis_free(a);
    }
    {
        /* a counter the table does not know, of a known object: matched by
         * an English pattern, labelled with the log's own path */
        static const char *const cpu[] = {"Process(svchost#1)\\% загруженности процессора"};
        const pl_counter *c;
        o.include = cpu;
        o.n_include = 1;
        assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
        assert_int_equal(pl_analysis_read_file(a, path, &err), PL_OK);
        assert_int_equal(pl_analysis_counter_count(a), 1);
        c = pl_analysis_counter(a, 0);
        assert_null(c->parts.counter_local);
        assert_string_equal(c->parts.object_local, "Процесс");
        assert_string_equal(c->label, c->path);
        assert_non_null(strstr(c->path, "\\Процесс(svchost#1)\\% загруженности процессора"));
        pl_analysis_free(a);
    }
}

/* The table's rows are sane and documented: no row repeats its English
 * name (it would mark English logs as translated), every language the
 * table covers has both objects or says they are English, and
 * docs/L10N.md lists every row with its source. */
static void test_table_documented(void **state)
{
    size_t i, len;
    const char *lang, *o, *c, *local, *src;
    char *doc = tu_read_file("docs/L10N.md", &len);
    (void)state;
    assert_non_null(doc);
    for (i = 0; pl_l10n_row(i, &lang, &o, &c, &local, &src); i++) {
        char cell[256];
        assert_true(strcasecmp(local, c ? c : o) != 0);
        assert_true(strcmp(src, "log") == 0 || strstr(src, "tp") || strstr(src, "docs") ||
                    strcmp(src, "?") == 0);
        snprintf(cell, sizeof cell, "| %s | %s |", local, src);
        if (!strstr(doc, cell))
            fail_msg("docs/L10N.md does not list %s \"%s\" (%s)", lang, local, src);
    }
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_translation),
        cmocka_unit_test(test_code_page_guess),
        cmocka_unit_test(test_english_patterns),
        cmocka_unit_test(test_real_russian),
        cmocka_unit_test(test_table_documented),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
