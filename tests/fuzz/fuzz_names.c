/* fuzz_names.c - libFuzzer target for names from a stranger's log: a
 * machine and two process names of any bytes (controls, BiDi marks,
 * markup, backticks, newlines, bytes that are not UTF-8; up to 1 MB each)
 * in a log whose first process leaks, through every report format and the
 * counters listing. It asserts what every output promises:
 * - text, Markdown and the listing hold no raw control but the newline,
 *   no BiDi or line-separator mark, and are valid UTF-8;
 * - report.md has one "# " heading, and no line a name starts;
 * - the JSON report and listing parse, whatever the names held;
 * - report.html has perfleak's two <script> elements and no other, and
 *   no image, frame or javascript: attribute.
 * A broken promise aborts (the fuzzer keeps the input).
 *
 * Input: byte 0 flags (bit 1: an ID Process column; bit 2: the second
 * process named as the first; 0x01 and 0x03 alone: each name repeated
 * to 1 MB, which takes seconds under the sanitizers, so rarely); then
 * the machine, the first and the second name, separated by NUL bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "perfleak/analysis.h"
#include "perfleak/diagnose.h"
#include "perfleak/report.h"
#include "util/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(void *ctx, const char *msg)
{
    (void)ctx;
    (void)msg;
}

/* The name at data[*pos], to the next NUL, as a CSV cell's text (quotes
 * doubled), repeated to about 1 MB when big; "x" when empty. */
static char *take_name(const uint8_t *data, size_t size, size_t *pos, int big)
{
    size_t start = *pos, len, cap, n = 0, reps, r, i;
    char *out;
    while (*pos < size && data[*pos])
        (*pos)++;
    len = *pos - start;
    if (*pos < size)
        (*pos)++;
    if (!len)
        return pl_strdup("x");
    reps = big ? (1u << 20) / len + 1 : 1;
    cap = 2 * len * reps + 1;
    if (!(out = malloc(cap)))
        return NULL;
    for (r = 0; r < reps; r++)
        for (i = 0; i < len; i++) {
            if (data[start + i] == '"')
                out[n++] = '"';
            out[n++] = (char)data[start + i];
        }
    out[n] = '\0';
    return out;
}

static char *render(const pl_result *r, int listing, pl_report_format fmt, size_t *len)
{
    char *out = NULL;
    pl_error err;
    FILE *m = open_memstream(&out, len);
    int rc;
    if (!m)
        return NULL;
    rc = listing ? pl_counters_write(r->analysis, fmt, m, &err) : pl_report_write(r, fmt, m, &err);
    fclose(m);
    if (rc != PL_OK && rc != PL_ENOMEM) {
        fprintf(stderr, "fuzz_names: a report failed: %s\n", err.msg);
        abort();
    }
    if (rc != PL_OK) {
        free(out);
        return NULL;
    }
    return out;
}

/* Nothing a terminal would act on, and valid UTF-8. */
static void assert_visible(const char *what, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i;
    if (!pl_utf8_valid(u, len)) {
        fprintf(stderr, "fuzz_names: %s is not valid UTF-8\n", what);
        abort();
    }
    for (i = 0; i < len; i++) {
        int bad = (u[i] < 0x20 && u[i] != '\n') || u[i] == 0x7f ||
                  (u[i] == 0xc2 && i + 1 < len && u[i + 1] >= 0x80 && u[i + 1] < 0xa0);
        if (u[i] == 0xe2 && i + 2 < len && u[i + 1] == 0x80)
            bad = u[i + 2] == 0x8e || u[i + 2] == 0x8f || (u[i + 2] >= 0xa8 && u[i + 2] <= 0xae);
        if (u[i] == 0xe2 && i + 2 < len && u[i + 1] == 0x81)
            bad = u[i + 2] >= 0xa6 && u[i + 2] <= 0xa9;
        if (bad) {
            fprintf(stderr, "fuzz_names: %s holds a raw control at byte %zu\n", what, i);
            abort();
        }
    }
}

static void assert_json(const char *what, const char *s, size_t len)
{
    json_error_t je;
    json_t *j = json_loadb(s, len, 0, &je);
    if (!j) {
        fprintf(stderr, "fuzz_names: %s is not JSON: %s\n", what, je.text);
        abort();
    }
    json_decref(j);
}

