/* corpus.h - a deterministic labelled corpus of counter series covering the
 * shapes that are leaks and the shapes that only look like leaks. Used by
 * the accuracy benchmark and by the detector's tests. */
#ifndef PL_CORPUS_H
#define PL_CORPUS_H

#include <stddef.h>
#include "perfleak/perfleak.h"

typedef enum corpus_label {
    LABEL_OK = 0,
    LABEL_LEAK,
    LABEL_INSUFFICIENT
} corpus_label;

typedef struct corpus_series {
    const char *shape;     /* e.g. "linear", "warmup" */
    corpus_label label;
    size_t n;              /* samples */
    pl_time *t;            /* UTC ticks */
    double *v;             /* NaN = missing */
    double level, growth_pct, noise_pct;
    int interval_s;
} corpus_series;

/* Number of shapes and their names/labels. */
size_t corpus_shape_count(void);
const char *corpus_shape_name(size_t i);
corpus_label corpus_shape_label(size_t i);

/* Generates series k (0-based) of shape s with a seed derived from
 * (seed, s, k). Returns 0, or -1 when out of memory. */
int corpus_make(corpus_series *out, size_t shape, size_t k, uint64_t seed);
void corpus_free(corpus_series *s);

#endif
