/* blg.h - pieces of the .blg reader that tests reach directly: turning
 * PDH raw counter values into displayed values, and UTF-16 strings. */
#ifndef PL_BLG_H
#define PL_BLG_H

#include <stddef.h>
#include <stdint.h>

/* One raw sample of a counter, as PDH_RAW_COUNTER holds it: the counter's
 * value, its second value (time stamp or base) and the multi count. */
typedef struct pl_blg_raw {
    int64_t first;
    int64_t second;
    uint32_t multi;
} pl_blg_raw;

/* What a counter type is, for the reader's purposes. */
enum {
    PL_BLG_VALUE = 0,   /* displayed */
    PL_BLG_BASE,        /* a base or time stamp for the counter before it */
    PL_BLG_NOVALUE,     /* text, no data, histogram: not a number column */
    PL_BLG_UNKNOWN      /* a type this reader does not know */
};
int pl_blg_type_kind(uint32_t type);

/* 1 when the counter type's value depends on the previous sample (blank
 * in the first sample, like relog). */
int pl_blg_type_needs_prev(uint32_t type);

/* Displayed value of a counter of the given PERF_* type from the current
 * and (when the type needs one) previous raw sample; timebase is the
 * frequency of the second value's clock. Returns 1 with *out set, 0 when
 * the value is blank (first sample, clock did not advance, counter went
 * backwards), -1 for an unknown type. */
int pl_blg_cook(uint32_t type, const pl_blg_raw *cur, const pl_blg_raw *prev,
                int64_t timebase, double *out);

/* Converts the NUL-terminated UTF-16LE string at p (at most max bytes) to
 * a new UTF-8 string; unpaired surrogates become U+FFFD. *used (may be
 * NULL) gets the bytes consumed including the NUL. NULL when out of
 * memory or when no NUL is found within max bytes. */
char *pl_utf16le_to_utf8(const unsigned char *p, size_t max, size_t *used);

/* Bytes of the NUL-terminated UTF-16LE string at p including its NUL, or
 * 0 when no NUL is found within max bytes. */
size_t pl_utf16le_len(const unsigned char *p, size_t max);

/* Windows time-zone name for a "@tzres.dll,-N" resource reference, or
 * NULL when N is not in the table. */
const char *pl_tzres_name(long id);

#endif
