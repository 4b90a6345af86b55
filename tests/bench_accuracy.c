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
#include "servers.h"
#include "winmodel.h"
#include "perfleak/counters.h"
#include "perfleak/detect.h"
#include "perfleak/diagnose.h"
#include "perfleak/store.h"

#define NMETHODS 4

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The findings one would read off the per-counter verdicts: a culprit per
 * process name, pool or Committed Bytes with a leaking counter (what an
 * engineer does by hand with a per-counter tool). */
static size_t naive_findings(const pl_analysis *a, pl_culprit_finding *out, size_t max)
{
    size_t i, j, n = 0;
    for (i = 0; i < pl_analysis_counter_count(a); i++) {
        const pl_counter *c = pl_analysis_counter(a, i);
        pl_culprit_finding f;
        const char *ctr = c->parts.counter ? c->parts.counter : "";
        if (c->finding.verdict != PL_VERDICT_LEAK)
            continue;
        memset(&f, 0, sizeof f);
        if (c->parts.instance) {
            const char *h = strchr(c->parts.instance, '#');
            size_t len = h ? (size_t)(h - c->parts.instance) : strlen(c->parts.instance);
            f.type = PL_CULPRIT_PROCESS;
            snprintf(f.name, sizeof f.name, "%.*s", (int)len, c->parts.instance);
            f.kinds = strstr(ctr, "Handle") ? PL_GROWS_HANDLES : strstr(ctr, "Thread") ? PL_GROWS_THREADS :
                      strstr(ctr, "Virtual") ? PL_GROWS_ADDRESS_SPACE : PL_GROWS_MEMORY;
        } else if (strstr(ctr, "Pool")) {
            f.type = PL_CULPRIT_KERNEL;
            f.pool = strstr(ctr, "Nonpaged") != NULL;
            f.kinds = f.pool ? PL_GROWS_POOL_NONPAGED : PL_GROWS_POOL_PAGED;
        } else {
            f.type = PL_CULPRIT_SYSTEM;
            f.kinds = PL_GROWS_COMMIT;
        }
        for (j = 0; j < n; j++)
            if (out[j].type == f.type && strcmp(out[j].name, f.name) == 0 && out[j].pool == f.pool) {
                out[j].kinds |= f.kinds;
                break;
            }
        if (j == n && n < max)
            out[n++] = f;
    }
    return n;
}

/* Findings per culprit on the whole-server corpus, against the naive
 * reading of the per-counter verdicts. */
static void servers(size_t seeds)
{
    size_t s, k, tp = 0, fp = 0, fn = 0, ntp = 0, nfp = 0, nfn = 0;
    printf("\nWhole-server logs (tests/servers.c): %zu scenarios x %zu seeds, findings per culprit\n\n",
           srv_scenario_count(), seeds);
    printf("| scenario | culprits | perfleak right | false | missed | per-counter reading right | false | missed |\n");
    printf("|---|---|---|---|---|---|---|---|\n");
    for (s = 0; s < srv_scenario_count(); s++) {
        size_t st[6] = {0}, nexp = 0;
        const char *name = "";
        for (k = 1; k <= seeds; k++) {
            srv_log l;
            pl_analysis *a;
            pl_diagnosis *d;
            pl_error err;
            pl_culprit_finding naive[32];
            const pl_culprit_finding *np[32];
            size_t t, f, m, nn, i;
            if (srv_make(s, k, &l) != 0 || pl_analysis_create(&a, NULL, &err) != PL_OK)
                exit(2);
            if (pl_analysis_read_buffer(a, "srv.csv", l.text, l.len, 0, &err) != PL_OK ||
                pl_analysis_detect(a, &err) != PL_OK || pl_diagnose(a, &d, &err) != PL_OK) {
                fprintf(stderr, "%s\n", err.msg);
                exit(2);
            }
            srv_score(&l, d, &t, &f, &m);
            st[0] += t; st[1] += f; st[2] += m;
            nn = naive_findings(a, naive, 32);
            for (i = 0; i < nn; i++)
                np[i] = &naive[i];
            srv_score_findings(&l, np, nn, &t, &f, &m);
            st[3] += t; st[4] += f; st[5] += m;
            nexp += l.nexpect;
            name = l.scenario;
            pl_diagnosis_free(d);
            pl_analysis_free(a);
            srv_free(&l);
        }
        printf("| %s | %zu | %zu | %zu | %zu | %zu | %zu | %zu |\n", name, nexp, st[0], st[1], st[2],
               st[3], st[4], st[5]);
        tp += st[0]; fp += st[1]; fn += st[2];
        ntp += st[3]; nfp += st[4]; nfn += st[5];
    }
    printf("\nfindings: perfleak precision %.3f, recall %.3f; the per-counter reading precision %.3f, recall %.3f\n",
           tp + fp ? (double)tp / (double)(tp + fp) : 1.0, tp + fn ? (double)tp / (double)(tp + fn) : 1.0,
           ntp + nfp ? (double)ntp / (double)(ntp + nfp) : 1.0,
           ntp + nfn ? (double)ntp / (double)(ntp + nfn) : 1.0);
}

