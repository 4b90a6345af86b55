/* corpus.c - labelled synthetic counter series, one generator per shape.
 *
 * Every parameter is drawn from a seeded splitmix64 stream, so the corpus is
 * the same on every run and machine: lengths 100 to 10 000 samples,
 * intervals 1 s to 5 min, noise 0.2 % to 6 % of the level, growth 8 % to
 * 500 %, about 0.5 % of samples missing. Shapes follow design.md. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "corpus.h"
#include "splitmix.h"

#define PI 3.14159265358979323846
#define MB (1024.0 * 1024.0)
#define DAY_S 86400.0

static double unif(rng *r, double a, double b)
{
    return a + (b - a) * rng_uniform(r);
}

static double logunif(rng *r, double a, double b)
{
    return exp(unif(r, log(a), log(b)));
}

typedef enum shape_id {
    S_LINEAR, S_STAIRS, S_SAW_TREND, S_LATE_ONSET, S_DAILY_TREND, S_ACCEL,
    S_SLOW_NOISY, S_RESTART_RISING,
    S_FLAT, S_WARMUP, S_STEP, S_DAILY, S_SAWTOOTH, S_WANDER, S_SPIKES,
    S_GROW_RELEASE, S_DECLINE, S_RESTART_SAME, S_TOO_FEW, S_COUNT
} shape_id;

static const struct {
    const char *name;
    corpus_label label;
} shapes[S_COUNT] = {
    {"linear", LABEL_LEAK}, {"stairs", LABEL_LEAK}, {"sawtooth+trend", LABEL_LEAK},
    {"late-onset", LABEL_LEAK}, {"daily+trend", LABEL_LEAK}, {"accelerating", LABEL_LEAK},
    {"slow-noisy", LABEL_LEAK}, {"restarts-rising", LABEL_LEAK},
    {"flat", LABEL_OK}, {"warm-up", LABEL_OK}, {"step", LABEL_OK}, {"daily", LABEL_OK},
    {"sawtooth", LABEL_OK}, {"wander", LABEL_OK}, {"spikes", LABEL_OK},
    {"grow-release", LABEL_OK}, {"decline", LABEL_OK}, {"restarts-same", LABEL_OK},
    {"too-few", LABEL_INSUFFICIENT},
};

size_t corpus_shape_count(void) { return S_COUNT; }
const char *corpus_shape_name(size_t i) { return shapes[i].name; }
corpus_label corpus_shape_label(size_t i) { return shapes[i].label; }

static const int intervals[] = {1, 2, 5, 10, 15, 30, 60, 120, 300};

/* Fraction of the way through life j of k lives. */
static double life_phase(double x, int k, int *j)
{
    double p = x * k;
    *j = (int)p;
    if (*j >= k)
        *j = k - 1;
    return p - *j;
}

