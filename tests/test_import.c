/* test_import.c - the PDH-CSV/TSV reader: values, missing cells, time
 * zones, encodings (BOMs, UTF-16LE, guessed ANSI code pages), repairs and
 * refusals; and, as libcsv tests itself, the same rows at every chunk size. */
#include <iconv.h>
#include <limits.h>
#include <math.h>
#include "testutil.h"
#include "perfleak/import.h"
#include "util/internal.h"
#include "read/number.h"

/* ---------- a sink that renders everything it sees as text ---------- */

typedef struct capture {
    char *text;
    size_t len, cap;
    char warnings[4096];
    char encoding[64];
    int guessed;
    size_t ncols;
    int tz_known;
} capture;

static void cat(capture *c, const char *s)
{
    size_t n = strlen(s);
    if (c->len + n + 1 > c->cap) {
        c->cap = (c->len + n + 1) * 2;
        c->text = realloc(c->text, c->cap);
        assert_non_null(c->text);
    }
    memcpy(c->text + c->len, s, n + 1);
    c->len += n;
}

static int cap_header(void *ctx, pl_log_header *h, pl_error *err)
{
    capture *c = ctx;
    char buf[512];
    size_t i;
    (void)err;
    snprintf(c->encoding, sizeof c->encoding, "%s", h->encoding);
    c->guessed = h->encoding_guessed;
    c->ncols = h->ncols;
    c->tz_known = h->tz->bias_known;
    snprintf(buf, sizeof buf, "tz=%s|%s|%d|%d delim=%d\n", h->tz->format, h->tz->name,
             h->tz->bias, h->tz->bias_known, h->delimiter);
    cat(c, buf);
    for (i = 0; i < h->ncols; i++) {
        cat(c, "path=");
        cat(c, h->paths[i]);
        cat(c, "\n");
    }
    return PL_OK;
}

static int cap_row(void *ctx, pl_time t, const double *v, size_t n, pl_error *err)
{
    capture *c = ctx;
    char buf[64];
    size_t i;
    (void)err;
    snprintf(buf, sizeof buf, "%lld", (long long)t);
    cat(c, buf);
    for (i = 0; i < n; i++) {
        if (isnan(v[i]))
            snprintf(buf, sizeof buf, ",-");
        else
            snprintf(buf, sizeof buf, ",%.17g", v[i]);
        cat(c, buf);
    }
    cat(c, "\n");
    return PL_OK;
}

static void cap_warn(void *ctx, const char *msg)
{
    capture *c = ctx;
    size_t n = strlen(c->warnings);
    snprintf(c->warnings + n, sizeof c->warnings - n, "%s\n", msg);
}

/* Threads the reader uses in run(): 1, or 2 (rows stored on a second
 * thread); test state only. */
static int run_threads = 1;

/* Reads buf in pieces of chunk bytes; returns the reader's code. */
static int run(const char *buf, size_t len, size_t chunk, const char *encoding,
               capture *c, pl_error *err)
{
    pl_reader *r;
    pl_reader_opts o = {encoding, cap_warn, c, run_threads, NULL, NULL, 0, 0};
    pl_reader_sink s = {c, cap_header, cap_row, NULL, NULL, NULL};
    size_t off = 0;
    int rc;
    memset(c, 0, sizeof *c);
    assert_int_equal(pl_reader_create(&r, "t.csv", &o, &s, err), PL_OK);
    rc = PL_OK;
    while (off < len && rc == PL_OK) {
        size_t k = len - off < chunk ? len - off : chunk;
        rc = pl_reader_feed(r, buf + off, k, err);
        off += k;
    }
    if (rc == PL_OK)
        rc = pl_reader_finish(r, err);
    pl_reader_free(r);
    return rc;
}

/* Every chunk size from 1 to len, on one thread and on two, gives exactly
 * the one-thread whole-buffer result. */
static void check_all_chunks(const char *buf, size_t len, const char *encoding)
{
    capture whole, part;
    pl_error err;
    size_t chunk;
    run_threads = 1;
    assert_int_equal(run(buf, len, len, encoding, &whole, &err), PL_OK);
    assert_non_null(whole.text);
    for (chunk = 1; chunk <= len; chunk++) {
        for (run_threads = 1; run_threads <= 2; run_threads++) {
            assert_int_equal(run(buf, len, chunk, encoding, &part, &err), PL_OK);
            assert_string_equal(part.text, whole.text);
            assert_string_equal(part.warnings, whole.warnings);
            free(part.text);
        }
    }
    run_threads = 1;
    free(whole.text);
}

