/* output.h - writing what perfleak makes without harming what the user
 * has: never over an input, never replacing a device or a link with a
 * regular file, a regular file replaced only when asked, and a finished
 * file or none at all. */
#ifndef PERFLEAK_OUTPUT_H
#define PERFLEAK_OUTPUT_H

#include <stdio.h>
#include "perfleak/perfleak.h"

/* Whether out may be written, before anything is read: PL_EUSAGE with a
 * message naming both when out is (through links) one of the n inputs, or
 * when out is an existing regular file and force is 0; PL_OK when it does
 * not exist, is not a regular file (a device, a FIFO: written in place),
 * or may be replaced. "-" (standard input or output) is never compared. */
int pl_output_check(const char *out, const char *const *inputs, size_t n, int force,
                    pl_error *err);

/* Whether dir can take perfleak's files, before anything is read:
 * PL_EUSAGE when it exists and is not a directory, or when one of the n
 * inputs is a file perfleak writes into dir with -o (report.*,
 * summary.png, leak-*.png, counter-*.png, compare-*.png), naming it;
 * else PL_OK. */
int pl_output_dir_check(const char *dir, const char *const *inputs, size_t n, pl_error *err);

/* Writes path with write_fn. A regular file (or none yet) is written to a
 * temporary beside it (beside the link's target for a symbolic link,
 * which stays) and renamed into place when complete, with the mode the
 * old file had or, for a new one, 0666 less the umask; the temporary is
 * removed on failure. Anything else (a character device, a FIFO) is
 * written in place. Errors name path: PL_EIO, PL_ENOMEM. */
int pl_write_atomic(const char *path, int (*write_fn)(void *ctx, FILE *f, pl_error *err),
                    void *ctx, pl_error *err);

/* Removes every temporary pl_write_atomic is writing at this moment.
 * Async-signal-safe: for a SIGINT/SIGTERM/SIGHUP handler, which then lets
 * the signal end the process. */
void pl_output_remove_temporaries(void);

#endif
