/* isolate.h - running code we cannot trust with the process (libplot) in a
 * child process, and getting back what it wrote. Internal. */
#ifndef PL_ISOLATE_H
#define PL_ISOLATE_H

#include <stdio.h>
#include "perfleak/perfleak.h"

/* Writes what fn writes to its stream, returning fn's code and error.
 * fn runs in a child process (fork) with the signals INT/TERM/HUP at
 * their defaults and at most timeout_s seconds: if it ends the process
 * (libplot exits on a failed allocation), dies of a signal or runs over,
 * nothing is written to out and what is PL_EIO with err saying how the
 * renderer ended. Where fork is not possible, fn runs in this process.
 * Returns PL_OK, fn's code, PL_ENOMEM, or PL_EIO (also when out cannot
 * be written). */
int pl_isolated_write(int (*fn)(void *ctx, FILE *out, pl_error *err), void *ctx, FILE *out,
                      unsigned timeout_s, pl_error *err);

#endif
