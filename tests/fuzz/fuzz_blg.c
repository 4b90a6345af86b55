/* fuzz_blg.c - libFuzzer target for the .blg reader on its own (no
 * format sniffing in front), so every mutation reaches the event-trace
 * parsing. The first byte picks the chunk size. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "perfleak/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(void *ctx, const char *msg)
{
    (void)ctx;
    (void)msg;
}

static int on_row(void *ctx, pl_time t, const double *v, size_t n, pl_error *err)
{
    double *sum = ctx;
    size_t i;
    (void)err;
    *sum += (double)t;
    for (i = 0; i < n; i++) /* touch every value */
        if (!isnan(v[i]))
            *sum += v[i];
    return PL_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    double sum = 0;
    pl_reader_opts ro = {NULL, quiet, NULL, 1, NULL, NULL, 0, 0};
    pl_reader_sink sink = {&sum, NULL, on_row, NULL, NULL, NULL};
    pl_blg_reader *r;
    pl_error err;
    size_t chunk = 0, off = 0;
    int rc = PL_OK;
    if (size > 0) {
        chunk = data[0] < 64 ? (size_t)data[0] * 97 + 1 : 0;
        data++;
        size--;
    }
    if (!chunk)
        chunk = size ? size : 1;
    if (pl_blg_reader_create(&r, "fuzz", &ro, &sink, &err) != PL_OK)
        return 0;
    while (off < size && rc == PL_OK) {
        size_t k = size - off < chunk ? size - off : chunk;
        rc = pl_blg_reader_feed(r, data + off, k, &err);
        off += k;
    }
    if (rc == PL_OK)
        (void)pl_blg_reader_finish(r, &err);
    pl_blg_reader_free(r);
    return 0;
}
