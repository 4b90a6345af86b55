/* test_winmodel.c - property tests of the diagnosis on randomly drawn
 * servers (tests/winmodel.c), a model written apart from the corpus the
 * diagnosis was tuned on: healthy servers (restarts, warm-ups, cycles,
 * sawtooths, renumbering, churn) give no finding at all; a server with
 * one leak gives exactly that culprit and kind; the shares of a pool or
 * of commit never sum past 100 %; a service never has two findings of
 * one kind. Not every draw is clear-cut (a pool recycled every 29 h
 * warming up through a daily cycle looks like a slow leak for its one
 * whole life), so the bars are rates: at most 5 % of healthy servers
 * with a finding, precision and recall at least 0.95. WM_HEALTHY
 * (default 500) and WM_LEAKY (default 6 a kind) set how many are drawn
 * (make asan draws fewer: it looks for memory errors, not verdicts);
 * WM_SEED0 moves the seeds (make bench-accuracy draws unused ones). */
#include <math.h>
#include "testutil.h"
#include "winmodel.h"
#include "perfleak/diagnose.h"

static size_t env_count(const char *name, size_t dflt)
{
    const char *v = getenv(name);
    return v && *v ? (size_t)strtoul(v, NULL, 10) : dflt;
}

static pl_analysis *analysed(const wm_log *l)
{
    pl_analysis *a;
    pl_error err;
    assert_int_equal(pl_analysis_create(&a, NULL, &err), PL_OK);
    if (pl_analysis_read_buffer(a, "web07.csv", l->text, l->len, 0, &err) != PL_OK)
        fail_msg("%s: %s", l->desc, err.msg);
    assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
    assert_int_equal(pl_diagnose_attach(a, &err), PL_OK);
    return a;
}

static void print_findings(const pl_diagnosis *d)
{
    size_t i;
    for (i = 0; i < pl_diagnosis_count(d); i++) {
        const pl_culprit_finding *f = pl_diagnosis_finding(d, i);
        print_message("    %s (restarts %zu)\n", f->summary, f->restarts);
    }
}

/* The invariants every diagnosis keeps, whatever the server. */
static int invariants(const pl_diagnosis *d, char *why, size_t size)
{
    size_t i, j, n = pl_diagnosis_count(d);
    for (i = 0; i < n; i++) {
        const pl_culprit_finding *f = pl_diagnosis_finding(d, i);
        for (j = 0; j < f->nexplains; j++) {
            /* the shares of one system counter over every finding */
            double sum = 0;
            size_t q, r;
            for (q = 0; q < n; q++) {
                const pl_culprit_finding *g = pl_diagnosis_finding(d, q);
                for (r = 0; r < g->nexplains; r++)
                    if (strcmp(g->explains[r].counter, f->explains[j].counter) == 0 &&
                        !isnan(g->explains[r].percent))
                        sum += g->explains[r].percent;
            }
            if (sum > 100.5) {
                snprintf(why, size, "shares of %s sum to %.0f %%", f->explains[j].counter, sum);
                return 0;
            }
        }
        for (j = i + 1; j < n; j++) {
            const pl_culprit_finding *g = pl_diagnosis_finding(d, j);
            if (f->type == PL_CULPRIT_PROCESS && g->type == PL_CULPRIT_PROCESS &&
                strcmp(f->name, g->name) == 0 && (f->kinds & g->kinds)) {
                snprintf(why, size, "%s has two findings of one kind", f->name);
                return 0;
            }
        }
        if (f->type == PL_CULPRIT_PROCESS && !f->kinds) {
            snprintf(why, size, "%s has a finding without a kind", f->name);
            return 0;
        }
    }
    return 1;
}

static void test_healthy_servers(void **state)
{
    size_t n = env_count("WM_HEALTHY", 500), seed0 = env_count("WM_SEED0", 0), i, bad = 0, nf = 0, broken = 0;
    (void)state;
    for (i = 0; i < n; i++) {
        wm_log l;
        pl_analysis *a;
        const pl_diagnosis *d;
        char why[256];
        assert_int_equal(wm_draw(seed0 + i + 1, WM_HEALTHY, &l), 0);
        a = analysed(&l);
        d = pl_diagnosis_of(a);
        if (pl_diagnosis_count(d)) {
            print_message("healthy seed %zu: %zu findings: %s\n", seed0 + i + 1, pl_diagnosis_count(d), l.desc);
            print_findings(d);
            bad++;
            nf += pl_diagnosis_count(d);
        }
        if (!invariants(d, why, sizeof why)) {
            print_message("healthy seed %zu: %s\n", seed0 + i + 1, why);
            broken++;
        }
        pl_analysis_free(a);
        wm_free(&l);
    }
    print_message("healthy servers: %zu of %zu with a finding (%zu findings)\n", bad, n, nf);
    assert_int_equal(broken, 0);
    assert_true(100 * bad <= 5 * n);
}

static void test_leaking_servers(void **state)
{
    size_t per = env_count("WM_LEAKY", 6), seed0 = env_count("WM_SEED0", 0), tp = 0, fp = 0, fn = 0, broken = 0;
    int k;
    (void)state;
    for (k = 1; k < WM_NLEAKS; k++) {
        size_t i, ktp = 0, kfp = 0, kfn = 0;
        for (i = 0; i < per; i++) {
            wm_log l;
            pl_analysis *a;
            const pl_diagnosis *d;
            size_t t, f, m;
            char why[256];
            assert_int_equal(wm_draw(seed0 + 1000 + i, (wm_leak)k, &l), 0);
            a = analysed(&l);
            d = pl_diagnosis_of(a);
            wm_score(&l, d, &t, &f, &m);
            if (f || m) {
                print_message("%s seed %zu: %zu right, %zu false, %zu missed: %s\n",
                              wm_leak_name((wm_leak)k), seed0 + 1000 + i, t, f, m, l.desc);
                print_findings(d);
            }
            if (!invariants(d, why, sizeof why)) {
                print_message("%s seed %zu: %s\n", wm_leak_name((wm_leak)k), seed0 + 1000 + i, why);
                broken++;
            }
            ktp += t;
            kfp += f;
            kfn += m;
            pl_analysis_free(a);
            wm_free(&l);
        }
        print_message("%-30s %zu right, %zu false, %zu missed\n", wm_leak_name((wm_leak)k), ktp, kfp, kfn);
        tp += ktp;
        fp += kfp;
        fn += kfn;
    }
    print_message("leaking servers: precision %.3f, recall %.3f\n",
                  tp + fp ? (double)tp / (double)(tp + fp) : 1.0,
                  tp + fn ? (double)tp / (double)(tp + fn) : 1.0);
    assert_int_equal(broken, 0);
    assert_true((double)tp >= 0.95 * (double)(tp + fp));
    assert_true((double)tp >= 0.95 * (double)(tp + fn));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leaking_servers),
        cmocka_unit_test(test_healthy_servers),
    };
    if (argc == 4) {
        /* test_winmodel SEED KIND: writes that draw to standard output */
        wm_log l;
        if (wm_draw(strtoull(argv[2], NULL, 10), (wm_leak)atoi(argv[3]), &l) != 0)
            return 2;
        fprintf(stderr, "%s\n", l.desc);
        fwrite(l.text, 1, l.len, stdout);
        wm_free(&l);
        return 0;
    }
    (void)argv;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
