/* select.h - which counters a job takes: analyze and convert ask the same
 * questions, with one difference (no pattern: the default set for
 * analyze, every counter for convert). Internal. */
#ifndef PL_ANALYSIS_SELECT_H
#define PL_ANALYSIS_SELECT_H

#include <stddef.h>
#include "perfleak/path.h"

typedef struct pl_selection {
    const char *const *include;  /* patterns; none: see everything */
    size_t n_include;
    const char *const *exclude;
    size_t n_exclude;
    int everything;              /* no include pattern takes every counter
                                  * (convert), not the default set */
} pl_selection;

/* A pattern matches a counter by the log's path or, for a log from a
 * non-English Windows, by its English path (path_en, or NULL). */
int pl_select_matches(const char *pattern, const char *path, const char *path_en);

/* 1 when the counter is taken: matched by an include pattern (or in the
 * default set, or everything), and by no exclude pattern. */
int pl_select_counter(const pl_selection *s, const char *path, const char *path_en,
                      const pl_path *parts);

/* 1 when the counter is a default-set one of Process(_Total) or
 * Process(Idle), which the default set leaves out (reports count them). */
int pl_select_left_out_aggregate(const pl_selection *s, const pl_path *parts);

#endif