static void assert_markdown(const char *s)
{
    const char *p;
    size_t h1 = 0;
    for (p = s; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        h1 += strncmp(p, "# ", 2) == 0;
        /* a line perfleak writes starts with its own text, never raw
         * HTML or a block a name could open */
        if (*p == '<' || strncmp(p, "```", 3) == 0 || strncmp(p, "    ", 4) == 0) {
            fprintf(stderr, "fuzz_names: report.md has a line a name began: %.60s\n", p);
            abort();
        }
    }
    if (h1 != 1) {
        fprintf(stderr, "fuzz_names: report.md has %zu headings of level 1\n", h1);
        abort();
    }
}

static void assert_html(const char *s)
{
    const char *p;
    size_t scripts = 0;
    for (p = s; (p = strstr(p, "<script")); p++)
        scripts++;
    /* a name's quotes and brackets are entities: no attribute or tag of
     * one can open */
    if (scripts != 2 || strstr(s, "=\"javascript:") || strstr(s, "<img") || strstr(s, "<iframe")) {
        fprintf(stderr, "fuzz_names: report.html has markup of a name's (%zu <script>)\n", scripts);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pl_analysis_opts o;
    pl_analysis *a = NULL;
    pl_diagnosis *d = NULL;
    pl_error err;
    char *machine, *first, *second, *buf;
    size_t pos = 1, n = 0, cap, r, len;
    int big, idp;
    if (size < 1)
        return 0;
    big = data[0] == 0x01 || data[0] == 0x03;
    idp = (data[0] >> 1) & 1;
    machine = take_name(data, size, &pos, big);
    first = take_name(data, size, &pos, big);
    second = data[0] & 4 ? pl_strdup(first ? first : "x") : take_name(data, size, &pos, big);
    if (!machine || !first || !second)
        goto done;
    cap = 4096 + 8 * (strlen(machine) + strlen(first) + strlen(second)) + 130 * 100;
    if (!(buf = malloc(cap)))
        goto done;
    n += (size_t)snprintf(buf + n, cap - n,
                          "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\%s\\Process(%s)\\Private Bytes\","
                          "\"\\\\%s\\Process(%s)\\Handle Count\"",
                          machine, first, machine, second);
    if (idp)
        n += (size_t)snprintf(buf + n, cap - n, ",\"\\\\%s\\Process(%s)\\ID Process\"", machine, first);
    n += (size_t)snprintf(buf + n, cap - n, "\r\n");
    for (r = 0; r < 130; r++) {
        n += (size_t)snprintf(buf + n, cap - n, "\"01/01/2026 %02zu:%02zu:00.000\",\"%zu\",\"%zu\"",
                              r / 60, r % 60, 10000000 + r * 40000, 500 + r % 3);
        if (idp)
            n += (size_t)snprintf(buf + n, cap - n, ",\"4242\"");
        n += (size_t)snprintf(buf + n, cap - n, "\r\n");
    }
    pl_analysis_opts_init(&o);
    o.warn = quiet;
    o.threads = 1;
    if (pl_analysis_create(&a, &o, &err) == PL_OK &&
        pl_analysis_read_buffer(a, "names.csv", buf, n, 0, &err) == PL_OK &&
        pl_analysis_detect(a, &err) == PL_OK && pl_diagnose(a, &d, &err) == PL_OK) {
        pl_result res = {a, d};
        char *t;
        if ((t = render(&res, 0, PL_REPORT_TEXT, &len)))
            assert_visible("the text report", t, len);
        free(t);
        if ((t = render(&res, 1, PL_REPORT_TEXT, &len)))
            assert_visible("the counters listing", t, len);
        free(t);
        if ((t = render(&res, 0, PL_REPORT_MARKDOWN, &len))) {
            assert_visible("report.md", t, len);
            assert_markdown(t);
        }
        free(t);
        if ((t = render(&res, 0, PL_REPORT_JSON, &len)))
            assert_json("the JSON report", t, len);
        free(t);
        if ((t = render(&res, 1, PL_REPORT_JSON, &len)))
            assert_json("the JSON listing", t, len);
        free(t);
        if ((t = render(&res, 0, PL_REPORT_HTML, &len)))
            assert_html(t);
        free(t);
    }
    pl_diagnosis_free(d);
    pl_analysis_free(a);
    free(buf);
done:
    free(machine);
    free(first);
    free(second);
    return 0;
}
