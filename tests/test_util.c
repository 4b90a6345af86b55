/* test_util.c - the JSON reals pass writes each real exactly as
 * pl_format_double does (the shortest of 15, 16 and 17 digits that reads
 * back), though it takes the digits from the 17-digit text instead of
 * printing at each precision. */
#include <math.h>
#include <stdio.h>
#include "testutil.h"
#include "splitmix.h"
#include "util/internal.h"

/* Runs the pass over a JSON array of the values' %.17g texts and checks
 * every one against pl_format_double. */
static void check_batch(const double *v, size_t n)
{
    size_t cap = n * 32 + 16, len = 0, i;
    char *text = malloc(cap), *out, *p;
    assert_non_null(text);
    text[len++] = '[';
    for (i = 0; i < n; i++) {
        char t[40];
        snprintf(t, sizeof t, "%.17g", v[i]);
        /* jansson marks a real that prints as an integer with ".0" */
        if (!strpbrk(t, ".eE"))
            strcat(t, ".0");
        len += (size_t)snprintf(text + len, cap - len, "%s%s", i ? "," : "", t);
    }
    text[len++] = ']';
    text[len] = '\0';
    out = pl_json_shortest_reals(text);
    assert_non_null(out);
    p = out + 1;
    for (i = 0; i < n; i++) {
        char want[40];
        size_t k = strcspn(p, ",]");
        pl_format_double(v[i], want, sizeof want);
        if (strlen(want) != k || strncmp(p, want, k) != 0)
            fail_msg("%.17g: got %.*s, want %s", v[i], (int)k, p, want);
        p += k + 1;
    }
    free(out);
}

static void test_shortest_reals_match(void **state)
{
    enum { N = 20000 };
    double *v = malloc(N * sizeof *v);
    rng r = {2026};
    size_t round, i;
    (void)state;
    assert_non_null(v);
    for (round = 0; round < 25; round++) {
        for (i = 0; i < N; i++) {
            uint64_t b = rng_next(&r);
            double x;
            switch (i % 5) {
            case 0: /* any finite double */
                memcpy(&x, &b, sizeof x);
                if (!isfinite(x) || x == 0)
                    x = 1.5;
                break;
            case 1: /* what counters hold: bytes with a fraction */
                x = (double)(b % 100000000000ULL) / 1000.0;
                break;
            case 2: /* a short decimal at some power of ten */
                x = (double)(b % 100000) * pow(10, (double)((int)(b >> 40) % 40 - 20));
                break;
            case 3: { /* 16 or 17 digits ending in 5: the halfway cases */
                char t[40];
                snprintf(t, sizeof t, "%llu5e%d", (unsigned long long)(b % 1000000000000000ULL),
                         (int)((b >> 50) % 30) - 15);
                x = strtod(t, NULL);
                break;
            }
            default: /* neighbours of round numbers */
                x = nextafter(pow(10, (double)((int)(b % 30) - 10)), (b >> 32) & 1 ? INFINITY : 0);
                break;
            }
            v[i] = (b >> 63) ? -x : x;
        }
        check_batch(v, N);
    }
    free(v);
}

static void test_shortest_reals_edges(void **state)
{
    static const double v[] = {0.1, 0.5, 1.0, 100.0, 1e15, 1e16, 1e17, 1e21, 1e-4, 1e-5, 1.25e-5,
                               123456789012345680.0, 9007199254740993.0, 0.30000000000000004,
                               2.2250738585072014e-308, 4.9e-324, 1.7976931348623157e308,
                               999999999999999.9, 9999999999999998.0, 0.000123, 5e-324};
    (void)state;
    check_batch(v, sizeof v / sizeof v[0]);
}

/* A list of names keeps whole names and says how many it left out: a
 * 26-machine log ended "..., s14185420, s1," before. */
static void test_join_names(void **state)
{
    const char *m[26];
    char names[26][16], buf[64];
    size_t i, shown;
    (void)state;
    for (i = 0; i < 26; i++) {
        snprintf(names[i], sizeof names[i], "s%08zu", 14185400 + i);
        m[i] = names[i];
    }
    shown = pl_join_names(m, 26, 0, buf, sizeof buf);
    assert_true(shown >= 1 && shown < 26);
    {
        char want[32];
        snprintf(want, sizeof want, " and %zu more", 26 - shown);
        assert_non_null(strstr(buf, want));
        assert_int_equal(strlen(strstr(buf, want)), strlen(want)); /* at the end */
    }
    assert_null(strstr(buf, ", s1 "));
    assert_int_equal(strncmp(buf, "s14185400, s14185401", 20), 0);
    /* at most 2, repeats once */
    m[1] = m[0];
    assert_int_equal(pl_join_names(m, 3, 2, buf, sizeof buf), 2);
    assert_string_equal(buf, "s14185400, s14185402");
    assert_int_equal(pl_join_names(m, 4, 2, buf, sizeof buf), 2);
    assert_string_equal(buf, "s14185400, s14185402 and 1 more");
    assert_int_equal(pl_join_names(m, 0, 0, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
}

/* A middle cut keeps the ends and never half a character. */
static void test_utf8_middle(void **state)
{
    char buf[64];
    (void)state;
    pl_utf8_middle("w3wp_DefaultAppPool_v2", 10, buf, sizeof buf);
    assert_string_equal(buf, "w3wp_...ol_v2");
    pl_utf8_middle("short", 10, buf, sizeof buf);
    assert_string_equal(buf, "short");
    /* four katakana of 3 bytes: of 7 bytes, the 3 and 3 that are whole */
    pl_utf8_middle("\xe3\x82\xb5\xe3\x83\xbc\xe3\x83\x93\xe3\x82\xb9", 7, buf, sizeof buf);
    assert_string_equal(buf, "\xe3\x82\xb5...\xe3\x82\xb9");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shortest_reals_match),
        cmocka_unit_test(test_shortest_reals_edges),
        cmocka_unit_test(test_join_names),
        cmocka_unit_test(test_utf8_middle),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
