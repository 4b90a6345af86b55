/* testutil.h - what every cmocka test here needs: the cmocka includes in
 * the order it wants, file loading, and where the shared real logs live. */
#ifndef PL_TESTUTIL_H
#define PL_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* ONLY=PATTERN in the environment (make test T=test_detect
 * ONLY='test_no_*') runs only the tests whose names match it; every main
 * calls this before running its group. */
static inline void tu_filter(void)
{
    const char *only = getenv("ONLY");
    if (only && only[0])
        cmocka_set_test_filter(only);
}

/* Reads a whole file, terminated; NULL when it cannot be read. Caller
 * frees. */
static inline char *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, k;
    if (!f)
        return NULL;
    do {
        if (n + 65536 > cap) {
            char *nb = realloc(buf, cap = n + 65536 + cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        k = fread(buf + n, 1, cap - n, f);
        n += k;
    } while (k > 0);
    fclose(f);
    buf[n] = '\0'; /* the last read found room and filled none of it */
    *len = n;
    return buf;
}

/* The real logs of ../shared/data (PERFLEAK_SHARED_DATA overrides). */
static inline const char *tu_shared_dir(void)
{
    const char *d = getenv("PERFLEAK_SHARED_DATA");
    return d && *d ? d : "../shared/data";
}

/* Warnings a pl_warn_fn collects, one a line: tu_keep_warning with a
 * tu_warnings (zeroed) as its context. */
typedef struct tu_warnings {
    char text[8192];
} tu_warnings;

static inline void tu_keep_warning(void *ctx, const char *msg)
{
    tu_warnings *w = ctx;
    size_t n = strlen(w->text);
    snprintf(w->text + n, sizeof w->text - n, "%s\n", msg);
}

#endif