static char *convert(const char *from_utf8, const char *to, size_t *outlen)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    size_t inl = strlen(from_utf8), outl = inl * 4 + 8;
    char *out = malloc(outl), *op = out, *ip = (char *)(uintptr_t)from_utf8;
    assert_true(cd != (iconv_t)-1);
    assert_true(iconv(cd, &ip, &inl, &op, &outl) != (size_t)-1);
    iconv_close(cd);
    *outlen = (size_t)(op - out);
    return out;
}

static const char basic[] =
    "\"(PDH-CSV 4.0) (Pacific Standard Time)(480)\",\"\\\\SRV\\Process(a)\\Private Bytes\","
    "\"\\\\SRV\\Memory\\Pool Paged Bytes\"\r\n"
    "\"03/02/2026 00:00:00.123\",\" \",\"1000\"\r\n"
    "\"03/02/2026 00:02:00.456\",\"10485760\",\"1001.5\"\r\n"
    "\"03/02/2026 00:04:00.789\",\"0.032083023520161361\",\"238132991823872\"\r\n";

static void test_values_and_missing(void **state)
{
    capture c;
    pl_error err;
    (void)state;
    assert_int_equal(run(basic, sizeof basic - 1, 4096, NULL, &c, &err), PL_OK);
    /* Local 00:00 PST = 08:00 UTC. */
    assert_non_null(strstr(c.text, "tz=PDH-CSV|Pacific Standard Time|480|1 delim=44\n"));
    assert_non_null(strstr(c.text, "path=\\\\SRV\\Process(a)\\Private Bytes\n"));
    assert_non_null(strstr(c.text, "17724384001230000,-,1000\n"));
    assert_non_null(strstr(c.text, "17724385204560000,10485760,1001.5\n"));
    assert_non_null(strstr(c.text, ",0.032083023520161361,238132991823872\n"));
    assert_string_equal(c.encoding, "UTF-8");
    assert_int_equal(c.guessed, 0);
    assert_string_equal(c.warnings, "");
    free(c.text);
}

static void test_chunks_csv_crlf(void **state)
{
    (void)state;
    check_all_chunks(basic, sizeof basic - 1, NULL);
}

static void test_chunks_tsv_lf(void **state)
{
    static const char tsv[] =
        "\"(PDH-TSV 4.0) (Pacific Standard Time)(480)\"\t\"\\\\h\\Memory\\Committed Bytes\"\t"
        "\"\\\\h\\Process(x y)\\Working Set\"\n"
        "\"11/26/2016 13:46:50.000\"\t\" \"\t\"5\"\n"
        "\"11/26/2016 13:46:51.000\"\t\"7\"\t\" 6\"\n";
    capture c;
    pl_error err;
    (void)state;
    check_all_chunks(tsv, sizeof tsv - 1, NULL);
    assert_int_equal(run(tsv, sizeof tsv - 1, 7, NULL, &c, &err), PL_OK);
    assert_non_null(strstr(c.text, "tz=PDH-TSV|Pacific Standard Time|480|1 delim=9\n"));
    /* Tabs are delimiters here, never trimmed as white space. */
    assert_non_null(strstr(c.text, ",7,6\n"));
    assert_non_null(strstr(c.text, "path=\\\\h\\Process(x y)\\Working Set\n"));
    free(c.text);
}

static const char russian[] =
    "\"(PDH-CSV 4.0) (RTZ 2 (\",\"\\\\DESKTOP\\Процесс(svchost)\\Рабочий набор\","
    "\"\\\\DESKTOP\\Процесс(svchost#1)\\Рабочий набор\",\"\\\\DESKTOP\\Процесс(Idle)\\"
    "% загруженности процессора\",\"\\\\DESKTOP\\Память\\Байт выгружаемого страничного пула\"\r\n"
    "\"09/20/2021 16:48:17.954\",\"1\",\"2\",\"3\",\"4\"\r\n"
    "\"09/20/2021 16:48:18.945\",\"5\",\"6\",\"7\",\"8\"\r\n";

