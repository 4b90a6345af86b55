/* robust.h - perfleak's own detector (see robust.c). Internal. */
#ifndef PL_DETECT_ROBUST_H
#define PL_DETECT_ROBUST_H

#include "perfleak/detect.h"

/* Judges s (pid: the process's ID Process series, or NULL, to tell a
 * restart from a collection) and fills f. PL_OK, or PL_ENOMEM. */
int pl_detect_robust(const pl_series *s, const pl_series *pid, const pl_detect_opts *o,
                     pl_unit unit, pl_finding *f, pl_error *err);

#endif
