/* test_inputs.c - what a customer attaches, as it comes: a PerfLogs tree
 * made from the samples (two segments of one server, a second server, a
 * .blg, files that are no log) as a folder, a zip, a tar.gz, a tar.zst, a
 * zip inside a zip, and single .csv.gz and .blg.xz logs, each written
 * here with libarchive; and .tar.xz, .tar.bz2, .7z. Each must give the verdicts, culprits and exit
 * status of the extracted logs named one by one. A member named
 * "../../x" or "/tmp/x" writes nothing; a compression bomb stops within
 * seconds; a truncated archive is one line naming it; spreadsheet
 * re-saves are read. */
#include <archive.h>
#include <archive_entry.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "testutil.h"
#include "judged.h"
#include "blgwrite.h"
#include "perfleak/inputs.h"

typedef struct tfile {
    const char *name;
    char *data;
    size_t len;
} tfile;

static char tmpdir[64];
static tfile tree[7];
static size_t ntree;

static char *path_in(const char *name)
{
    static char buf[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static void write_file(const char *path, const void *d, size_t n)
{
    FILE *f;
    char dir[512], *s;
    snprintf(dir, sizeof dir, "%s", path);
    for (s = dir + strlen(tmpdir) + 1; (s = strchr(s, '/')); s++) {
        *s = '\0';
        mkdir(dir, 0700);
        *s = '/';
    }
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(d, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* files into an archive at path: zip 1 a zip, 2 a 7z, 0 a tar; filter */
static void write_archive(const char *path, int zip, int filter, const tfile *f, size_t n)
{
    struct archive *a = archive_write_new();
    size_t i;
    assert_non_null(a);
    if (zip == 1)
        assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
    else if (zip == 2)
        assert_int_equal(archive_write_set_format_7zip(a), ARCHIVE_OK);
    else
        assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
    if (filter)
        assert_int_equal(archive_write_add_filter(a, filter), ARCHIVE_OK);
    assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
    for (i = 0; i < n; i++) {
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, f[i].name);
        archive_entry_set_size(e, (la_int64_t)f[i].len);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
        assert_true(archive_write_data(a, f[i].data, f[i].len) == (la_ssize_t)f[i].len);
        archive_entry_free(e);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
}

/* one file compressed on its own (.gz, .xz) */
static void write_compressed(const char *path, int filter, const void *d, size_t n)
{
    struct archive *a = archive_write_new();
    struct archive_entry *e = archive_entry_new();
    assert_int_equal(archive_write_set_format_raw(a), ARCHIVE_OK);
    assert_int_equal(archive_write_add_filter(a, filter), ARCHIVE_OK);
    assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
    archive_entry_set_filetype(e, AE_IFREG);
    assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
    assert_true(archive_write_data(a, d, n) == (la_ssize_t)n);
    archive_entry_free(e);
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* What a run concludes, in an order that does not depend on the order
 * the logs were read in: each counter's path and verdict, the culprits,
 * and the exit status analyze would give. */
static char *digest_of(const char *const *inputs, size_t n, int *status, char *warnings, size_t wsize)
{
    pl_analysis_opts o;
    tu_judged j;
    pl_analysis *a;
    pl_error err;
    char **lines, *out;
    size_t nl = 0, i, len = 0, nc;
    tu_warnings w;
    memset(&w, 0, sizeof w);
    pl_analysis_opts_init(&o);
    o.warn = tu_keep_warning;
    o.warn_ctx = &w;
    assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
    for (i = 0; i < n; i++)
        if (pl_analysis_read_file(a, inputs[i], &err) != PL_OK)
            fail_msg("%s: %s", inputs[i], err.msg);
    assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
    assert_int_equal(tu_judge(&j, a, &err), PL_OK);
    nc = pl_analysis_counter_count(a);
    lines = calloc(nc + pl_diagnosis_count(j.d) + 1, sizeof *lines);
    assert_non_null(lines);
    for (i = 0; i < nc; i++) {
        const pl_counter *c = pl_analysis_counter(a, i);
        lines[nl] = malloc(strlen(c->path) + 32);
        sprintf(lines[nl++], "%s %s", c->path, pl_verdict_name(c->finding.verdict));
    }
    for (i = 0; i < pl_diagnosis_count(j.d); i++)
        lines[nl++] = strdup(pl_diagnosis_finding(j.d, i)->summary);
    qsort(lines, nl, sizeof *lines, cmp_str);
    for (i = 0; i < nl; i++)
        len += strlen(lines[i]) + 1;
    out = malloc(len + 1);
    out[0] = '\0';
    for (i = 0; i < nl; i++) {
        strcat(out, lines[i]);
        strcat(out, "\n");
        free(lines[i]);
    }
    free(lines);
    *status = pl_analysis_finding_count(a) || pl_diagnosis_count(j.d) ? 1 : pl_analysis_judged_count(a) ? 0 : 3;
    if (warnings) {
        size_t wl = strlen(w.text) < wsize - 1 ? strlen(w.text) : wsize - 1;
        memcpy(warnings, w.text, wl);
        warnings[wl] = '\0';
    }
    tu_judged_free(&j);
    return out;
}

/* The first and the second half of a log's rows, each with its header:
 * two segments of one capture. */
static void split_log(const char *text, size_t len, tfile *a, tfile *b)
{
    const char *hdr_end = (const char *)memchr(text, '\n', len) + 1, *p = hdr_end;
    size_t rows = 0, k = 0, hl = (size_t)(hdr_end - text);
    const char *mid = NULL;
    for (p = hdr_end; p < text + len; p = (const char *)memchr(p, '\n', (size_t)(text + len - p)) + 1)
        rows++;
    for (p = hdr_end; k < rows / 2; p = (const char *)memchr(p, '\n', (size_t)(text + len - p)) + 1)
        k++;
    mid = p;
    a->len = (size_t)(mid - text);
    a->data = malloc(a->len);
    memcpy(a->data, text, a->len);
    b->len = hl + (size_t)(text + len - mid);
    b->data = malloc(b->len);
    memcpy(b->data, text, hl);
    memcpy(b->data + hl, mid, (size_t)(text + len - mid));
}

static int setup(void **state)
{
    size_t len = 0;
    char *s1 = tu_read_file("samples/srv01-services-leak.csv", &len), *s2;
    tb_log blg;
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/perfleak-inputs-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    assert_non_null(s1);
    tree[0].name = "PerfLogs/Admin/SRV01_20260302-000001/DataCollector01.csv";
    tree[1].name = "PerfLogs/Admin/SRV01_20260302-000002/DataCollector01.csv";
    split_log(s1, len, &tree[0], &tree[1]);
    free(s1);
    s2 = tu_read_file("samples/srv02-pool-paged.csv", &len);
    assert_non_null(s2);
    tree[2].name = "PerfLogs/Admin/SRV02_20260130-000001/DataCollector01.csv";
    tree[2].data = s2;
    tree[2].len = len;
    tb_example_log(&blg, 4096, 300, 0);
    tree[3].name = "PerfLogs/Admin/SRV03_20260115-000001/DataCollector01.blg";
    tree[3].data = (char *)blg.out.p;
    tree[3].len = blg.out.n;
    tree[4].name = "PerfLogs/notes.txt";
    tree[4].data = strdup("collected by the customer on Tuesday\n");
    tree[4].len = strlen(tree[4].data);
    tree[5].name = "PerfLogs/System.evtx";
    tree[5].data = malloc(4096);
    memset(tree[5].data, 0, 4096);
    memcpy(tree[5].data, "ElfFile\0", 8);
    tree[5].len = 4096;
    ntree = 6;
    for (len = 0; len < ntree; len++)
        write_file(path_in(tree[len].name), tree[len].data, tree[len].len);
    return 0;
}

static int teardown(void **state)
{
    char cmd[128];
    size_t i;
    (void)state;
    for (i = 0; i < ntree; i++)
        free(tree[i].data);
    if (getenv("KEEP")) /* to look at what was written */
        return 0;
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* The tree as a folder and in archives of every kind: the answer of the
 * logs named one by one. */
static void test_same_answer(void **state)
{
    const char *logs[4];
    char *ref, *got, warn[4096];
    int ref_status, status;
    size_t i;
    tfile inner;
    (void)state;
    for (i = 0; i < 4; i++)
        logs[i] = path_in(tree[i].name);
    ref = digest_of(logs, 4, &ref_status, NULL, 0);
    assert_int_equal(ref_status, 1);
    assert_non_null(strstr(ref, "services")); /* the culprit of the first server */
    write_archive(path_in("case.zip"), 1, ARCHIVE_FILTER_NONE, tree, ntree);
    write_archive(path_in("case.tar.gz"), 0, ARCHIVE_FILTER_GZIP, tree, ntree);
    write_archive(path_in("case.tar.zst"), 0, ARCHIVE_FILTER_ZSTD, tree, ntree);
    write_archive(path_in("case.tar.xz"), 0, ARCHIVE_FILTER_XZ, tree, ntree);
    write_archive(path_in("case.tar.bz2"), 0, ARCHIVE_FILTER_BZIP2, tree, ntree);
    write_archive(path_in("case.7z"), 2, ARCHIVE_FILTER_NONE, tree, ntree);
    /* a zip inside a zip: opened one level deep */
    inner.name = "attachments/inner.zip";
    inner.data = tu_read_file(path_in("case.zip"), &inner.len);
    assert_non_null(inner.data);
    write_archive(path_in("outer.zip"), 1, ARCHIVE_FILTER_NONE, &inner, 1);
    free(inner.data);
    {
        static const char *const forms[] = {"PerfLogs", "case.zip", "case.tar.gz", "case.tar.zst",
                                            "case.tar.xz", "case.tar.bz2", "case.7z", "outer.zip"};
        for (i = 0; i < sizeof forms / sizeof forms[0]; i++) {
            const char *in = path_in(forms[i]);
            got = digest_of(&in, 1, &status, warn, sizeof warn);
            if (strcmp(got, ref) != 0)
                fail_msg("%s gives another answer:\n%s\nthan the logs one by one:\n%s", forms[i], got, ref);
            assert_int_equal(status, ref_status);
            /* the files that are no log, named from the input, once */
            assert_non_null(strstr(warn, "skipped 2 files that are not Performance Monitor logs"));
            assert_non_null(strstr(warn, "PerfLogs/System.evtx"));
            assert_non_null(strstr(warn, "PerfLogs/notes.txt"));
            free(got);
        }
    }
    free(ref);
    /* one log compressed on its own */
    write_compressed(path_in("srv02.csv.gz"), ARCHIVE_FILTER_GZIP, tree[2].data, tree[2].len);
    write_compressed(path_in("srv03.blg.xz"), ARCHIVE_FILTER_XZ, tree[3].data, tree[3].len);
    for (i = 2; i < 4; i++) {
        const char *plain = path_in(tree[i].name), *packed = path_in(i == 2 ? "srv02.csv.gz" : "srv03.blg.xz");
        int s1, s2;
        char *a = digest_of(&plain, 1, &s1, NULL, 0), *b = digest_of(&packed, 1, &s2, NULL, 0);
        assert_string_equal(a, b);
        assert_int_equal(s1, s2);
        free(a);
        free(b);
    }
}

/* Every log of an archive is named by the archive and its member. */
static void test_labels(void **state)
{
    pl_analysis *a;
    pl_error err;
    size_t i, found = 0;
    (void)state;
    write_archive(path_in("labels.zip"), 1, ARCHIVE_FILTER_NONE, tree, ntree);
    assert_int_equal(pl_analysis_create(&a, NULL, &err), PL_OK);
    assert_int_equal(pl_analysis_read_file(a, path_in("labels.zip"), &err), PL_OK);
    assert_int_equal(pl_analysis_log_count(a), 4);
    for (i = 0; i < pl_analysis_log_count(a); i++) {
        char want[600];
        snprintf(want, sizeof want, "%s:%s", path_in("labels.zip"), tree[i].name);
        found += strcmp(pl_analysis_log(a, i)->file, want) == 0;
    }
    assert_int_equal(found, 4);
    pl_analysis_free(a);
}

/* A member's name is a label: "../../x" and "/tmp/x" create nothing. */
static void test_traversal(void **state)
{
    char up[256], abs[256];
    tfile f[2];
    pl_analysis *a;
    pl_error err;
    struct stat sb;
    (void)state;
    snprintf(up, sizeof up, "../../../../../../../../tmp/perfleak-traversal-%ld.csv", (long)getpid());
    snprintf(abs, sizeof abs, "/tmp/perfleak-absolute-%ld.csv", (long)getpid());
    f[0].name = up;
    f[1].name = abs;
    f[0].data = f[1].data = tree[2].data;
    f[0].len = f[1].len = tree[2].len;
    write_archive(path_in("evil.tar"), 0, ARCHIVE_FILTER_NONE, f, 2);
    assert_int_equal(pl_analysis_create(&a, NULL, &err), PL_OK);
    if (pl_analysis_read_file(a, path_in("evil.tar"), &err) != PL_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(pl_analysis_log_count(a), 2);
    assert_non_null(strstr(pl_analysis_log(a, 0)->file, "evil.tar:../../"));
    pl_analysis_free(a);
    snprintf(up, sizeof up, "/tmp/perfleak-traversal-%ld.csv", (long)getpid());
    assert_int_not_equal(stat(up, &sb), 0);
    assert_int_not_equal(stat(abs, &sb), 0);
}

/* 512 MiB of one row in 30 KB: stopped at the ratio, within seconds;
 * with a limit given, at the limit. */
static void test_bomb(void **state)
{
    static const char hdr[] = "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\H\\Memory\\Available Bytes\"\r\n";
    static const char row[] = "\"01/01/2026 00:00:00.000\",\"1\"\r\n";
    struct archive *w = archive_write_new();
    struct archive_entry *e = archive_entry_new();
    char *block = malloc(1 << 20), *path = path_in("bomb.csv.zst");
    size_t i, k;
    pl_analysis *a;
    pl_analysis_opts o;
    pl_error err;
    struct timespec t0, t1;
    struct stat sb;
    (void)state;
    for (k = 0; k + sizeof row - 1 <= (1 << 20); k += sizeof row - 1)
        memcpy(block + k, row, sizeof row - 1);
    assert_int_equal(archive_write_set_format_raw(w), ARCHIVE_OK);
    assert_int_equal(archive_write_add_filter(w, ARCHIVE_FILTER_ZSTD), ARCHIVE_OK);
    assert_int_equal(archive_write_open_filename(w, path), ARCHIVE_OK);
    archive_entry_set_filetype(e, AE_IFREG);
    assert_int_equal(archive_write_header(w, e), ARCHIVE_OK);
    archive_write_data(w, hdr, sizeof hdr - 1);
    for (i = 0; i < 512; i++)
        assert_true(archive_write_data(w, block, k) == (la_ssize_t)k);
    archive_entry_free(e);
    assert_int_equal(archive_write_close(w), ARCHIVE_OK);
    archive_write_free(w);
    free(block);
    assert_int_equal(stat(path, &sb), 0);
    assert_true(sb.st_size < 1 << 20);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(pl_analysis_create(&a, NULL, &err), PL_OK);
    if (pl_analysis_read_file(a, path, &err) != PL_ELIMIT)
        fail_msg("the bomb: %s", err.msg);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_non_null(strstr(err.msg, "compression bomb"));
    assert_non_null(strstr(err.msg, "1000 times"));
    assert_true((double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec) < 5);
    pl_analysis_free(a);
    /* a limit given: the ratio no longer stops it, the size does */
    pl_analysis_opts_init(&o);
    o.max_expand = 100 << 20;
    assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
    assert_int_equal(pl_analysis_read_file(a, path, &err), PL_ELIMIT);
    if (!strstr(err.msg, "expands beyond 100 MB"))
        fail_msg("%s", err.msg);
    pl_analysis_free(a);
}

/* A truncated archive: one line naming it and the member it broke in. */
static void test_truncated(void **state)
{
    size_t len = 0;
    char *whole = tu_read_file(path_in("case.tar.gz"), &len);
    pl_analysis *a;
    pl_error err;
    (void)state;
    assert_non_null(whole);
    write_file(path_in("cut.tar.gz"), whole, len / 2);
    free(whole);
    assert_int_equal(pl_analysis_create(&a, NULL, &err), PL_OK);
    assert_int_equal(pl_analysis_read_file(a, path_in("cut.tar.gz"), &err), PL_EFORMAT);
    assert_non_null(strstr(err.msg, path_in("cut.tar.gz")));
    assert_non_null(strstr(err.msg, "damaged"));
    assert_null(strchr(err.msg, '\n'));
    pl_analysis_free(a);
    /* an archive holding no log says so */
    write_archive(path_in("nolog.zip"), 1, ARCHIVE_FILTER_NONE, &tree[4], 2);
    assert_int_equal(pl_analysis_create(&a, NULL, &err), PL_OK);
    assert_int_equal(pl_analysis_read_file(a, path_in("nolog.zip"), &err), PL_EFORMAT);
    assert_non_null(strstr(err.msg, "no Performance Monitor log"));
    pl_analysis_free(a);
}

/* A leaking log in the forms a spreadsheet re-saves it in, each read
 * with the verdicts of the log as Windows writes it. */
static void test_resaved(void **state)
{
    static const char *const forms[][4] = {
        /* quote, separator, decimal point, blank before the header */
        {"\"", ",", ".", ""},   /* as Windows writes it */
        {"", ",", ".", ""},     /* cells without quotes */
        {"", " ; ", ",", " "},  /* the Spanish Excel of the issue */
        {"", ";", ",", ""},
        {"\"", ";", ",", ""},
        {"\"", " , ", ".", " "},
    };
    char *ref = NULL;
    size_t f;
    (void)state;
    for (f = 0; f < sizeof forms / sizeof forms[0]; f++) {
        const char *q = forms[f][0], *sep = forms[f][1], *dp = forms[f][2];
        char *text = NULL, *path = path_in("resaved.csv"), *got;
        size_t len = 0;
        FILE *m = open_memstream(&text, &len);
        int i, status;
        const char *in = path;
        fprintf(m, "%s%s(PDH-CSV 4.0) (Romance Daylight Time)(-120)%s%s%s\\\\PC\\Process(svc)\\Private Bytes%s%s%s\\\\PC\\Memory\\Available Bytes%s\r\n",
                forms[f][3], q, q, sep, q, q, sep, q, q);
        for (i = 0; i < 240; i++)
            fprintf(m, "%s03/01/2026 %02d:%02d:00.000%s%s%s%d%s25%s%s%s%d%s75%s\r\n", q, i / 60, i % 60, q, sep, q,
                    10000000 + i * 50000, dp, q, sep, q, (int)(2000000000 - i * 1000), dp, q);
        assert_int_equal(fclose(m), 0);
        write_file(path, text, len);
        free(text);
        got = digest_of(&in, 1, &status, NULL, 0);
        assert_int_equal(status, 1);
        if (!ref)
            ref = got;
        else {
            if (strcmp(got, ref) != 0)
                fail_msg("form %zu is read otherwise:\n%s\nthan\n%s", f, got, ref);
            free(got);
        }
    }
    assert_non_null(strstr(ref, "Private Bytes leak"));
    free(ref);
}

/* Archives damaged at random (seeded): each gives the logs or one error
 * that names the archive, never a crash (make asan runs it too). */
static void test_damaged_archives(void **state)
{
    static const char *const src[] = {"case.zip", "case.tar.gz", "case.tar.zst", "outer.zip"};
    uint64_t x = 12345;
    size_t s, k, runs = 0, errors = 0;
    (void)state;
    for (s = 0; s < sizeof src / sizeof src[0]; s++) {
        size_t len = 0;
        char *whole = tu_read_file(path_in(src[s]), &len);
        assert_non_null(whole);
        for (k = 0; k < 30; k++) {
            char *d = malloc(len);
            size_t n = len, j, flips;
            pl_analysis *a;
            pl_error err;
            int rc;
            memcpy(d, whole, len);
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            if (k % 3 == 0) {
                n = 1 + (size_t)(x >> 33) % len; /* cut short */
            } else {
                flips = 1 + (size_t)(x >> 60);
                for (j = 0; j < flips; j++) {
                    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                    /* a third of the flips in the first 2 KiB: the headers */
                    d[(size_t)(x >> 33) % (k % 3 == 1 ? len : (len < 2048 ? len : 2048))] = (char)(x >> 24);
                }
            }
            write_file(path_in("damaged"), d, n);
            free(d);
            assert_int_equal(pl_analysis_create(&a, NULL, &err), PL_OK);
            rc = pl_analysis_read_file(a, path_in("damaged"), &err);
            if (rc != PL_OK) {
                errors++;
                if (rc != PL_EFORMAT && rc != PL_EIO && rc != PL_EUNSUPPORTED && rc != PL_EENCODING &&
                    rc != PL_ELIMIT)
                    fail_msg("%s mutant %zu: code %d: %s", src[s], k, rc, err.msg);
                if (!strstr(err.msg, path_in("damaged")))
                    fail_msg("%s mutant %zu: the error does not name the archive: %s", src[s], k, err.msg);
                if (strchr(err.msg, '\n'))
                    fail_msg("%s mutant %zu: more than one line: %s", src[s], k, err.msg);
            }
            pl_analysis_free(a);
            runs++;
        }
        free(whole);
    }
    print_message("%zu damaged archives: %zu errors, %zu read\n", runs, errors, runs - errors);
    assert_true(errors > runs / 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_answer),
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_traversal),
        cmocka_unit_test(test_bomb),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_damaged_archives),
        cmocka_unit_test(test_resaved),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, setup, teardown);
}
