/* perfleak.h - common definitions of the perfleak library: error codes,
 * the caller-owned error struct, the warning callback and the time type.
 *
 * Ownership rule for the whole library: a function never takes ownership of
 * what it is given; everything a function returns through an out-pointer
 * belongs to the caller and is released with the matching *_free (which
 * accepts NULL). Pointers returned by accessors stay owned by their object.
 */
#ifndef PERFLEAK_PERFLEAK_H
#define PERFLEAK_PERFLEAK_H

#include <stddef.h>
#include <stdint.h>

#define PL_VERSION "0.1.0"

/* Return codes. PL_OK is zero; every other code comes with a message. */
enum pl_code {
    PL_OK = 0,
    PL_ENOMEM,       /* an allocation failed */
    PL_EIO,          /* a file could not be opened, read or written */
    PL_EFORMAT,      /* the input is not what it claims to be */
    PL_EUNSUPPORTED, /* a recognised but unsupported format */
    PL_EENCODING,    /* unknown or unusable character encoding */
    PL_EUSAGE,       /* a bad option or argument */
    PL_ELIMIT        /* input exceeds a safety limit */
};

/* Caller-owned error report: code plus one line of text
 * ("FILE:LINE: what was expected"). */
typedef struct pl_error {
    int code;
    char msg[1024];
} pl_error;

/* Static, never NULL. */
const char *pl_strerror(int code);

/* Receives one warning line (no trailing newline). Called synchronously. */
typedef void (*pl_warn_fn)(void *ctx, const char *msg);

/* Time: UTC, 100 ns ticks since 1970-01-01T00:00:00Z. */
typedef int64_t pl_time;
#define PL_TICKS_PER_SEC INT64_C(10000000)
#define PL_TICKS_PER_HOUR (3600 * PL_TICKS_PER_SEC)

#endif
