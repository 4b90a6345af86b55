/* fuzz_import.c - libFuzzer target for the log importers: the whole read
 * path (format sniffing, decoding, CSV/TSV or .blg parsing, the store) and
 * detection on whatever was read. The first byte picks the chunk size so
 * that chunk boundaries are fuzzed too (its low 7 bits), and the
 * selection: every counter, or the default set when bit 7 is set. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "perfleak/analysis.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(void *ctx, const char *msg)
{
    (void)ctx;
    (void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const all[] = {"*"};
    pl_analysis_opts o;
    pl_analysis *a = NULL;
    pl_error err;
    size_t chunk = 0;
    int defaults = 0;
    if (size > 0) {
        defaults = data[0] & 0x80;
        chunk = (data[0] & 0x7F) < 64 ? (size_t)(data[0] & 0x7F) + 1 : 0;
        data++;
        size--;
    }
    pl_analysis_opts_init(&o);
    if (!defaults) {
        o.include = all;
        o.n_include = 1;
    }
    o.max_buckets = 64;
    o.warn = quiet;
    if (pl_analysis_create(&a, &o, &err) != PL_OK)
        return 0;
    if (pl_analysis_read_buffer(a, "fuzz", data, size, chunk, &err) == PL_OK)
        (void)pl_analysis_detect(a, &err);
    pl_analysis_free(a);
    return 0;
}