static void test_utf16le_bom(void **state)
{
    size_t n;
    char *u16 = convert(russian, "UTF-16LE", &n);
    char *buf = malloc(n + 2);
    capture c;
    pl_error err;
    (void)state;
    memcpy(buf, "\xFF\xFE", 2);
    memcpy(buf + 2, u16, n);
    assert_int_equal(run(buf, n + 2, 3, NULL, &c, &err), PL_OK);
    assert_string_equal(c.encoding, "UTF-16LE");
    assert_non_null(strstr(c.text, "path=\\\\DESKTOP\\Процесс(svchost)\\Рабочий набор\n"));
    assert_non_null(strstr(c.text, ",5,6,7,8\n"));
    /* Cut-off Russian zone: bias guessed from "RTZ 2" (UTC+3). */
    assert_int_equal(c.tz_known, 2);
    assert_non_null(strstr(c.warnings, "RTZ 2"));
    free(c.text);
    check_all_chunks(buf, n + 2, NULL);
    /* Without a BOM the NUL pattern still says UTF-16LE. */
    assert_int_equal(run(u16, n, 5, NULL, &c, &err), PL_OK);
    assert_string_equal(c.encoding, "UTF-16LE");
    assert_non_null(strstr(c.text, "Рабочий набор"));
    free(c.text);
    free(buf);
    free(u16);
}

static void test_utf8_bom(void **state)
{
    size_t n = sizeof russian - 1;
    char *buf = malloc(n + 3);
    capture c;
    pl_error err;
    (void)state;
    memcpy(buf, "\xEF\xBB\xBF", 3);
    memcpy(buf + 3, russian, n);
    assert_int_equal(run(buf, n + 3, 11, NULL, &c, &err), PL_OK);
    assert_string_equal(c.encoding, "UTF-8");
    assert_non_null(strstr(c.text, "tz=PDH-CSV|RTZ 2|-180|2"));
    assert_non_null(strstr(c.text, "path=\\\\DESKTOP\\Процесс(svchost#1)\\Рабочий набор\n"));
    free(c.text);
    check_all_chunks(buf, n + 3, NULL);
    free(buf);
}

static void test_cp1251_guessed(void **state)
{
    size_t n;
    char *cp = convert(russian, "WINDOWS-1251", &n);
    capture c;
    pl_error err;
    (void)state;
    assert_int_equal(run(cp, n, 13, NULL, &c, &err), PL_OK);
    assert_string_equal(c.encoding, "WINDOWS-1251");
    assert_int_equal(c.guessed, 1);
    assert_non_null(strstr(c.text, "path=\\\\DESKTOP\\Память\\Байт выгружаемого страничного пула\n"));
    free(c.text);
    check_all_chunks(cp, n, NULL);
    free(cp);
}

static void test_encoding_override(void **state)
{
    /* KOI8-R bytes would be misread as Windows-1251; --encoding says so. */
    size_t n;
    char *k = convert(russian, "KOI8-R", &n);
    capture c;
    pl_error err;
    (void)state;
    assert_int_equal(run(k, n, 64, "KOI8-R", &c, &err), PL_OK);
    assert_string_equal(c.encoding, "KOI8-R");
    assert_int_equal(c.guessed, 0);
    assert_non_null(strstr(c.text, "Рабочий набор"));
    free(c.text);
    assert_int_equal(run(k, n, 64, "NO-SUCH-CHARSET", &c, &err), PL_EENCODING);
    assert_non_null(strstr(err.msg, "NO-SUCH-CHARSET"));
    free(c.text);
    free(k);
}

static void test_invalid_utf8_in_header_is_guessed(void **state)
{
    /* Latin-1 bytes are not UTF-8: the reader must not pass them through. */
    static const char l1[] = "\"(PDH-CSV 4.0) (Mitteleurop\xe4ische Zeit)(-60)\","
                             "\"\\\\H\\Proze\xdf(a)\\Arbeitsseiten\"\n\"01/02/2026 03:04:05.000\",\"1\"\n";
    capture c;
    pl_error err;
    (void)state;
    assert_int_equal(run(l1, sizeof l1 - 1, 5, NULL, &c, &err), PL_OK);
    assert_int_equal(c.guessed, 1);
    assert_non_null(strstr(c.text, "path=\\\\H\\Prozeß(a)\\Arbeitsseiten\n"));
    assert_non_null(strstr(c.text, "|Mitteleuropäische Zeit|-60|1"));
    free(c.text);
}