/* The drawn servers of tests/winmodel.c from seed0: healthy ones with any
 * finding, and precision and recall over the leaking ones. */
static void winmodel(uint64_t seed0, size_t healthy, size_t per_kind, const char *label)
{
    size_t i, bad = 0, tp = 0, fp = 0, fn = 0;
    int k;
    for (k = 0; k < WM_NLEAKS; k++) {
        size_t n = k == WM_HEALTHY ? healthy : per_kind;
        for (i = 0; i < n; i++) {
            wm_log l;
            pl_analysis *a;
            pl_diagnosis *d;
            pl_error err;
            size_t t, f, m;
            uint64_t seed = seed0 + (k == WM_HEALTHY ? i + 1 : 1000 + i);
            if (wm_draw(seed, (wm_leak)k, &l) != 0 || pl_analysis_create(&a, NULL, &err) != PL_OK)
                exit(2);
            if (pl_analysis_read_buffer(a, "web07.csv", l.text, l.len, 0, &err) != PL_OK ||
                pl_analysis_detect(a, &err) != PL_OK || pl_diagnose(a, &d, &err) != PL_OK) {
                fprintf(stderr, "%s\n", err.msg);
                exit(2);
            }
            if (k == WM_HEALTHY) {
                bad += pl_diagnosis_count(d) > 0;
            } else {
                wm_score(&l, d, &t, &f, &m);
                tp += t; fp += f; fn += m;
            }
            pl_diagnosis_free(d);
            pl_analysis_free(a);
            wm_free(&l);
        }
    }
    printf("| %s (from %llu) | %zu | %zu | %zu | %.3f | %.3f |\n", label, (unsigned long long)seed0,
           healthy, bad, per_kind * (WM_NLEAKS - 1), tp + fp ? (double)tp / (double)(tp + fp) : 1.0,
           tp + fn ? (double)tp / (double)(tp + fn) : 1.0);
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

    /* Speed at the worst case: 10 000 counters, each with all its buckets
     * full (a long log), judged one after another on one core. */
    {
        pl_store *st;
        pl_error err;
        pl_finding f;
        size_t id, i, j, nser = 10000, nb = 0;
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
        for (j = 0; j < nser; j++) {
            pl_detect(pl_store_series(st, j), NULL, PL_UNIT_BYTES, &f, &err);
            nb += pl_series_bucket_count(pl_store_series(st, j));
        }
        printf("speed: %zu counters x %zu points judged in %.2f s on one core\n", nser, nb / nser,
               now() - t0);
        pl_store_free(st);
    }
    servers(3);
    printf("\nDrawn servers (tests/winmodel.c, a model apart from the corpus above), findings per culprit\n\n");
    printf("| seeds | healthy servers | with a finding | leaking servers | precision | recall |\n");
    printf("|---|---|---|---|---|---|\n");
    winmodel(0, 500, 6, "make check's");
    winmodel(700000, 300, 12, "unused");
    winmodel(900000, 300, 12, "unused");
    return 0;
}
