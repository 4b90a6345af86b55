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
#include <pthread.h>
#include <unistd.h>
#include "testutil.h"
#include "winmodel.h"
#include "perfleak/diagnose.h"

static size_t env_count(const char *name, size_t dflt)
{
    const char *v = getenv(name);
    return v && *v ? (size_t)strtoul(v, NULL, 10) : dflt;
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

/* One drawn server judged: what the tests count, and what they print
 * about it (in seed order, whichever thread judged it). */
typedef struct verdict {
    size_t findings, tp, fp, fn;
    int broken;
    char *text; /* messages, or NULL */
    size_t len;
} verdict;

/* The servers of one kind, judged on every core: each server's work is
 * independent, and the analysis itself is mostly one thread's. */
typedef struct sweep {
    wm_leak kind;
    size_t seed0, n, next;
    verdict *v;
    pthread_mutex_t lock;
} sweep;

static void judge_one(wm_leak kind, uint64_t seed, verdict *v)
{
    wm_log l;
    pl_analysis *a = NULL;
    pl_error err;
    FILE *m = open_memstream(&v->text, &v->len);
    pl_diagnosis *d = NULL;
    char why[256];
    size_t i;
    if (!m || wm_draw(seed, kind, &l) != 0)
        abort();
    if (pl_analysis_create(&a, NULL, &err) != PL_OK ||
        pl_analysis_read_buffer(a, "web07.csv", l.text, l.len, 0, &err) != PL_OK ||
        pl_analysis_detect(a, &err) != PL_OK || pl_diagnose(a, &d, &err) != PL_OK) {
        fprintf(m, "%s seed %llu: %s: %s\n", wm_leak_name(kind), (unsigned long long)seed, l.desc, err.msg);
        v->broken = 1;
    } else {
        v->findings = pl_diagnosis_count(d);
        if (kind == WM_HEALTHY) {
            if (v->findings)
                fprintf(m, "healthy seed %llu: %zu findings: %s\n", (unsigned long long)seed, v->findings, l.desc);
        } else {
            wm_score(&l, d, &v->tp, &v->fp, &v->fn);
            if (v->fp || v->fn)
                fprintf(m, "%s seed %llu: %zu right, %zu false, %zu missed: %s\n", wm_leak_name(kind),
                        (unsigned long long)seed, v->tp, v->fp, v->fn, l.desc);
        }
        if (kind == WM_HEALTHY ? v->findings > 0 : v->fp || v->fn)
            for (i = 0; i < v->findings; i++)
                fprintf(m, "    %s (restarts %zu)\n", pl_diagnosis_finding(d, i)->summary,
                        pl_diagnosis_finding(d, i)->restarts);
        if (!invariants(d, why, sizeof why)) {
            fprintf(m, "%s seed %llu: %s\n", wm_leak_name(kind), (unsigned long long)seed, why);
            v->broken = 1;
        }
    }
    pl_diagnosis_free(d);
    pl_analysis_free(a);
    wm_free(&l);
    if (fclose(m) != 0)
        abort();
}

static void *sweep_thread(void *arg)
{
    sweep *s = arg;
    for (;;) {
        size_t i;
        pthread_mutex_lock(&s->lock);
        i = s->next < s->n ? s->next++ : SIZE_MAX;
        pthread_mutex_unlock(&s->lock);
        if (i == SIZE_MAX)
            return NULL;
        judge_one(s->kind, s->seed0 + i, &s->v[i]);
    }
}

/* Judges n servers of kind, seeds seed0.., into the verdicts returned
 * (the caller frees them), and prints their messages in seed order. */
static verdict *sweep_run(wm_leak kind, size_t seed0, size_t n)
{
    sweep s = {kind, seed0, n, 0, calloc(n ? n : 1, sizeof(verdict)), PTHREAD_MUTEX_INITIALIZER};
    pthread_t th[8];
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nt = cores < 1 ? 1 : cores > 8 ? 8 : (size_t)cores, started = 0, i;
    assert_non_null(s.v);
    while (started < nt && pthread_create(&th[started], NULL, sweep_thread, &s) == 0)
        started++;
    if (!started)
        sweep_thread(&s);
    for (i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    for (i = 0; i < n; i++) {
        if (s.v[i].len)
            print_message("%s", s.v[i].text);
        free(s.v[i].text);
        s.v[i].text = NULL;
    }
    return s.v;
}

static void test_healthy_servers(void **state)
{
    size_t n = env_count("WM_HEALTHY", 500), seed0 = env_count("WM_SEED0", 0), i, bad = 0, nf = 0, broken = 0;
    verdict *v = sweep_run(WM_HEALTHY, seed0 + 1, n);
    (void)state;
    for (i = 0; i < n; i++) {
        bad += v[i].findings > 0;
        nf += v[i].findings;
        broken += (size_t)v[i].broken;
    }
    free(v);
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
        verdict *v = sweep_run((wm_leak)k, seed0 + 1000, per);
        for (i = 0; i < per; i++) {
            ktp += v[i].tp;
            kfp += v[i].fp;
            kfn += v[i].fn;
            broken += (size_t)v[i].broken;
        }
        free(v);
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
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