static void test_refusals(void **state)
{
    capture c;
    pl_error err;
    static const char plain[] = "time,processid,virtual,private\n10:22.1,42069,7.1,8.7\n";
    static const char nocounters[] = "\"(PDH-CSV 4.0) (UTC)(0)\"\n\"01/01/2026 00:00:00.000\"\n";
    static const char badts[] = "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\h\\Memory\\Committed Bytes\"\n"
                                "\"yesterday\",\"1\"\n\"2026-01-01\",\"2\"\n";
    static const char badpath[] = "\"(PDH-CSV 4.0) (UTC)(0)\",\"just a name\"\n";
    static const char notz[] = "\"Time\",\"\\\\h\\Memory\\Committed Bytes\"\n";
    (void)state;
    assert_int_equal(run(plain, sizeof plain - 1, 3, NULL, &c, &err), PL_EFORMAT);
    assert_string_equal(err.msg, "t.csv:1: not a Performance Monitor log: expected a header starting with \"(PDH-CSV 4.0)\", got \"time,processid,virtual,private\"");
    free(c.text);
    assert_int_equal(run("", 0, 1, NULL, &c, &err), PL_EFORMAT);
    assert_non_null(strstr(err.msg, "empty file"));
    free(c.text);
    assert_int_equal(run(nocounters, sizeof nocounters - 1, 1, NULL, &c, &err), PL_EFORMAT);
    assert_non_null(strstr(err.msg, "t.csv:1: expected counter paths"));
    free(c.text);
    assert_int_equal(run(badts, sizeof badts - 1, 2, NULL, &c, &err), PL_EFORMAT);
    assert_non_null(strstr(err.msg, "t.csv:2: expected a timestamp like"));
    assert_non_null(strstr(err.msg, "\"yesterday\""));
    free(c.text);
    assert_int_equal(run(badpath, sizeof badpath - 1, 4096, NULL, &c, &err), PL_EFORMAT);
    assert_non_null(strstr(err.msg, "t.csv:1: column 2: not a Performance Monitor log"));
    free(c.text);
    assert_int_equal(run(notz, sizeof notz - 1, 4096, NULL, &c, &err), PL_EFORMAT);
    free(c.text);
}

static void test_repairs_are_warned(void **state)
{
    static const char log[] =
        "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\h\\Memory\\A\",\"\\\\h\\Memory\\B\"\n"
        "\"01/01/2026 00:00:00.000\",\"1\",\"2\"\n"
        "\"01/01/2026 00:00:01.000\",\"3\"\n"                 /* short */
        "\"01/01/2026 00:00:02.000\",\"4\",\"5\",\"6\"\n"     /* long */
        "\"bad time\",\"7\",\"8\"\n"                          /* skipped */
        "\"01/01/2026 00:00:04.000\",\"abc\",\"-\"\n"         /* not numbers */
        "\"01/01/2026 00:00:05.000\",\"9\",\"1";              /* cut off */
    capture c;
    pl_error err;
    (void)state;
    assert_int_equal(run(log, sizeof log - 1, 4096, NULL, &c, &err), PL_OK);
    assert_non_null(strstr(c.text, "\n17672256010000000,3,-\n"));
    assert_non_null(strstr(c.text, "\n17672256020000000,4,5\n"));
    assert_non_null(strstr(c.text, "\n17672256040000000,-,-\n"));
    assert_null(strstr(c.text, "17672256050000000,"));
    assert_non_null(strstr(c.warnings, "t.csv:5: 1 row(s) without a timestamp"));
    assert_non_null(strstr(c.warnings, "t.csv:3: 1 row(s) had fewer than 3 cells"));
    assert_non_null(strstr(c.warnings, "t.csv:4: 1 row(s) had more than 3 cells"));
    assert_non_null(strstr(c.warnings, "t.csv:6: column 2: 2 value(s) that are not numbers (first: \"abc\")"));
    assert_non_null(strstr(c.warnings, "t.csv:7: the last row is incomplete"));
    free(c.text);
    check_all_chunks(log, sizeof log - 1, NULL);
}

