/* stage.h - the set of files behind `-o DIR`, written as a whole (see
 * output.c). Internal: the reports and charts write through it. */
#ifndef PL_UTIL_STAGE_H
#define PL_UTIL_STAGE_H

#include <stdio.h>
#include "perfleak/perfleak.h"

/* A set of files written into one directory as a whole: each is written
 * to a temporary beside its place, and only when all are complete are they
 * renamed into place; then perfleak's own files there that the set does
 * not hold (a chart of a leak that is gone) are removed. One perfleak at a
 * time writes a directory: create waits for another's set to finish (a
 * lock on the directory, released by free). */
typedef struct pl_stage pl_stage;

/* dir must exist. PL_EIO naming dir, PL_ENOMEM. */
int pl_stage_create(pl_stage **out, const char *dir, pl_error *err);
/* Writes dir/name with write_fn into its temporary; callable from several
 * threads at once. A name on something not a regular file is refused.
 * PL_OK; PL_EUSAGE (refused); PL_EIO naming the file; PL_ENOMEM; or
 * write_fn's code, its message prefixed with the file. */
int pl_stage_write(pl_stage *s, const char *name,
                   int (*write_fn)(void *ctx, FILE *f, pl_error *err), void *ctx, pl_error *err);
/* Renames every file of the set into place, then removes stale ones.
 * PL_OK, or PL_EIO naming the file that could not be renamed. */
int pl_stage_commit(pl_stage *s, pl_error *err);
/* Removes the temporaries of a set not committed; releases the lock. */
void pl_stage_free(pl_stage *s);

#endif
