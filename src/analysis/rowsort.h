/* rowsort.h - rows of doubles sorted by time in bounded memory: rows are
 * gathered in a chunk, each full chunk sorted and written to a temporary
 * file as a run, and the runs merged when read back. Equal times keep
 * the order they came in. Internal (convert). */
#ifndef PL_ROWSORT_H
#define PL_ROWSORT_H

#include <stddef.h>
#include "perfleak/perfleak.h"

typedef struct pl_rowsort pl_rowsort;

/* Rows of ncols values; chunk_bytes of them are kept in memory at most
 * (0: 32 MiB). PL_ENOMEM. */
int pl_rowsort_create(pl_rowsort **out, size_t ncols, size_t chunk_bytes, pl_error *err);
void pl_rowsort_free(pl_rowsort *s);

int pl_rowsort_add(pl_rowsort *s, pl_time t, const double *v, pl_error *err);

/* Calls fn with every row in time order. fn's error stops it. */
int pl_rowsort_each(pl_rowsort *s, int (*fn)(void *ctx, pl_time t, const double *v, pl_error *err),
                    void *ctx, pl_error *err);

#endif
