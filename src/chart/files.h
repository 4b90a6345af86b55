/* files.h - the charts of a report set (see files.c). Internal: for
 * report.c's `-o DIR`. */
#ifndef PL_CHART_FILES_H
#define PL_CHART_FILES_H

#include "perfleak/plot.h"
#include "util/stage.h"

/* Writes summary.png and the charts of set into the set stage (see
 * output.h), on up to -j threads (default one per core, at most 8).
 * PL_OK, or a chart's error naming its file (PL_ENOMEM, PL_EIO,
 * PL_EUNSUPPORTED when libplot cannot be loaded). */
int pl_charts_write_stage(const pl_analysis *a, pl_stage *stage, pl_chart_set set, pl_error *err);

#endif