int corpus_make(corpus_series *out, size_t shape, size_t k, uint64_t seed)
{
    rng r = {seed ^ (UINT64_C(0x100000001B3) * (shape + 1)) ^ (UINT64_C(0x9E3779B9) * (k + 1))};
    double L, G, noise, T, A = 0, P = 0, tau = 0, W = 0, ou = 0, ou_theta = 0;
    double steps[16], step_at[16];
    int nsteps = 0, lives = 0, i, daily = shape == S_DAILY || shape == S_DAILY_TREND;
    size_t n;
    int iv;

    memset(out, 0, sizeof *out);
    out->shape = shapes[shape].name;
    out->label = shapes[shape].label;
    /* Length and interval; a daily cycle needs at least three days. */
    if (shape == S_TOO_FEW) {
        n = 3 + (size_t)(rng_next(&r) % 14);
        iv = intervals[rng_next(&r) % 9];
    } else if (daily) {
        iv = intervals[6 + rng_next(&r) % 3];
        n = (size_t)unif(&r, 3.0 * DAY_S / iv, 10000);
        if (n > 10000) n = 10000;
    } else {
        n = (size_t)logunif(&r, 100, 10000);
        iv = intervals[rng_next(&r) % 9];
    }
    L = logunif(&r, 5 * MB, 2048 * MB);
    noise = logunif(&r, 0.002, 0.06);
    G = logunif(&r, 0.08, 5.0);
    if (shape == S_SLOW_NOISY) {
        G = unif(&r, 0.08, 0.2);
        noise = unif(&r, 0.02, 0.06);
    }
    T = (double)(n - 1) * iv;
    switch (shape) {
    case S_STAIRS:
        nsteps = 3 + (int)(rng_next(&r) % 10);
        /* random times, one in each of nsteps equal stretches, so the
         * growth goes on through the log (all at one end is a step) */
        for (i = 0; i < nsteps; i++) {
            step_at[i] = (i + unif(&r, 0.1, 0.9)) / nsteps;
            steps[i] = unif(&r, 0.5, 1.5);
        }
        {
            double tot = 0;
            for (i = 0; i < nsteps; i++) tot += steps[i];
            for (i = 0; i < nsteps; i++) steps[i] *= G / tot;
        }
        break;
    case S_SAW_TREND:
    case S_SAWTOOTH:
        A = unif(&r, 0.2, 1.0);
        P = T / unif(&r, 4, 40);
        break;
    case S_LATE_ONSET:
        tau = unif(&r, 0.3, 0.7);
        break;
    case S_DAILY_TREND:
    case S_DAILY:
        A = unif(&r, 0.1, 0.5);
        break;
    case S_RESTART_RISING:
    case S_RESTART_SAME:
        lives = 3 + (int)(rng_next(&r) % 5);
        W = unif(&r, 0.5, 3.0);     /* warm-up height over the startup level */
        tau = unif(&r, 0.03, 0.12); /* warm-up time constant, share of a life */
        break;
    case S_WARMUP:
        W = unif(&r, 0.3, 3.0);
        tau = unif(&r, 0.02, 0.12);
        break;
    case S_STEP:
        W = unif(&r, 0.15, 2.0);
        tau = unif(&r, 0.15, 0.75);
        break;
    case S_WANDER:
        W = unif(&r, 0.05, 0.25);        /* stationary spread */
        ou_theta = 1.0 / unif(&r, 0.02, 0.1); /* mean reversion per log length */
        break;
    case S_SPIKES:
        W = unif(&r, 0.5, 3.0);
        break;
    case S_GROW_RELEASE:
        tau = unif(&r, 0.45, 0.8);
        W = rng_next(&r) % 2;               /* 0 sharp release, 1 gradual */
        break;
    case S_DECLINE:
        G = unif(&r, 0.1, 0.8);
        break;
    default:
        break;
    }
    /* Less than an hour, or fewer than 30 samples, is too little to judge
     * whatever the shape (perfleak's --min-span and minimum sample count):
     * such series are labelled so, and keep their shape's name. */
    if ((double)(n - 1) * iv < 3600 || n < 30)
        out->label = LABEL_INSUFFICIENT;
    out->n = n;
    out->interval_s = iv;
    out->level = L;
    out->growth_pct = out->label == LABEL_LEAK ? 100 * G : 0;
    out->noise_pct = 100 * noise;
    out->t = malloc(n * sizeof *out->t);
    out->v = malloc(n * sizeof *out->v);
    if (!out->t || !out->v) {
        corpus_free(out);
        return -1;
    }
    for (i = 0; i < (int)n; i++) {
        double x = n > 1 ? (double)i / (double)(n - 1) : 0, ts = x * T, y = L;
        int j;
        double ph;
        switch (shape) {
        case S_LINEAR:
        case S_SLOW_NOISY:
            y = L * (1 + G * x);
            break;
        case S_STAIRS: {
            int s;
            for (s = 0; s < nsteps; s++)
                if (x >= step_at[s]) y += L * steps[s];
            break;
        }
        case S_SAW_TREND:
            /* growth G of the mean level L(1 + A/2) */
            y = L * (1 + G * (1 + A / 2) * x + A * fmod(ts, P) / P);
            break;
        case S_SAWTOOTH:
            y = L * (1 + A * fmod(ts, P) / P);
            break;
        case S_LATE_ONSET:
            y = L * (1 + (x > tau ? G * (x - tau) / (1 - tau) : 0));
            break;
        case S_DAILY_TREND:
            y = L * (1 + G * x + A * sin(2 * PI * ts / DAY_S));
            break;
        case S_DAILY:
            y = L * (1 + A * sin(2 * PI * ts / DAY_S));
            break;
        case S_ACCEL:
            y = L * (1 + G * x * x);
            break;
        case S_RESTART_RISING:
            ph = life_phase(x, lives, &j);
            /* plateaus rise by G of the first plateau over the lives */
            y = L * (0.3 + (W + G * (0.3 + W) * j / (lives - 1)) * (1 - exp(-ph / tau)));
            break;
        case S_RESTART_SAME:
            ph = life_phase(x, lives, &j);
            y = L * (0.3 + W * (1 - exp(-ph / tau)));
            break;
        case S_WARMUP:
            y = L * (1 + W * (1 - exp(-x / tau)));
            break;
        case S_STEP:
            y = L * (1 + (x >= tau ? W : 0));
            break;
        case S_WANDER: {
            double dt = n > 1 ? 1.0 / (double)(n - 1) : 0;
            /* Ornstein-Uhlenbeck, exact discretisation */
            double a = exp(-ou_theta * dt);
            ou = i == 0 ? W * rng_gauss(&r) : ou * a + W * sqrt(1 - a * a) * rng_gauss(&r);
            y = L * (1 + ou);
            break;
        }
        case S_SPIKES:
            if (unif(&r, 0, 1) < 0.005)
                y = L * (1 + W * unif(&r, 0.5, 1));
            break;
        case S_GROW_RELEASE:
            if (x <= tau)
                y = L * (1 + G * x / tau);
            else if (W < 0.5)
                y = L;
            else
                y = L * (1 + G * (1 - (x - tau) / (1 - tau)));
            break;
        case S_DECLINE:
            y = L * (1 + G * (1 - x));
            break;
        default:
            break;
        }
        y += L * noise * rng_gauss(&r);
        if (y < 0)
            y = 0;
        out->t[i] = (pl_time)1767225600 * PL_TICKS_PER_SEC + (pl_time)i * iv * PL_TICKS_PER_SEC;
        out->v[i] = (i > 0 && unif(&r, 0, 1) < 0.005) ? NAN : y;
    }
    return 0;
}

void corpus_free(corpus_series *s)
{
    free(s->t);
    free(s->v);
    s->t = NULL;
    s->v = NULL;
}
