/* winmodel.c - randomly drawn whole-server logs (see winmodel.h). A server
 * is a list of processes, each a life with its own ID and a shape per
 * counter; the log is what Perfmon writes of them: one column set per
 * instance slot of a name, the oldest living namesake in the unnumbered
 * slot, blanks while a slot is empty, _Total and Idle, and Memory's
 * totals made from the processes plus the kernel's share. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "winmodel.h"
#include "splitmix.h"

#define MB (1024.0 * 1024.0)
#define GB (1024.0 * MB)
#define TB (1024.0 * GB)
#define MAXP 400
#define NCTR 8
#define PI 3.14159265358979

static const char *const CTRS[NCTR] = {"ID Process", "Private Bytes", "Working Set",
                                       "Virtual Bytes", "Handle Count", "Thread Count",
                                       "Pool Paged Bytes", "Pool Nonpaged Bytes"};

typedef struct wproc {
    char name[24];
    long pid;
    double start_h, end_h;   /* end_h < 0: to the end of the log */
    int bit32;
    double priv, ws_share, virt_base;
    double hnd, thr, pp, np;
    double warm_tau_h, warm_from;   /* exponential approach from warm_from x level */
    double cycle, phase;            /* daily cycle, share of the level */
    double saw_h, saw;              /* GC sawtooth within the process */
    double burst_h, burst;          /* thread pool: grows for burst_h, collapses */
    double onset_h;                 /* leak rates apply from here (log hours) */
    double priv_rate, hnd_rate, thr_rate, virt_rate;
    double noise;
    int ws_trimmed;                 /* working set trimmed: flat under a leak */
} wproc;

typedef struct server {
    wproc p[MAXP];
    size_t n;
    double hours, step_h, day0_h;   /* day0_h: local hour of the first sample */
    double kpp, knp, kpp_rate, knp_rate, kcommit_rate, kother;
    double cache0, cache1, cache_tau; /* file cache grows from cache0 to cache1 */
    double ram;
    long next_pid;
    rng r;
} server;

static double U(server *s, double a, double b)
{
    return a + (b - a) * rng_uniform(&s->r);
}

static int coin(server *s, double p)
{
    return rng_uniform(&s->r) < p;
}

static long new_pid(server *s)
{
    s->next_pid += 4 * (1 + (long)(rng_next(&s->r) % 60));
    return s->next_pid;
}

static wproc *add(server *s, const char *name, double priv_mb, double hnd, double thr)
{
    wproc *p;
    if (s->n >= MAXP)
        abort(); /* the draws stay well below */
    p = &s->p[s->n++];
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "%s", name);
    p->pid = new_pid(s);
    p->start_h = -U(s, 24, 24 * 40); /* started before the log */
    p->end_h = -1;
    p->priv = priv_mb * MB;
    p->ws_share = U(s, 0.35, 1.1);
    p->virt_base = U(s, 2 * TB, 2 * TB + 2 * GB);
    p->hnd = hnd;
    p->thr = thr;
    p->pp = U(s, 40e3, 400e3);
    p->np = U(s, 8e3, 60e3);
    p->noise = U(s, 0.001, 0.01);
    p->phase = U(s, 0, 24);
    p->onset_h = -1e9;
    return p;
}

/* A copy of p as a new process starting at t (a restart): a new ID,
 * warming up again to the same plateau. */
static wproc *restart(server *s, const wproc *p, double t, double tau_h)
{
    wproc *q;
    if (s->n >= MAXP)
        abort();
    q = &s->p[s->n++];
    *q = *p;
    q->pid = new_pid(s);
    q->start_h = t;
    q->end_h = -1;
    q->warm_tau_h = tau_h;
    q->warm_from = U(s, 0.15, 0.6);
    return q;
}

static int alive(const wproc *p, double t)
{
    return t >= p->start_h && (p->end_h < 0 || t < p->end_h);
}

static double warm(const wproc *p, double tau)
{
    if (p->warm_tau_h <= 0)
        return 1;
    return 1 - (1 - p->warm_from) * exp(-tau / p->warm_tau_h);
}