static void test_header_only(void **state)
{
    static const char log[] = "\"(Pacific Daylight Time)(420)\",\"\\\\h\\Memory\\A\"\r\n";
    capture c;
    pl_error err;
    (void)state;
    assert_int_equal(run(log, sizeof log - 1, 1, NULL, &c, &err), PL_OK);
    assert_non_null(strstr(c.text, "tz=PDH-CSV|Pacific Daylight Time|420|1"));
    assert_non_null(strstr(c.warnings, "header but no samples"));
    free(c.text);
}

static void test_parse_value(void **state)
{
    static const char *const same[] = {
        "0", "1", "-1", "10485760", "238132991823872", "0.032083023520161361",
        "1071.0072491149669531", "9.6054461804032911232", "18446744073709551616",
        "0.1", "123456789012345678901234567890", "1e5", "-2.5E-3", "00012.50",
        "9007199254740993", "4503599627370497.5", ".5", "5.", "+3"};
    size_t i;
    double v;
    (void)state;
    for (i = 0; i < sizeof same / sizeof same[0]; i++) {
        assert_int_equal(pl_parse_value(same[i], strlen(same[i]), &v), 1);
        assert_true(v == strtod(same[i], NULL));
    }
    assert_int_equal(pl_parse_value(" ", 1, &v), 0);
    assert_int_equal(pl_parse_value("", 0, &v), 0);
    assert_int_equal(pl_parse_value("abc", 3, &v), -1);
    assert_int_equal(pl_parse_value("-", 1, &v), -1);
    assert_int_equal(pl_parse_value("1.#INF", 6, &v), -1);
    assert_int_equal(pl_parse_value("nan", 3, &v), -1);
    assert_int_equal(pl_parse_value("inf", 3, &v), -1);
    assert_int_equal(pl_parse_value("0x10", 4, &v), -1);
    assert_int_equal(pl_parse_value("12abc", 5, &v), -1);
    assert_int_equal(pl_parse_value("1e999", 5, &v), -1);
    /* Random digits[.digits]: the fast path must agree with strtod bit for bit. */
    {
        uint64_t s = 42;
        for (i = 0; i < 200000; i++) {
            char buf[48];
            int a, b, k, n = 0;
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            a = (int)(s >> 60) + 1;
            b = (int)((s >> 55) & 15);
            for (k = 0; k < a; k++) {
                s = s * 6364136223846793005ULL + 1442695040888963407ULL;
                buf[n++] = (char)('0' + (s >> 59) % 10);
            }
            if (b) {
                buf[n++] = '.';
                for (k = 0; k < b; k++) {
                    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
                    buf[n++] = (char)('0' + (s >> 59) % 10);
                }
            }
            buf[n] = '\0';
            assert_int_equal(pl_parse_value(buf, (size_t)n, &v), 1);
            if (v != strtod(buf, NULL))
                fail_msg("%s parsed as %.17g", buf, v);
        }
    }
    /* The long shapes relog writes (16 to 19 significant digits), and the
     * halfway cases between two doubles, where rounding twice would go
     * wrong: 2^53 + 1 and its neighbours scaled by powers of ten. */
    {
        uint64_t s = 7;
        for (i = 0; i < 300000; i++) {
            char buf[48];
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            snprintf(buf, sizeof buf, "%llu.%0*llu", (unsigned long long)((s >> 20) % 10000000000ULL),
                     (int)(6 + i % 4), (unsigned long long)((s >> 3) % 1000000000ULL) % (i % 4 == 3 ? 1000000000ULL : 1000000ULL * (i % 4 == 0 ? 1 : i % 4 == 1 ? 10 : 100)));
            assert_int_equal(pl_parse_value(buf, strlen(buf), &v), 1);
            if (v != strtod(buf, NULL))
                fail_msg("%s parsed as %.17g, strtod gives %.17g", buf, v, strtod(buf, NULL));
        }
        /* 17 to 22 significant digits with 0 to 27 decimals, leading
         * zeros included: every power of ten the exact path divides by,
         * and the digits past the 19th that it drops and brackets */
        size_t fast = 0, tried = 0;
        for (i = 0; i < 400000; i++) {
            char buf[64];
            int sig = 17 + (int)(i % 6), dec = (int)(i / 6 % 28), k, n = 0;
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            if (dec >= sig) {
                buf[n++] = '0';
                buf[n++] = '.';
                for (k = 0; k < dec - sig; k++)
                    buf[n++] = '0';
            }
            for (k = 0; k < sig; k++) {
                s = s * 6364136223846793005ULL + 1442695040888963407ULL;
                if (n && buf[n - 1] != '.' && k == sig - dec && dec < sig)
                    buf[n++] = '.';
                buf[n++] = (char)('0' + (k == 0 ? 1 + (s >> 59) % 9 : (s >> 59) % 10));
            }
            buf[n] = '\0';
            assert_int_equal(pl_parse_value(buf, (size_t)n, &v), 1);
            if (v != strtod(buf, NULL))
                fail_msg("%s parsed as %.17g, strtod gives %.17g", buf, v, strtod(buf, NULL));
            if (sig - dec > 19)
                continue; /* an integer part past 19 digits is strtod's */
            tried++;
            if (pl_parse_value_fast(buf, (size_t)n, &v)) {
                fast++;
                if (v != strtod(buf, NULL))
                    fail_msg("%s parsed fast as %.17g, strtod gives %.17g", buf, v, strtod(buf, NULL));
            }
        }
        /* and they do not leave it to strtod: a digit past the 19th
         * decides the rounding only rarely */
        assert_true(tried > 380000 && fast >= tried - tried / 1000);
        /* binary fractions, q / 2^f written with f decimals: exact, or
         * exactly halfway between two doubles when q has 54 bits or more
         * and ends in a 1 bit; the exact path must see them for what they
         * are at every f, without leaving them to strtod */
        for (i = 0; i < 28 * 500; i++) {
            char digits[32], buf[64];
            unsigned long long p5 = 1, q;
            int f = (int)(i / 500), k, L, n = 0;
            for (k = 0; k < f; k++)
                p5 *= 5;
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            q = (s >> 1) % (10000000000000000000ULL / p5); /* 19 digits at most */
            if (i % 3 == 0)
                q |= 1; /* odd: a tie whenever it has more than 53 bits */
            snprintf(digits, sizeof digits, "%llu", q * p5);
            L = (int)strlen(digits);
            if (L <= f) {
                buf[n++] = '0';
                buf[n++] = '.';
                for (k = 0; k < f - L; k++)
                    buf[n++] = '0';
                memcpy(buf + n, digits, (size_t)L);
                n += L;
            } else {
                memcpy(buf, digits, (size_t)(L - f));
                n = L - f;
                if (f) {
                    buf[n++] = '.';
                    memcpy(buf + n, digits + L - f, (size_t)f);
                    n += f;
                }
            }
            buf[n] = '\0';
            assert_int_equal(pl_parse_value(buf, (size_t)n, &v), 1);
            if (v != strtod(buf, NULL))
                fail_msg("%s parsed as %.17g, strtod gives %.17g", buf, v, strtod(buf, NULL));
            if (!pl_parse_value_fast(buf, (size_t)n, &v) || v != strtod(buf, NULL))
                fail_msg("%s not parsed fast, or as %.17g where strtod gives %.17g", buf, v,
                         strtod(buf, NULL));
        }
        for (i = 0; i < 2000; i++) {
            char buf[64];
            unsigned long long m = (1ULL << 53) + (unsigned long long)(2 * i + 1);
            int k = i % 10;
            /* m * 5 / 10 = m / 2 is halfway when m is odd; likewise m * 10^k / 10^k * ... */
            snprintf(buf, sizeof buf, "%llu", m);
            if (k) {
                size_t L = strlen(buf);
                memmove(buf + L - (size_t)k + 1, buf + L - (size_t)k, (size_t)k + 1);
                buf[L - (size_t)k] = '.';
            }
            assert_int_equal(pl_parse_value(buf, strlen(buf), &v), 1);
            if (v != strtod(buf, NULL))
                fail_msg("%s parsed as %.17g, strtod gives %.17g", buf, v, strtod(buf, NULL));
        }
    }
}

