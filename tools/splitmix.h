/* splitmix.h - the seeded random numbers behind the sample logs and the
 * test corpus: splitmix64, uniform and approximately normal draws in
 * exact arithmetic, so generated data is identical on every machine. */
#ifndef PL_SPLITMIX_H
#define PL_SPLITMIX_H

#include <stdint.h>

typedef struct rng {
    uint64_t s;
} rng;

static inline uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static inline double rng_uniform(rng *r)
{
    return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

/* Approximately standard normal: the sum of 12 uniforms, minus 6. */
static inline double rng_gauss(rng *r)
{
    double s = 0;
    int i;
    for (i = 0; i < 12; i++)
        s += rng_uniform(r);
    return s - 6.0;
}

#endif
