/* baselines.h - the simple detectors perfleak is measured against (see
 * baselines.c). Each fills f and returns PL_OK, or PL_ENOMEM. Internal. */
#ifndef PL_DETECT_BASELINES_H
#define PL_DETECT_BASELINES_H

#include "perfleak/detect.h"

int pl_detect_least_squares(const pl_series *s, const pl_detect_opts *o, pl_unit unit,
                            pl_finding *f, pl_error *err);
int pl_detect_mann_kendall(const pl_series *s, const pl_detect_opts *o, pl_unit unit,
                           pl_finding *f, pl_error *err);
int pl_detect_pal(const pl_series *s, const pl_detect_opts *o, pl_unit unit,
                  pl_finding *f, pl_error *err);

#endif