static void test_sniff(void **state)
{
    (void)state;
    assert_int_equal(pl_sniff("\x00\x00\x01\x00", 4), PL_FORMAT_BLG);
    assert_int_equal(pl_sniff("\"(PD", 4), PL_FORMAT_TEXT);
    assert_int_equal(pl_sniff("\xFF\xFE\"\x00", 4), PL_FORMAT_TEXT);
    assert_int_equal(pl_sniff("\xEF\xBB\xBF\"", 4), PL_FORMAT_TEXT);
    assert_int_equal(pl_sniff("time", 4), PL_FORMAT_UNKNOWN);
    assert_int_equal(pl_sniff("ab", 2), PL_FORMAT_NEED_MORE);
}

/* Reads log at every chunk size (all must agree), then whole into c. */
static void read_every_way(const char *log, size_t len, capture *c)
{
    pl_error err;
    check_all_chunks(log, len, NULL);
    assert_int_equal(run(log, len, len + 1, NULL, c, &err), PL_OK);
}

/* A Data Collector Set with a description writes it as a last header cell,
 * unescaped quotes and all, and ends every row with " ": the description
 * is no column, its cells are no "extra cells". */
static void test_description_cell(void **state)
{
    static const char log[] =
        "\"(PDH-CSV 4.0) (Pacific Standard Time)(480)\",\"\\\\H\\Process(a)\\Private Bytes\","
        "\"\\\\H\\Memory\\Pool Paged Bytes\",\"Use this template. See the help topic \"Create a "
        "Data Collector Set\" for more.\"\r\n"
        "\"03/02/2026 00:00:00.000\",\"100\",\"7\",\" \"\r\n"
        "\"03/02/2026 00:01:00.000\",\"200\",\" \",\" \"\r\n";
    capture c;
    pl_error err;
    (void)state;
    read_every_way(log, sizeof log - 1, &c);
    assert_int_equal(c.ncols, 2);
    assert_non_null(strstr(c.warnings, "t.csv:1: column 4 is not a counter path but text (a data collector set's description: \"Use this template."));
    assert_null(strstr(c.warnings, "more than"));
    assert_null(strstr(c.warnings, "fewer than"));
    assert_non_null(strstr(c.text, ",100,7\n"));
    assert_non_null(strstr(c.text, ",200,-\n"));
    free(c.text);
    /* a header whose only counter cell is no path is still refused */
    assert_int_equal(run("\"(PDH-CSV 4.0) (UTC)(0)\",\"just a name\"\n", 39, 39, NULL, &c, &err), PL_EFORMAT);
    free(c.text);
}

