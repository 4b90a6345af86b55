/* judged.h - an analysis detected and diagnosed as the CLI makes them,
 * for the tests that score or render a result: the renderers take the
 * diagnosis explicitly, so a test that renders makes it first. */
#ifndef PL_TEST_JUDGED_H
#define PL_TEST_JUDGED_H

#include "perfleak/analysis.h"
#include "perfleak/diagnose.h"
#include "perfleak/plot.h"
#include "perfleak/report.h"

typedef struct tu_judged {
    pl_analysis *a;
    pl_diagnosis *d;
    pl_result r; /* {a, d}, what the renderers take */
} tu_judged;

/* Diagnoses a (detected already), kept in j with a; j owns both from
 * here, even on an error. PL_OK or pl_diagnose's error. */
static inline int tu_judge(tu_judged *j, pl_analysis *a, pl_error *err)
{
    int rc;
    j->a = a;
    j->d = NULL;
    rc = pl_diagnose(a, &j->d, err);
    j->r.analysis = a;
    j->r.diagnosis = j->d;
    return rc;
}

static inline void tu_judged_free(tu_judged *j)
{
    pl_diagnosis_free(j->d);
    pl_analysis_free(j->a);
    j->a = NULL;
    j->d = NULL;
}

/* pl_report_write of a with its diagnosis made for the call. */
static inline int tu_report_write(const pl_analysis *a, pl_report_format fmt, FILE *out,
                                  pl_error *err)
{
    pl_diagnosis *d = NULL;
    int rc = pl_diagnose(a, &d, err);
    if (rc == PL_OK) {
        pl_result r = {a, d};
        rc = pl_report_write(&r, fmt, out, err);
    }
    pl_diagnosis_free(d);
    return rc;
}

/* pl_report_write_dir, the same way. */
static inline int tu_report_write_dir(const pl_analysis *a, const char *dir, pl_chart_set charts,
                                      pl_error *err)
{
    pl_diagnosis *d = NULL;
    int rc = pl_diagnose(a, &d, err);
    if (rc == PL_OK) {
        pl_result r = {a, d};
        rc = pl_report_write_dir(&r, dir, charts, err);
    }
    pl_diagnosis_free(d);
    return rc;
}

#endif
