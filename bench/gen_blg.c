/* gen_blg.c - writes a large .blg log for benchmarks with the test writer:
 * COUNTERS single counters (Process(appN) memory counters, raw gauges, a
 * quarter of them leaking) and SAMPLES samples 15 s apart.
 *   gen_blg COUNTERS SAMPLES FILE */
#include <stdio.h>
#include <stdlib.h>
#include "blgwrite.h"
#include "splitmix.h"

int main(int argc, char **argv)
{
    static const char *const names[] = {"Private Bytes", "Working Set", "Virtual Bytes", "Handle Count"};
    long counters, samples, c, s;
    tb_log l;
    tb_bytes cat = {0};
    rng r = {42};
    FILE *f;
    const int64_t ft0 = 134170560000000000LL; /* 2026-03-01 local */
    if (argc != 4 || (counters = atol(argv[1])) <= 0 || (samples = atol(argv[2])) <= 0) {
        fprintf(stderr, "usage: gen_blg COUNTERS SAMPLES FILE\n");
        return 2;
    }
    tb_log_init(&l, 0x10000, 480, NULL);
    tb_cat_begin(&cat);
    for (c = 0; c < counters; c++) {
        char inst[32];
        snprintf(inst, sizeof inst, "app%ld", c / 4);
        tb_cat_entry(&cat, 0, 0x00010100, 10000000, "\\\\BENCH01", "Process", NULL, inst, 0, names[c % 4]);
    }
    tb_log_event(&l, 32, ft0, 1, 1, cat.p, cat.n);
    for (s = 0; s < samples; s++) {
        tb_bytes smp = {0};
        int64_t ft = ft0 + (int64_t)s * 150000000LL;
        tb_sample_begin(&smp);
        for (c = 0; c < counters; c++) {
            int64_t v = 1000000000LL + 10000000LL * c + (int64_t)(rng_next(&r) % 1000000) +
                        (c % 4 == 0 ? 10000 * s : 0);
            tb_sub_single(&smp, 0, ft, c % 4 == 3 ? 300 + v % 100 : v, 0, 1);
        }
        tb_sample_end(&smp);
        tb_log_sample(&l, ft, &smp, 8000);
        tb_free(&smp);
    }
    tb_log_end(&l);
    if (!(f = fopen(argv[3], "wb")) || fwrite(l.out.p, 1, l.out.n, f) != l.out.n || fclose(f)) {
        perror(argv[3]);
        return 1;
    }
    tb_free(&cat);
    tb_free(&l.out);
    return 0;
}
