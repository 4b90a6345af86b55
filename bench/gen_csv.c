/* gen_csv.c - writes a large PDH-CSV log for benchmarks, deterministically:
 * COUNTERS columns (process memory counters, a quarter of them leaking)
 * and SAMPLES rows 15 s apart, values printed like relog prints them.
 *   gen_csv COUNTERS SAMPLES > big.csv */
#include <stdio.h>
#include <stdlib.h>
#include "pdhtime.h"
#include "splitmix.h"

int main(int argc, char **argv)
{
    long counters, samples, c, s;
    rng r = {42};
    static const char *const names[] = {"Private Bytes", "Working Set", "Virtual Bytes", "Handle Count"};
    static char buf[1 << 20];
    if (argc != 3 || (counters = atol(argv[1])) <= 0 || (samples = atol(argv[2])) <= 0) {
        fprintf(stderr, "usage: gen_csv COUNTERS SAMPLES\n");
        return 2;
    }
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    printf("\"(PDH-CSV 4.0) (Pacific Standard Time)(480)\"");
    for (c = 0; c < counters; c++)
        printf(",\"\\\\BENCH01\\Process(app%ld)\\%s\"", c / 4, names[c % 4]);
    printf("\r\n");
    for (s = 0; s < samples; s++) {
        pdh_time_cell(s, &r);
        for (c = 0; c < counters; c++) {
            double base = 1e9 + 1e7 * (double)c, noise = (double)(rng_next(&r) % 1000000);
            double v = base + noise + (c % 4 == 0 ? 10000.0 * (double)s : 0);
            if (c % 4 == 3)
                printf(",\"%ld\"", 300 + (long)(noise / 10000));
            else
                printf(",\"%.8f\"", v + noise / 1e6);
        }
        printf("\r\n");
    }
    return fflush(stdout) ? 1 : 0;
}
