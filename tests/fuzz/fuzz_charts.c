/* fuzz_charts.c - libFuzzer target for the charts: a log made from the
 * input (any values the reader accepts, any span from seconds to
 * centuries, instance names of any bytes), judged, then every counter's
 * chart drawn (the first as PNG, the rest as SVG), the summary card, and
 * all counters on one chart. What it guards: libplot crashing or exiting on coordinates it
 * cannot hold, axis loops that never end, memory that grows with a span.
 *
 * Input: byte 0 rows (1-200), byte 1 the interval (see steps[]), byte 2
 * the start year's offset from 1601, byte 3 columns (1-3); then up to 24
 * bytes of instance name (to a NUL); then 8 bytes per value, row by row,
 * as a double's bits (non-finite ones become a blank cell). */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfleak/analysis.h"
#include "perfleak/plot.h"
#include "chart/chart_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(void *ctx, const char *msg)
{
    (void)ctx;
    (void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const long steps[] = {1, 15, 60, 3600, 86400, 86400L * 30, 86400L * 365,
                                 86400L * 365 * 50};
    static const char *const all[] = {"*"};
    pl_analysis_opts o;
    pl_analysis *a = NULL;
    pl_diagnosis *diag = NULL;
    pl_error err;
    char name[32], *buf;
    size_t n = 0, cap, i, pos = 4, rows, cols, r, c;
    long step;
    int year;
    FILE *sink;
    if (size < 4)
        return 0;
    rows = (size_t)data[0] % 200 + 1;
    step = steps[data[1] % (sizeof steps / sizeof steps[0])];
    year = 1601 + data[2] * 32;
    cols = (size_t)data[3] % 3 + 1;
    for (i = 0; i < sizeof name - 1 && pos < size && data[pos]; i++, pos++)
        name[i] = data[pos] < 0x20 || data[pos] == '"' || data[pos] == '\\' ? '_' : (char)data[pos];
    name[i] = '\0';
    pos++;
    cap = 4096 + rows * (cols + 1) * 40;
    if (!(buf = malloc(cap)))
        return 0;
    n += (size_t)snprintf(buf + n, cap - n, "\"(PDH-CSV 4.0) (UTC)(0)\"");
    for (c = 0; c < cols; c++)
        n += (size_t)snprintf(buf + n, cap - n, ",\"\\\\H\\Process(%s%zu)\\%s\"", name, c,
                              c == 1 ? "Handle Count" : "Private Bytes");
    n += (size_t)snprintf(buf + n, cap - n, "\r\n");
    for (r = 0; r < rows; r++) {
        long long s = (long long)r * step;
        long long days = s / 86400;
        /* a civil date from the day count: months of 28 days are enough
         * to spread the rows; years carry */
        long long y = year + days / 336, mo = days / 28 % 12 + 1, d = days % 28 + 1;
        if (y > 9999)
            break;
        n += (size_t)snprintf(buf + n, cap - n, "\"%02lld/%02lld/%04lld %02lld:%02lld:%02lld.000\"",
                              mo, d, y, s / 3600 % 24, s / 60 % 60, s % 60);
        for (c = 0; c < cols; c++) {
            double v = NAN;
            if (pos + 8 <= size) {
                memcpy(&v, data + pos, 8);
                pos += 8;
            }
            if (isfinite(v))
                n += (size_t)snprintf(buf + n, cap - n, ",\"%.17g\"", v);
            else
                n += (size_t)snprintf(buf + n, cap - n, ",\" \"");
        }
        n += (size_t)snprintf(buf + n, cap - n, "\r\n");
    }
    pl_analysis_opts_init(&o);
    o.include = all;
    o.n_include = 1;
    o.warn = quiet;
    o.threads = 1;
    sink = fopen("/dev/null", "wb");
    if (sink && pl_analysis_create(&a, &o, &err) == PL_OK &&
        pl_analysis_read_buffer(a, "fuzz.csv", buf, n, 0, &err) == PL_OK &&
        pl_analysis_detect(a, &err) == PL_OK) {
        size_t k, nc = pl_analysis_counter_count(a), idx[3];
        /* PNG (libplot's bitmap path, where it crashed) for the first
         * counter only: a supersampled raster costs ~0.5 s under ASan */
        /* drawn here, not in a child as pl_chart_counter would: a crash
         * or sanitizer report must end this process to be found, and a
         * fork per chart would make every run slow */
        for (k = 0; k < nc; k++)
            (void)pl_chart_full(a, &k, 1, k == 0 ? PL_CHART_PNG : PL_CHART_SVG, NULL, sink, &err);
        if (pl_diagnose(a, &diag, &err) == PL_OK) {
            pl_result res = {a, diag};
            (void)pl_chart_summary_card(&res, PL_CHART_PNG, NULL, sink, &err);
        }
        for (k = 0; k < nc && k < 3; k++)
            idx[k] = k;
        if (nc)
            (void)pl_chart_full(a, idx, nc < 3 ? nc : 3, PL_CHART_SVG, NULL, sink, &err);
    }
    if (sink)
        fclose(sink);
    pl_diagnosis_free(diag);
    pl_analysis_free(a);
    free(buf);
    return 0;
}
