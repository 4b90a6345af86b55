/* strmap.c - string-keyed hash map: FNV-1a and linear probing, kept at most
 * half full so probes stay short. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/strmap.h"
#include "util/internal.h"

static size_t hash(const char *s)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= UINT64_C(1099511628211);
    }
    return (size_t)h;
}

int pl_strmap_get(const pl_strmap *m, const char *key, size_t *val)
{
    size_t i;
    if (!m->cap)
        return 0;
    for (i = hash(key) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1)) {
        if (strcmp(m->keys[i], key) == 0) {
            *val = m->vals[i];
            return 1;
        }
    }
    return 0;
}

static int grow(pl_strmap *m)
{
    size_t nc = m->cap ? m->cap * 2 : 64, i;
    char **nk = calloc(nc, sizeof *nk);
    size_t *nv = calloc(nc, sizeof *nv);
    if (!nk || !nv) {
        free(nk);
        free(nv);
        return -1;
    }
    for (i = 0; i < m->cap; i++) {
        size_t j;
        if (!m->keys[i])
            continue;
        for (j = hash(m->keys[i]) & (nc - 1); nk[j]; j = (j + 1) & (nc - 1))
            ;
        nk[j] = m->keys[i];
        nv[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = nk;
    m->vals = nv;
    m->cap = nc;
    return 0;
}

int pl_strmap_put(pl_strmap *m, const char *key, size_t val)
{
    size_t i;
    if ((m->n + 1) * 2 > m->cap && grow(m))
        return -1;
    for (i = hash(key) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1)) {
        if (strcmp(m->keys[i], key) == 0) {
            m->vals[i] = val;
            return 0;
        }
    }
    if (!(m->keys[i] = pl_strdup(key)))
        return -1;
    m->vals[i] = val;
    m->n++;
    return 0;
}

void pl_strmap_clear(pl_strmap *m)
{
    size_t i;
    for (i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

int pl_strmap_count(pl_strmap *m, const char *key, size_t *n)
{
    size_t c = 0;
    pl_strmap_get(m, key, &c);
    if (pl_strmap_put(m, key, c + 1))
        return -1;
    *n = c + 1;
    return 0;
}

char *pl_repeat_key(const char *path, size_t n)
{
    size_t len = strlen(path) + 24;
    char *k = malloc(len);
    if (k)
        snprintf(k, len, "%s\x1F%zu", path, n);
    return k;
}