/* The value of counter k of p at log hour t. */
static double value(server *s, const wproc *p, int k, double t)
{
    double tau = t - p->start_h, grow = t - fmax(p->onset_h, p->start_h);
    double w = warm(p, tau), local = s->day0_h + t;
    double cyc = 1 + p->cycle * sin(2 * PI * (local + p->phase) / 24);
    double saw = p->saw_h > 0 ? p->saw * fmod(tau, p->saw_h) / p->saw_h : 0;
    double nz = 1 + p->noise * rng_gauss(&s->r), priv;
    if (grow < 0)
        grow = 0;
    priv = (p->priv * w * cyc * (1 + saw) + p->priv_rate * grow) * nz;
    switch (k) {
    case 0:
        return (double)p->pid;
    case 1:
        return priv;
    case 2:
        if (p->ws_trimmed)
            return p->priv * w * cyc * p->ws_share * nz;
        return priv * p->ws_share * (1 + 0.5 * p->cycle * sin(2 * PI * local / 24 + 1));
    case 3:
        /* reservations: the base (about 2 TB for a 64-bit process), the
         * heap's, and growth */
        return p->virt_base + 1.25 * p->priv * w + p->priv_rate * grow * 1.1 + p->virt_rate * grow;
    case 4:
        return floor(p->hnd * (0.7 + 0.3 * w) * (1 + 0.4 * p->cycle * sin(2 * PI * local / 24)) +
                     p->hnd_rate * grow + 0.02 * p->hnd * rng_gauss(&s->r));
    case 5: {
        double b = p->burst_h > 0 ? p->burst * fmod(tau, p->burst_h) / p->burst_h : 0;
        return floor(p->thr * (0.8 + 0.2 * w) * (1 + b) + p->thr_rate * grow +
                     0.6 * rng_gauss(&s->r));
    }
    case 6:
        return (p->pp * (0.6 + 0.4 * w) + 180 * p->hnd_rate * grow) * nz;
    default:
        return (p->np + 900 * p->thr_rate * grow) * nz;
    }
}

/* Lives of a service restarted every life_h from first_h on (a schedule,
 * nightly or every few hours), each warming up over tau_h: appended
 * after p, which becomes the first life. */
static void schedule(server *s, wproc *p, double first_h, double life_h, double tau_h,
                     double overlap_h)
{
    double t = first_h;
    wproc *cur = p;
    while (t < s->hours && s->n < MAXP) {
        cur->end_h = t;
        cur = restart(s, cur, t - overlap_h, tau_h);
        t += life_h;
    }
}

/* Lives of a leaking service that each end when private memory reaches
 * limit (recycled or crashed), the next starting gap_h later (negative:
 * overlapped). */
static void at_limit(server *s, wproc *p, double limit, double gap_h, int werfault)
{
    wproc *cur = p;
    while (s->n + 2 < MAXP) {
        /* private memory is about priv + rate x age: at the limit when */
        double end = cur->start_h + (limit - cur->priv) / cur->priv_rate;
        if (end >= s->hours)
            return;
        cur->end_h = end;
        if (werfault) {
            wproc *wf = add(s, "WerFault", 9, 180, 6);
            wf->start_h = end;
            wf->end_h = end + U(s, 0.01, 0.05);
        }
        cur = restart(s, cur, end + gap_h, U(s, 0.05, 0.3));
        cur->onset_h = -1e9;
    }
}

/* Short-lived processes of one name, a new ID each. */
static void churn(server *s, const char *name, double every_h, double life_min, double life_max,
                  double priv_mb)
{
    double t = U(s, 0, every_h);
    while (t < s->hours && s->n < MAXP - 40) {
        wproc *q = add(s, name, priv_mb * U(s, 0.7, 1.3), 60, 3);
        q->start_h = t;
        q->end_h = t + U(s, life_min, life_max);
        q->warm_tau_h = 0.01;
        q->warm_from = 0.4;
        t += every_h * U(s, 0.3, 1.7);
    }
}

