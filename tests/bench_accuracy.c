/* bench_accuracy.c - make bench-accuracy: runs perfleak's detector and the
 * three baselines over the same labelled corpus and prints precision,
 * recall, F1 and the errors per shape, plus detection time.
 *
 *   bench_accuracy [PER_SHAPE [SEED]]      (defaults 30 and 1) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "corpus.h"
#include "perfleak/detect.h"
#include "perfleak/store.h"

#define NMETHODS 4

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    size_t per = argc > 1 ? (size_t)atoi(argv[1]) : 30, nshapes = corpus_shape_count(), s, k, m;
    uint64_t seed = argc > 2 ? (uint64_t)atoll(argv[2]) : 1;
    size_t tp[NMETHODS] = {0}, fp[NMETHODS] = {0}, fn[NMETHODS] = {0}, tn[NMETHODS] = {0};
    size_t errs[32][NMETHODS], total = 0, npoints = 0, relabelled = 0, judgeable = 0;
    double secs[NMETHODS] = {0};
    memset(errs, 0, sizeof errs);
    printf("corpus: %zu shapes x %zu series, seed %llu\n\n", nshapes, per, (unsigned long long)seed);
    for (s = 0; s < nshapes; s++) {
        for (k = 0; k < per; k++) {
            corpus_series c;
            pl_store *st;
            pl_error err;
            size_t id, i;
            if (corpus_make(&c, s, k, seed) || pl_store_create(&st, 0, &err) ||
                pl_store_add_series(st, &id, &err)) {
                fprintf(stderr, "out of memory\n");
                return 2;
            }
            for (i = 0; i < c.n; i++)
                pl_store_add(st, id, c.t[i], c.v[i], &err);
            npoints += pl_series_bucket_count(pl_store_series(st, id));
            total++;
            relabelled += c.label == LABEL_INSUFFICIENT && corpus_shape_label(s) != LABEL_INSUFFICIENT;
            judgeable += c.label != LABEL_INSUFFICIENT;
            for (m = 0; m < NMETHODS; m++) {
                pl_detect_opts o;
                pl_finding f;
                double t0;
                int leak;
                pl_detect_opts_init(&o);
                o.method = (pl_method)m;
                if (m != PL_METHOD_ROBUST)
                    o.min_growth_pct = 10; /* the baselines' usual gate */
                t0 = now();
                pl_detect_counter(pl_store_series(st, id), NULL, &o, PL_KIND_HELD, PL_UNIT_BYTES, &f, &err);
                secs[m] += now() - t0;
                leak = f.verdict == PL_VERDICT_LEAK;
                if (c.label == LABEL_LEAK) {
                    if (leak) tp[m]++; else { fn[m]++; errs[s][m]++; }
                } else {
                    /* too little data is right for too-few and ok shapes */
                    if (leak) { fp[m]++; errs[s][m]++; } else tn[m]++;
                    if (c.label == LABEL_INSUFFICIENT && f.verdict == PL_VERDICT_OK)
                        errs[s][m]++;
                }
                if (getenv("BENCH_VERBOSE") && m == 0 &&
                    ((c.label == LABEL_LEAK) != leak))
                    printf("  miss %-16s #%zu n=%zu iv=%ds noise=%.1f%% growth=%.0f%%: %s\n",
                           c.shape, k, c.n, c.interval_s, c.noise_pct, c.growth_pct, f.reason);
            }
            pl_store_free(st);
            corpus_free(&c);
        }
    }
    printf("| detector | precision | recall | F1 | false alarms | missed leaks | ms per counter |\n");
    printf("|---|---|---|---|---|---|---|\n");
    for (m = 0; m < NMETHODS; m++) {
        double pr = tp[m] + fp[m] ? (double)tp[m] / (double)(tp[m] + fp[m]) : 0;
        double rc = tp[m] + fn[m] ? (double)tp[m] / (double)(tp[m] + fn[m]) : 0;
        double f1 = pr + rc > 0 ? 2 * pr * rc / (pr + rc) : 0;
        printf("| %s%s | %.3f | %.3f | %.3f | %zu | %zu | %.3f |\n", m == 0 ? "perfleak " : "",
               pl_method_name((pl_method)m), pr, rc, f1, fp[m], fn[m], 1000 * secs[m] / (double)total);
    }
    printf("\nErrors per shape (out of %zu series each):\n\n| shape | label |", per);
    for (m = 0; m < NMETHODS; m++)
        printf(" %s |", pl_method_name((pl_method)m));
    printf("\n|---|---|");
    for (m = 0; m < NMETHODS; m++)
        printf("---|");
    printf("\n");
    for (s = 0; s < nshapes; s++) {
        corpus_label l = corpus_shape_label(s);
        printf("| %s | %s |", corpus_shape_name(s),
               l == LABEL_LEAK ? "leak" : l == LABEL_OK ? "ok" : "insufficient");
        for (m = 0; m < NMETHODS; m++)
            printf(" %zu |", errs[s][m]);
        printf("\n");
    }
    printf("\n%zu series, %.0f points per series on average; %zu of them shorter than 1 h or\n"
           "30 samples are labelled insufficient-data whatever their shape, %zu can be judged\n",
           total, (double)npoints / (double)total, relabelled, judgeable);

    /* Speed at the worst case: 10 000 counters, each with all 2048 buckets
     * full (a long log), judged one after another on one core. */
    {
        pl_store *st;
        pl_error err;
        pl_finding f;
        size_t id, i, j, nser = 10000;
        double t0;
        uint64_t x = 1;
        if (pl_store_create(&st, 0, &err))
            return 2;
        for (j = 0; j < nser; j++) {
            if (pl_store_add_series(st, &id, &err))
                return 2;
            for (i = 0; i < 2048; i++) {
                x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                pl_store_add(st, id, (pl_time)i * 15 * PL_TICKS_PER_SEC,
                             1e8 + (j % 3 == 0 ? 5e4 * (double)i : 0) + (double)(x >> 40), &err);
            }
        }
        t0 = now();
        for (j = 0; j < nser; j++)
            pl_detect(pl_store_series(st, j), NULL, PL_UNIT_BYTES, &f, &err);
        printf("speed: %zu counters x 2048 points judged in %.2f s on one core\n", nser, now() - t0);
        pl_store_free(st);
    }
    return 0;
}
