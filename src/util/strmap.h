/* strmap.h - a small string-keyed hash map (open addressing) used to find
 * counters by path; internal. */
#ifndef PL_STRMAP_H
#define PL_STRMAP_H

#include <stddef.h>

typedef struct pl_strmap {
    char **keys;
    size_t *vals;
    size_t n, cap;
} pl_strmap;

/* Returns 1 and sets *val when key is present, else 0. */
int pl_strmap_get(const pl_strmap *m, const char *key, size_t *val);
/* Inserts or replaces; copies key. Returns 0, or -1 when out of memory. */
int pl_strmap_put(pl_strmap *m, const char *key, size_t val);
void pl_strmap_clear(pl_strmap *m);

/* Counts one more time key was seen; *n gets the count, 1 the first time.
 * Returns 0, or -1 when out of memory. */
int pl_strmap_count(pl_strmap *m, const char *key, size_t *n);

/* "path\x1Fn": the key of the n-th column with that path in one header,
 * so that a path repeated within a header stays apart and the n-th of
 * each log is one series. Caller frees; NULL when out of memory. */
char *pl_repeat_key(const char *path, size_t n);

#endif