static wproc *lookup(server *s, const char *name)
{
    size_t i;
    for (i = 0; i < s->n; i++)
        if (strcmp(s->p[i].name, name) == 0)
            return &s->p[i];
    return NULL;
}

/* A process every draw has. */
static wproc *find(server *s, const char *name)
{
    wproc *p = lookup(s, name);
    if (!p)
        abort();
    return p;
}

static void describe(wm_log *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void describe(wm_log *l, const char *fmt, ...)
{
    size_t o = strlen(l->desc);
    va_list ap;
    if (o + 2 >= sizeof l->desc)
        return;
    va_start(ap, fmt);
    vsnprintf(l->desc + o, sizeof l->desc - o, fmt, ap);
    va_end(ap);
}

/* The processes every server runs, and what a healthy one draws. */
static void healthy(server *s, wm_log *l, int quiet)
{
    static const char *const services[] = {"OrderSvc", "ReportSvc", "AgentSvc", "BackupAgent",
                                           "HealthService", "ccmexec"};
    size_t i, nsvc = 6 + (size_t)(rng_next(&s->r) % 12), npools = (size_t)(rng_next(&s->r) % 4);
    int reboot = !quiet && coin(s, 0.2);
    wproc *p;
    s->next_pid = 0;
    p = add(s, "Idle", 0, 0, 2);
    p->pid = 0;
    p->priv = 0;
    p->noise = 0;
    p = add(s, "System", 0.2, 2400, 150);
    p->pid = 4;
    p->virt_base = 4 * MB;
    s->next_pid = 88;
    add(s, "Registry", 12, 0, 4);
    add(s, "smss", 0.5, 53, 2);
    add(s, "csrss", 1.8, 480, 11);
    add(s, "csrss", 1.6, 260, 10);
    add(s, "wininit", 1.4, 170, 2);
    add(s, "winlogon", 2.5, 260, 4);
    add(s, "services", 6, 700, 8);
    add(s, "lsass", U(s, 8, 30), U(s, 1100, 2500), 9);
    for (i = 0; i < nsvc; i++) {
        p = add(s, "svchost", U(s, 2, 120), U(s, 120, 1800), U(s, 6, 60));
        p->cycle = coin(s, 0.3) ? U(s, 0.02, 0.15) : 0;
    }
    add(s, "spoolsv", U(s, 5, 20), U(s, 300, 600), 12);
    p = add(s, "MsMpEng", U(s, 150, 350), U(s, 600, 1200), 40);
    p->cycle = U(s, 0, 0.1);
    for (i = 0; i < 3; i++) {
        p = add(s, services[rng_next(&s->r) % 6], U(s, 20, 300), U(s, 200, 1200), U(s, 10, 60));
        p->cycle = coin(s, 0.5) ? U(s, 0.03, 0.2) : 0;
        p->bit32 = coin(s, 0.2);
        if (p->bit32)
            p->virt_base = U(s, 150 * MB, 500 * MB);
    }
    if (!lookup(s, "OrderSvc"))
        add(s, "OrderSvc", U(s, 40, 200), U(s, 300, 800), 25);
    if (!lookup(s, "legacy32")) {
        p = add(s, "legacy32", U(s, 60, 200), 400, 20);
        p->bit32 = 1;
        p->virt_base = U(s, 200 * MB, 600 * MB);
    }
    add(s, "explorer", U(s, 30, 80), 900, 30);
    if (reboot) { /* the log starts at boot: everything warms up */
        for (i = 0; i < s->n; i++) {
            s->p[i].start_h = 0;
            s->p[i].warm_tau_h = U(s, 0.05, 2);
            s->p[i].warm_from = U(s, 0.2, 0.8);
        }
        describe(l, "boot at the start; ");
    }
    if (quiet)
        return;
    /* sqlservr: the buffer pool warms up for hours, then stays */
    if (coin(s, 0.5)) {
        p = add(s, "sqlservr", U(s, 800, 4000), U(s, 800, 2000), U(s, 50, 120));
        if (coin(s, 0.5)) {
            p->start_h = U(s, -2, s->hours * 0.3);
            p->warm_tau_h = U(s, 2, 8);
            p->warm_from = U(s, 0.1, 0.5);
            describe(l, "sqlservr warms up from %.1f h over %.1f h; ", p->start_h, p->warm_tau_h);
        }
        /* the buffer pool keeps what it took: no daily cycle */
    }
    /* app pools: steady, sawtooth, recycled on a schedule (overlapped) */
    for (i = 0; i < npools; i++) {
        double r = rng_uniform(&s->r);
        p = add(s, "w3wp", U(s, 150, 700), U(s, 600, 2000), U(s, 30, 80));
        p->cycle = U(s, 0, 0.15);
        if (r < 0.3) {
            p->saw_h = U(s, 0.3, 2);
            p->saw = U(s, 0.2, 0.7);
            describe(l, "w3wp GC sawtooth; ");
        } else if (r < 0.7) {
            double every = coin(s, 0.5) ? 29 : U(s, 5, 13);
            schedule(s, p, U(s, 1, every), every, U(s, 0.05, every / 5), coin(s, 0.6) ? U(s, 0.01, 0.03) : 0);
            describe(l, "w3wp recycled every %.1f h; ", every);
        }
    }
    /* a nightly restart at 02:00 that warms up to the same plateau */
    if (coin(s, 0.5)) {
        double first = fmod(26 - s->day0_h, 24);
        p = add(s, "ReportSvc", U(s, 100, 600), U(s, 400, 1000), 30);
        schedule(s, p, first < 0.5 ? first + 24 : first, 24, U(s, 0.3, 4), 0);
        describe(l, "ReportSvc restarted nightly; ");
    }
    /* a service restarted every few hours */
    if (coin(s, 0.3)) {
        double every = U(s, 4, 8);
        p = add(s, "AgentSvc", U(s, 40, 300), U(s, 300, 900), 25);
        schedule(s, p, U(s, 1, every), every, U(s, 0.1, every / 5), 0);
        describe(l, "AgentSvc restarted every %.1f h; ", every);
    }
    /* Defender restarted by an update; svchost services restarted */
    if (coin(s, 0.5)) {
        wproc *m = find(s, "MsMpEng");
        double t = U(s, 1, s->hours - 1);
        m->end_h = t;
        restart(s, m, t + U(s, 0, 0.01), U(s, 0.2, 3));
        describe(l, "MsMpEng restarted at %.1f h; ", t);
    }
    for (i = 0; i < 3 && coin(s, 0.4); i++) {
        wproc *v = &s->p[12 + rng_next(&s->r) % 5];
        double t = U(s, 0.5, s->hours - 0.5);
        if (strcmp(v->name, "svchost") != 0 || v->end_h >= 0)
            continue;
        v->end_h = t;
        restart(s, v, t + U(s, 0, 0.02), U(s, 0.05, 1));
        describe(l, "svchost restarted at %.1f h; ", t);
    }
    /* a thread pool that grows and collapses inside one process */
    if (coin(s, 0.4)) {
        p = add(s, "MonitoringHost", U(s, 60, 200), 900, U(s, 20, 40));
        p->burst_h = U(s, 1, 5);
        p->burst = U(s, 0.5, 1.5);
        describe(l, "MonitoringHost thread bursts; ");
    }
    /* a crash without a leak: WerFault, then a restart */
    if (coin(s, 0.3)) {
        wproc *v = find(s, "OrderSvc");
        double t = U(s, 1, s->hours - 1);
        if (v->end_h < 0) {
            wproc *wf;
            v->end_h = t;
            wf = add(s, "WerFault", 9, 180, 6);
            wf->start_h = t;
            wf->end_h = t + 0.03;
            restart(s, v, t + 0.02, U(s, 0.1, 1));
            describe(l, "OrderSvc crashed at %.1f h; ", t);
        }
    }
    /* a file cache that eats Available MBytes, then levels off */
    if (coin(s, 0.5)) {
        s->cache1 = s->cache0 + U(s, 1, 6) * GB;
        s->cache_tau = U(s, 1, s->hours / 4);
        describe(l, "file cache grows %.1f GB; ", (s->cache1 - s->cache0) / GB);
    }
    churn(s, "conhost", U(s, 0.2, 1.5), 0.02, 0.3, 6);
    churn(s, "WmiPrvSE", U(s, 1, 4), 0.2, 1.0, 15);
}

/* A service a leak is put in: one that is not restarted on its own. */
static wproc *target(server *s, const char *const *names, size_t n)
{
    size_t tries;
    for (tries = 0; tries < 20; tries++) {
        const char *name = names[rng_next(&s->r) % n];
        size_t i, cands[64], nc = 0;
        for (i = 0; i < s->n && nc < 64; i++)
            if (strcmp(s->p[i].name, name) == 0 && s->p[i].end_h < 0 && s->p[i].start_h < 0) {
                size_t j, same = 0;
                for (j = 0; j < s->n; j++)
                    same += strcmp(s->p[j].name, name) == 0;
                if (same == 1 || strcmp(name, "svchost") == 0)
                    cands[nc++] = i;
            }
        if (nc)
            return &s->p[cands[rng_next(&s->r) % nc]];
    }
    return find(s, "OrderSvc");
}

static void expect_process(wm_log *l, const char *name, unsigned kind, size_t restarts)
{
    l->nexpect = 1;
    l->expect.type = PL_CULPRIT_PROCESS;
    snprintf(l->expect.name, sizeof l->expect.name, "%s", name);
    l->expect.kind = kind;
    l->expect.restarts = restarts;
}

static void inject(server *s, wm_log *l, wm_leak k)
{
    static const char *const heap[] = {"OrderSvc", "spoolsv", "svchost", "lsass", "explorer",
                                       "ReportSvc", "AgentSvc", "ccmexec"};
    /* the leak began in the log, or not long before it (a leak since a
     * start weeks ago would dwarf its growth over the log) */
    double H = s->hours, onset = coin(s, 0.4) ? U(s, 0, 0.4 * H) : -U(s, 0, 0.3 * H), span;
    wproc *p;
    span = H - fmax(onset, 0);
    switch (k) {
    case WM_HEAP:
        p = target(s, heap, 8);
        p->onset_h = onset;
        p->priv_rate = U(s, 0.3, 3) * p->priv / span;
        p->ws_trimmed = coin(s, 0.3);
        expect_process(l, p->name, PL_GROWS_MEMORY, 0);
        describe(l, "LEAK heap %s +%.2f MB/h from %.1f h", p->name, p->priv_rate / MB, fmax(onset, 0));
        break;
    case WM_HANDLES:
        p = target(s, heap, 8);
        p->onset_h = onset;
        p->hnd_rate = U(s, 0.4, 3) * p->hnd / span;
        expect_process(l, p->name, PL_GROWS_HANDLES, 0);
        describe(l, "LEAK handles %s +%.1f/h from %.1f h", p->name, p->hnd_rate, fmax(onset, 0));
        break;
    case WM_SLOW_HANDLES:
        p = target(s, heap, 8);
        p->hnd_rate = 0.15 * p->hnd / 48;
        p->onset_h = 0;
        p->cycle = fmax(p->cycle, 0.05);
        expect_process(l, p->name, PL_GROWS_HANDLES, 0);
        describe(l, "LEAK slow handles %s (PID %ld) +%.1f/h", p->name, p->pid, p->hnd_rate);
        break;
    case WM_THREADS:
        p = target(s, heap, 8);
        p->onset_h = onset;
        p->thr_rate = U(s, 0.5, 3) * fmax(p->thr, 10) / span;
        expect_process(l, p->name, PL_GROWS_THREADS, 0);
        describe(l, "LEAK threads %s +%.2f/h", p->name, p->thr_rate);
        break;
    case WM_ADDRESS:
        p = find(s, "legacy32");
        p->onset_h = onset;
        p->virt_rate = U(s, 0.3, 2) * p->virt_base / span;
        expect_process(l, p->name, PL_GROWS_ADDRESS_SPACE, 0);
        describe(l, "LEAK address space legacy32 +%.1f MB/h", p->virt_rate / MB);
        break;
    case WM_POOL_PAGED:
    case WM_POOL_NONPAGED:
        l->nexpect = 1;
        l->expect.type = PL_CULPRIT_KERNEL;
        l->expect.pool = k == WM_POOL_NONPAGED;
        l->expect.kind = k == WM_POOL_NONPAGED ? PL_GROWS_POOL_NONPAGED : PL_GROWS_POOL_PAGED;
        if (k == WM_POOL_NONPAGED)
            s->knp_rate = U(s, 0.5, 4) * s->knp / H;
        else
            s->kpp_rate = U(s, 0.5, 4) * s->kpp / H;
        describe(l, "LEAK kernel %s pool", k == WM_POOL_NONPAGED ? "nonpaged" : "paged");
        break;
    case WM_RECYCLED_LIMIT:
    case WM_RECYCLED_SCHEDULE: {
        double every = U(s, 4, 12), overlap = coin(s, 0.6) ? U(s, 0.01, 0.03) : 0;
        p = add(s, "w3wp", U(s, 150, 400), U(s, 600, 1500), 40);
        p->start_h = -U(s, 0, 2);
        p->warm_tau_h = 0.2;
        p->warm_from = 0.5;
        p->priv_rate = U(s, 1.0, 3.0) * p->priv / every;
        p->hnd_rate = coin(s, 0.3) ? U(s, 20, 100) : 0;
        if (k == WM_RECYCLED_LIMIT) {
            at_limit(s, p, p->priv + p->priv_rate * every, -overlap, 0);
            describe(l, "LEAK w3wp recycled at its limit about every %.1f h (+%.0f MB/h)", every,
                     p->priv_rate / MB);
        } else {
            schedule(s, p, U(s, 1, every), every, 0.2, overlap);
            describe(l, "LEAK w3wp recycled every %.1f h (+%.0f MB/h)", every, p->priv_rate / MB);
        }
        expect_process(l, "w3wp", PL_GROWS_MEMORY, 1);
        break;
    }
    case WM_CRASH_LOOP: {
        double every = U(s, 5, 14);
        p = add(s, "InvSvc", U(s, 100, 300), 600, 30);
        p->start_h = -U(s, 0, 0.8 * every);
        p->bit32 = 1;
        p->virt_base = 300 * MB;
        p->priv_rate = U(s, 0.8, 2) * p->priv / every;
        at_limit(s, p, p->priv + p->priv_rate * every, U(s, 0.01, 0.03), 1);
        expect_process(l, "InvSvc", PL_GROWS_MEMORY, 1);
        describe(l, "LEAK InvSvc crashes at its limit about every %.1f h", every);
        break;
    }
    case WM_COMMIT_UNLOGGED:
        s->kcommit_rate = U(s, 30, 120) * MB;
        l->nexpect = 1;
        l->expect.type = PL_CULPRIT_SYSTEM;
        l->expect.kind = PL_GROWS_COMMIT;
        describe(l, "LEAK commit of an unlogged process +%.0f MB/h", s->kcommit_rate / MB);
        break;
    default:
        break;
    }
}

typedef struct buf {
    char *p;
    size_t n, cap;
    int failed;
} buf;

static void put(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(buf *b, const char *fmt, ...)
{
    va_list ap;
    int k;
    while (!b->failed) {
        va_start(ap, fmt);
        k = vsnprintf(b->p ? b->p + b->n : NULL, b->cap - b->n, fmt, ap);
        va_end(ap);
        if (k < 0) {
            b->failed = 1;
            return;
        }
        if ((size_t)k < b->cap - b->n) {
            b->n += (size_t)k;
            return;
        }
        {
            size_t nc = b->cap ? b->cap * 2 : 1 << 20;
            char *np;
            while (nc - b->n <= (size_t)k)
                nc *= 2;
            if (!(np = realloc(b->p, nc))) {
                b->failed = 1;
                return;
            }
            b->p = np;
            b->cap = nc;
        }
    }
}

const char *wm_leak_name(wm_leak k)
{
    static const char *const names[WM_NLEAKS] = {
        "healthy", "heap", "handles", "slow handles", "threads", "address space",
        "kernel paged pool", "kernel nonpaged pool", "recycled at a limit",
        "recycled on a schedule", "crash loop at a limit", "commit of an unlogged process"};
    return k < WM_NLEAKS ? names[k] : "?";
}

static int draw(server *s, uint64_t seed, wm_leak leak, wm_log *out);

static int cmp_start(const void *x, const void *y)
{
    const wproc *a = *(const wproc *const *)x, *b = *(const wproc *const *)y;
    return a->start_h < b->start_h ? -1 : a->start_h > b->start_h ? 1 : (a->pid > b->pid) - (a->pid < b->pid);
}

int wm_draw(uint64_t seed, wm_leak leak, wm_log *out)
{
    server *sp = malloc(sizeof *sp);
    int rc;
    if (!sp)
        return -1;
    rc = draw(sp, seed, leak, out);
    free(sp);
    return rc;
}
static int draw(server *s, uint64_t seed, wm_leak leak, wm_log *out)
{
    static const double steps_s[] = {15, 30, 60, 120, 300};
    const char *names[MAXP];
    size_t nslots[MAXP], nn = 0, i, j, row, rows;
    buf b = {NULL, 0, 0, 0};
    double year_day;
    int k;
    memset(out, 0, sizeof out[0]);
    memset(s, 0, sizeof *s);
    s->r.s = seed * 0x9E3779B97F4A7C15u + (uint64_t)leak * 7919u + 101;
    s->hours = leak == WM_SLOW_HANDLES ? 48 : U(s, 24, 72);
    s->step_h = steps_s[rng_next(&s->r) % 5] / 3600;
    while (s->hours / s->step_h > 3000) /* keep a draw cheap: coarser, as a long log is */
        s->step_h *= 2;
    s->day0_h = floor(U(s, 0, 24));
    s->kpp = U(s, 150, 450) * MB;
    s->knp = U(s, 80, 250) * MB;
    s->kother = U(s, 300, 900) * MB;
    s->ram = (double)(8 << (rng_next(&s->r) % 3)) * GB;
    s->cache0 = s->cache1 = U(s, 0.2, 1) * GB;
    healthy(s, out, 0);
    inject(s, out, leak);
    out->hours = s->hours;
    out->interval_s = s->step_h * 3600;
    rows = (size_t)(s->hours / s->step_h);
    {
        /* instance slots per name: as many as live at once */
        for (i = 0; i < s->n; i++) {
            for (j = 0; j < nn && strcmp(names[j], s->p[i].name) != 0; j++)
                ;
            if (j == nn) {
                names[nn] = s->p[i].name;
                nslots[nn++] = 0;
            }
        }
        for (j = 0; j < nn; j++)
            for (row = 0; row < rows; row++) {
                double t = (double)row * s->step_h;
                size_t c = 0;
                for (i = 0; i < s->n; i++)
                    c += strcmp(s->p[i].name, names[j]) == 0 && alive(&s->p[i], t);
                if (c > nslots[j])
                    nslots[j] = c;
            }
    }
    put(&b, "\"(PDH-CSV 4.0) (W. Europe Standard Time)(-60)\"");
    for (j = 0; j < nn; j++)
        for (i = 0; i < nslots[j]; i++)
            for (k = 0; k < NCTR; k++) {
                if (i)
                    put(&b, ",\"\\\\WEB07\\Process(%s#%zu)\\%s\"", names[j], i, CTRS[k]);
                else
                    put(&b, ",\"\\\\WEB07\\Process(%s)\\%s\"", names[j], CTRS[k]);
            }
    for (k = 0; k < NCTR; k++)
        put(&b, ",\"\\\\WEB07\\Process(_Total)\\%s\"", CTRS[k]);
    put(&b, ",\"\\\\WEB07\\Memory\\Pool Paged Bytes\",\"\\\\WEB07\\Memory\\Pool Nonpaged Bytes\","
            "\"\\\\WEB07\\Memory\\Committed Bytes\",\"\\\\WEB07\\Memory\\Commit Limit\","
            "\"\\\\WEB07\\Memory\\Cache Bytes\",\"\\\\WEB07\\Memory\\Available MBytes\"\r\n");
    year_day = 40 + (double)(rng_next(&s->r) % 200);
    for (row = 0; row < rows && !b.failed; row++) {
        double t = (double)row * s->step_h, tot[NCTR] = {0}, commit, pp, np, cache, ws = 0;
        long secs = (long)llround(t * 3600) + (long)(s->day0_h * 3600);
        long day = (long)year_day + secs / 86400, sod = secs % 86400;
        static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int mon = 0;
        while (day >= mdays[mon] && mon < 11)
            day -= mdays[mon++];
        put(&b, "\"%02d/%02ld/2026 %02ld:%02ld:%02ld.%03d\"", mon + 1, day + 1, sod / 3600,
            sod / 60 % 60, sod % 60, (int)(rng_next(&s->r) % 40));
        pp = s->kpp + s->kpp_rate * t;
        np = s->knp + s->knp_rate * t;
        for (j = 0; j < nn; j++) {
            const wproc *live[MAXP];
            size_t nl = 0;
            for (i = 0; i < s->n; i++)
                if (strcmp(s->p[i].name, names[j]) == 0 && alive(&s->p[i], t))
                    live[nl++] = &s->p[i];
            if (nl > 1)
                qsort(live, nl, sizeof *live, cmp_start); /* the oldest is unnumbered */
            for (i = 0; i < nslots[j]; i++)
                for (k = 0; k < NCTR; k++) {
                    if (i < nl) {
                        double v = value(s, live[i], k, t);
                        if (k)
                            tot[k] += v;
                        if (k == 2)
                            ws += v;
                        put(&b, ",\"%.0f\"", v);
                    } else {
                        put(&b, ",\" \"");
                    }
                }
        }
        for (k = 0; k < NCTR; k++)
            put(&b, ",\"%.0f\"", k ? tot[k] : 0.0);
        pp += tot[6];
        np += tot[7];
        cache = s->cache1 - (s->cache1 - s->cache0) * (s->cache_tau > 0 ? exp(-t / s->cache_tau) : 1);
        commit = (tot[1] + pp + np + s->kother + s->kcommit_rate * t) * (1 + 0.0008 * rng_gauss(&s->r));
        put(&b, ",\"%.0f\",\"%.0f\",\"%.0f\",\"%.0f\",\"%.0f\",\"%.0f\"\r\n",
            pp * (1 + 0.001 * rng_gauss(&s->r)), np * (1 + 0.001 * rng_gauss(&s->r)), commit,
            s->ram + 8 * GB, cache,
            floor(fmax(64 * MB, s->ram - ws - pp - np - cache - s->kcommit_rate * t - s->kother) / MB));
    }
    if (b.failed) {
        free(b.p);
        return -1;
    }
    out->text = b.p;
    out->len = b.n;
    describe(out, "; %.1f h every %.0f s, %zu processes", s->hours, s->step_h * 3600, s->n);
    return 0;
}

void wm_free(wm_log *l)
{
    free(l->text);
    l->text = NULL;
}

void wm_score(const wm_log *l, const pl_diagnosis *d, size_t *tp, size_t *fp, size_t *fn)
{
    size_t i, n = pl_diagnosis_count(d);
    int used = 0;
    *tp = *fp = 0;
    for (i = 0; i < n; i++) {
        const pl_culprit_finding *f = pl_diagnosis_finding(d, i);
        const wm_expect *e = &l->expect;
        int same = l->nexpect && !used && e->type == f->type &&
                   (e->type != PL_CULPRIT_PROCESS || strcmp(e->name, f->name) == 0) &&
                   (e->type != PL_CULPRIT_KERNEL || e->pool == f->pool) && (f->kinds & e->kind) &&
                   f->restarts >= e->restarts;
        if (same) {
            used = 1;
            (*tp)++;
        } else {
            (*fp)++;
        }
    }
    *fn = l->nexpect && !used;
}