/* A PDH log saved again by a spreadsheet: no quotes, E-notation; or ';'
 * between cells with decimal commas. Read, with a warning that says so. */
static void test_spreadsheet_resave(void **state)
{
    static const char bare[] =
        "(PDH-CSV 4.0) (,\\\\H\\Process(a)\\Virtual Bytes,\\\\H\\Process(a)\\Thread Count\r\n"
        "12/30/2017 20:56:30.873,2.20E+12, \r\n"
        "12/30/2017 20:56:31.865,2.21E+12,82\r\n";
    static const char semi[] =
        "\"(PDH-CSV 4.0) (W. Europe Standard Time)(-60)\";\"\\\\H\\Memory\\Available MBytes\";"
        "\"\\\\H\\Memory\\Pages/sec\"\r\n"
        "\"01/02/2026 10:00:00.000\";\"1234,5\";\"7\"\r\n"
        "\"01/02/2026 10:00:15.000\";\"1,234,5\";\"0,25\"\r\n";
    capture c;
    (void)state;
    read_every_way(bare, sizeof bare - 1, &c);
    assert_int_equal(c.ncols, 2);
    assert_non_null(strstr(c.warnings, "t.csv:1: not as Windows writes it but re-saved by a spreadsheet (cells without quotes)"));
    assert_non_null(strstr(c.text, ",2200000000000,-\n"));
    assert_non_null(strstr(c.text, ",2210000000000,82\n"));
    free(c.text);
    read_every_way(semi, sizeof semi - 1, &c);
    assert_int_equal(c.ncols, 2);
    assert_non_null(strstr(c.text, "delim=59"));
    assert_non_null(strstr(c.warnings, "';' between cells, decimal commas"));
    assert_non_null(strstr(c.text, ",1234.5,7\n"));
    /* two commas in one value are no decimal comma: not a number */
    assert_non_null(strstr(c.text, ",-,0.25\n"));
    assert_non_null(strstr(c.warnings, "value(s) that are not numbers (first: \"1,234,5\")"));
    free(c.text);
}

