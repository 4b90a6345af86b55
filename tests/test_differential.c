/* test_differential.c - one log in every shape perfleak reads gives the
 * same verdicts: PDH-CSV, PDH-TSV, UTF-16LE with a BOM, LF line ends, and
 * perfleak's own convert of it read back (CSV and TSV); each read on one
 * thread and on two. */
#include <math.h>
#include "testutil.h"
#include "perfleak/analysis.h"
#include "perfleak/convert.h"

typedef struct verdicts {
    size_t n;
    char line[64][160];
} verdicts;

static void judge(const char *name, const char *buf, size_t len, int threads, verdicts *out)
{
    const char *all[] = {"*"};
    pl_analysis_opts o;
    pl_analysis *a;
    pl_error err;
    size_t i;
    pl_analysis_opts_init(&o);
    o.include = all;
    o.n_include = 1;
    o.threads = threads;
    assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
    if (pl_analysis_read_buffer(a, name, buf, len, 0, &err) != PL_OK)
        fail_msg("%s: %s", name, err.msg);
    assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
    out->n = pl_analysis_counter_count(a);
    assert_true(out->n > 0 && out->n <= 64);
    for (i = 0; i < out->n; i++) {
        const pl_counter *c = pl_analysis_counter(a, i);
        /* the verdict and its rate to 6 digits: the shapes differ in how
         * numbers are written (convert's shortest round-trip form) */
        snprintf(out->line[i], sizeof out->line[i], "%s %s %.6g", c->path,
                 pl_verdict_name(c->finding.verdict), c->finding.slope_per_hour);
    }
    pl_analysis_free(a);
}

static void same(const verdicts *a, const verdicts *b, const char *what)
{
    size_t i;
    if (a->n != b->n)
        fail_msg("%s: %zu counters against %zu", what, b->n, a->n);
    for (i = 0; i < a->n; i++)
        if (strcmp(a->line[i], b->line[i]) != 0)
            fail_msg("%s:\n  %s\n  %s", what, a->line[i], b->line[i]);
}

/* s with every `","` made `"\t"` (PDH-TSV). */
static char *to_tsv(const char *s, size_t len, size_t *out_len)
{
    char *t = malloc(len + 1);
    size_t i, n = 0;
    for (i = 0; i < len; i++) {
        if (s[i] == ',' && i > 0 && s[i - 1] == '"' && i + 1 < len && s[i + 1] == '"')
            t[n++] = '\t';
        else
            t[n++] = s[i];
    }
    *out_len = n;
    return t;
}

static char *to_utf16(const char *s, size_t len, size_t *out_len)
{
    unsigned char *t = malloc(2 * len + 2);
    size_t i;
    t[0] = 0xFF;
    t[1] = 0xFE;
    for (i = 0; i < len; i++) {
        t[2 + 2 * i] = (unsigned char)s[i]; /* the samples are ASCII */
        t[3 + 2 * i] = 0;
    }
    *out_len = 2 * len + 2;
    return (char *)t;
}

static char *to_lf(const char *s, size_t len, size_t *out_len)
{
    char *t = malloc(len + 1);
    size_t i, n = 0;
    for (i = 0; i < len; i++)
        if (s[i] != '\r')
            t[n++] = s[i];
    *out_len = n;
    return t;
}

static char *converted(const char *path, char delim, size_t *out_len)
{
    pl_convert_opts o;
    const char *logs[1];
    pl_error err;
    char *text = NULL;
    FILE *m = open_memstream(&text, out_len);
    assert_non_null(m);
    pl_convert_opts_init(&o);
    o.delimiter = delim;
    logs[0] = path;
    assert_int_equal(pl_convert(logs, 1, &o, m, &err), PL_OK);
    fclose(m);
    return text;
}

static void test_shapes(void **state)
{
    static const char *const logs[] = {"samples/srv01-services-leak.csv",
                                       "samples/srv02-pool-paged.csv"};
    size_t k;
    (void)state;
    for (k = 0; k < sizeof logs / sizeof logs[0]; k++) {
        size_t len = 0, n;
        char *csv = tu_read_file(logs[k], &len), *t;
        verdicts ref, got;
        int threads;
        assert_non_null(csv);
        judge("ref.csv", csv, len, 1, &ref);
        for (threads = 1; threads <= 2; threads++) {
            judge("same.csv", csv, len, threads, &got);
            same(&ref, &got, "CSV");
            t = to_tsv(csv, len, &n);
            judge("x.tsv", t, n, threads, &got);
            same(&ref, &got, "TSV");
            free(t);
            t = to_utf16(csv, len, &n);
            judge("x16.csv", t, n, threads, &got);
            same(&ref, &got, "UTF-16LE");
            free(t);
            t = to_lf(csv, len, &n);
            judge("lf.csv", t, n, threads, &got);
            same(&ref, &got, "LF");
            free(t);
            t = converted(logs[k], ',', &n);
            judge("conv.csv", t, n, threads, &got);
            same(&ref, &got, "convert -f csv");
            free(t);
            t = converted(logs[k], '\t', &n);
            judge("conv.tsv", t, n, threads, &got);
            same(&ref, &got, "convert -f tsv");
            free(t);
        }
        free(csv);
    }
}

/* A real .blg whose processes come and go, and its conversion: the same
 * samples and missing values for every counter (rows before an instance
 * appeared are blank cells in the CSV, and missing values in the .blg). */
static void test_blg_and_its_conversion(void **state)
{
    const char *all[] = {"*"};
    char path[1024];
    size_t len = 0, i;
    char *csv;
    FILE *f;
    pl_analysis *a, *b;
    pl_analysis_opts o;
    pl_error err;
    (void)state;
    snprintf(path, sizeof path, "%s/blg/pal-SampleLog.blg", tu_shared_dir());
    if (!(f = fopen(path, "rb"))) {
        print_message("no %s: skipped\n", path);
        skip();
    }
    fclose(f);
    csv = converted(path, ',', &len);
    pl_analysis_opts_init(&o);
    o.include = all;
    o.n_include = 1;
    assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
    assert_int_equal(pl_analysis_create(&b, &o, &err), PL_OK);
    assert_int_equal(pl_analysis_read_file(a, path, &err), PL_OK);
    assert_int_equal(pl_analysis_read_buffer(b, "pal.csv", csv, len, 0, &err), PL_OK);
    assert_int_equal(pl_analysis_counter_count(a), pl_analysis_counter_count(b));
    for (i = 0; i < pl_analysis_counter_count(a); i++) {
        const pl_counter *ca = pl_analysis_counter(a, i), *cb = pl_analysis_counter(b, i);
        const pl_series_stats *sa = pl_series_get_stats(pl_store_series(pl_analysis_store(a), ca->series));
        const pl_series_stats *sb = pl_series_get_stats(pl_store_series(pl_analysis_store(b), cb->series));
        assert_string_equal(ca->path, cb->path);
        if (sa->samples != sb->samples || sa->missing != sb->missing)
            fail_msg("%s: %zu/%zu samples/missing in the .blg, %zu/%zu in its CSV", ca->path,
                     sa->samples, sa->missing, sb->samples, sb->missing);
    }
    pl_analysis_free(a);
    pl_analysis_free(b);
    free(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_blg_and_its_conversion),
    };
    tu_filter();
    return cmocka_run_group_tests_name("differential", tests, NULL, NULL);
}