/* --utc-offset: the times of a header without an offset, as given. */
static void test_utc_offset(void **state)
{
    static const char log[] = "\"(PDH-CSV 4.0) (\",\"\\\\H\\Memory\\Committed Bytes\"\r\n"
                              "\"01/02/2026 09:00:00.000\",\"1\"\r\n";
    capture c, d;
    pl_error err;
    pl_reader *r;
    pl_reader_opts o = {NULL, cap_warn, &d, 1, NULL, NULL, 1, 540};
    pl_reader_sink s = {&d, cap_header, cap_row, NULL, NULL, NULL};
    pl_time t;
    char want[64];
    (void)state;
    assert_int_equal(run(log, sizeof log - 1, sizeof log, NULL, &c, &err), PL_OK);
    assert_int_equal(c.tz_known, 0);
    assert_non_null(strstr(c.warnings, "the header gives no UTC offset; times are taken as UTC+00:00 (give the server's UTC offset, e.g. +09:00)"));
    memset(&d, 0, sizeof d);
    assert_int_equal(pl_reader_create(&r, "t.csv", &o, &s, &err), PL_OK);
    assert_int_equal(pl_reader_feed(r, log, sizeof log - 1, &err), PL_OK);
    assert_int_equal(pl_reader_finish(r, &err), PL_OK);
    pl_reader_free(r);
    assert_int_equal(d.tz_known, 3);
    assert_null(strstr(d.warnings, "no UTC offset"));
    /* 09:00 at UTC+09:00 is midnight UTC */
    assert_int_equal(pl_time_parse_pdh("01/02/2026 00:00:00.000", 23, &t), 0);
    snprintf(want, sizeof want, "%lld,1\n", (long long)t);
    assert_non_null(strstr(d.text, want));
    free(c.text);
    free(d.text);
}

/* A value no counter can hold is damage: missing, with one warning, on
 * every path (the block path hands such a line to the general one). */
static void test_huge_values(void **state)
{
    static const char log[] = "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\H\\Memory\\Committed Bytes\",\"\\\\H\\Memory\\Pages/sec\"\r\n"
                              "\"01/02/2026 09:00:00.000\",\"1e300\",\"5\"\r\n"
                              "\"01/02/2026 09:00:15.000\",\"18446744073709551615\",\"-1.7976931348623157e308\"\r\n";
    capture c;
    (void)state;
    read_every_way(log, sizeof log - 1, &c);
    assert_non_null(strstr(c.text, ",-,5\n"));
    assert_non_null(strstr(c.text, ",1.8446744073709552e+19,-\n")); /* 2^64 itself is kept */
    assert_non_null(strstr(c.warnings, "t.csv:2: column 2: 2 value(s) beyond what a counter can hold (2^64; first: \"1e300\") were treated as missing"));
    free(c.text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_and_missing),
        cmocka_unit_test(test_chunks_csv_crlf),
        cmocka_unit_test(test_chunks_tsv_lf),
        cmocka_unit_test(test_utf16le_bom),
        cmocka_unit_test(test_utf8_bom),
        cmocka_unit_test(test_cp1251_guessed),
        cmocka_unit_test(test_encoding_override),
        cmocka_unit_test(test_invalid_utf8_in_header_is_guessed),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_repairs_are_warned),
        cmocka_unit_test(test_header_only),
        cmocka_unit_test(test_parse_value),
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_description_cell),
        cmocka_unit_test(test_spreadsheet_resave),
        cmocka_unit_test(test_utc_offset),
        cmocka_unit_test(test_huge_values),
    };
    tu_filter();
    return cmocka_run_group_tests_name("import", tests, NULL, NULL);
}
