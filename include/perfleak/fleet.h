/* fleet.h - one view over many servers: the records of `analyze -f
 * jsonl` read as a stream, each culprit grouped with its namesakes on
 * other servers (a process by name, a kernel pool by pool, the system's
 * commit as such; and by kind), the servers with findings worst first,
 * and the logs that could not be read or judged. Memory grows with the
 * distinct culprits and the servers with something to say, not with the
 * records: a healthy server costs its name. */
#ifndef PERFLEAK_FLEET_H
#define PERFLEAK_FLEET_H

#include <stdio.h>
#include "perfleak/diagnose.h"
#include "perfleak/units.h"

typedef struct pl_fleet pl_fleet;

typedef struct pl_fleet_opts {
    size_t min_servers;   /* a culprit recurs on at least this many (0: 2) */
} pl_fleet_opts;

/* o NULL: the defaults. PL_OK or PL_ENOMEM. */
int pl_fleet_create(pl_fleet **out, const pl_fleet_opts *o, pl_error *err);
void pl_fleet_free(pl_fleet *f);

/* One line of the records (its newline left out or not), from source at
 * lineno: a record of a log, an error record ({"log", "error"}), a blank
 * line (skipped), or anything else, which is kept as a line that is no
 * record ("fleet.jsonl:12: not a perfleak record: ...") and read past: a
 * run killed mid-line must not lose the other 9 999. A record is read
 * without its "counters", which no fleet figure needs. PL_OK, PL_ENOMEM,
 * or PL_EUSAGE after pl_fleet_finish. */
int pl_fleet_add_line(pl_fleet *f, const char *line, size_t len, const char *source, size_t lineno,
                      pl_error *err);
/* Every line of in, as pl_fleet_add_line takes them. PL_OK; PL_EIO naming
 * source when it cannot be read; PL_ENOMEM. */
int pl_fleet_read(pl_fleet *f, FILE *in, const char *source, pl_error *err);
/* After the last line: orders what the accessors below give. PL_OK or
 * PL_ENOMEM. */
int pl_fleet_finish(pl_fleet *f, pl_error *err);

typedef struct pl_fleet_totals {
    size_t records;        /* lines that were records of a log read */
    size_t servers;        /* distinct machines among them */
    size_t with_findings;  /* servers with a culprit or a finding */
    size_t culprits;       /* culprit findings over every record */
    size_t unreadable;     /* error records and lines that were no record */
    size_t unjudged;       /* logs read where nothing could be judged */
} pl_fleet_totals;

const pl_fleet_totals *pl_fleet_get_totals(const pl_fleet *f);

/* A culprit and kind on min_servers servers or more. */
typedef struct pl_fleet_group {
    pl_culprit_type type;
    const char *name;        /* process: its name (of its spellings, the first in sort order); else NULL */
    int pool;                /* kernel: 0 paged, 1 nonpaged */
    unsigned kind;           /* one PL_GROWS_ bit */
    const char *counter;     /* whose growth the rates are ("Private Bytes"); NULL none */
    pl_unit unit;
    size_t count;            /* servers */
    const char *const *servers; /* their names, in natural order (WEB2 before WEB10) */
    const double *rates;     /* each server's growth per hour of counter (NaN: not given) */
    const pl_time *onsets;   /* when each server's growth began, UTC */
    const int *offsets;      /* the offset each onset was given in, minutes */
    double median, min, max; /* of the rates given; NaN when none */
    pl_time first_seen;      /* the earliest start of the growth seen, UTC */
    int first_offset;        /* the offset its record gave it in, minutes */
} pl_fleet_group;

/* After pl_fleet_finish: the recurring culprits, on most servers first. */
size_t pl_fleet_recurring_count(const pl_fleet *f);
const pl_fleet_group *pl_fleet_recurring(const pl_fleet *f, size_t i);

/* A server with findings, as its latest record with findings (the one
 * whose logs end last, whatever order the records came in) says. */
typedef struct pl_fleet_server {
    const char *name;
    size_t records;          /* records that covered it */
    size_t with_findings;    /* of them, those with a finding on it */
    size_t culprits;         /* culprits that record named on it */
    size_t findings;         /* counter findings that record gave it */
    double hours_to_limit;   /* the soonest limit of those culprits; NaN none */
    const char *summary;     /* those culprits as the record said them */
    const char *log;         /* that record's log */
} pl_fleet_server;

/* After pl_fleet_finish: the servers with findings, worst first (the
 * soonest limit, then the most culprits, then the most findings). */
size_t pl_fleet_findings_count(const pl_fleet *f);
const pl_fleet_server *pl_fleet_with_findings(const pl_fleet *f, size_t i);

/* A log that could not be read (error record, or a line that was no
 * record) or judged. */
typedef struct pl_fleet_problem {
    const char *log;         /* the log, or "records.jsonl:12" for a bad line */
    const char *server;      /* the machines of a log not judged; NULL */
    const char *why;
    int unjudged;            /* read, but nothing could be judged */
} pl_fleet_problem;

size_t pl_fleet_problem_count(const pl_fleet *f);
const pl_fleet_problem *pl_fleet_problem_at(const pl_fleet *f, size_t i);

/* 1 some server has findings; else 3 when a log could not be read or
 * judged, or no record was judged at all (no all-clear for what was not
 * seen); else 0. */
int pl_fleet_status(const pl_fleet *f);

/* What every format calls a group and says of it, valid UTF-8 whatever
 * the records held (not yet escaped for a format):
 * "w3wp", "kernel paged pool", "system commit"; */
void pl_fleet_group_name(const pl_fleet_group *g, char *buf, size_t size);
/* "memory on 37 servers, Private Bytes +5.42 MB/h median (1.20 to 9.80
 * MB/h), since 2026-03-02 00:00 UTC-08:00"; */
void pl_fleet_group_text(const pl_fleet_group *g, char *buf, size_t size);
/* "37 of 500 servers with findings; 3 culprits recur on 2 servers or
 * more; 2 logs could not be read, 1 could not be judged." or, with no
 * findings, "No findings on the 498 servers judged ..." (never an
 * all-clear for what was not read). */
void pl_fleet_tally(const pl_fleet *f, char *buf, size_t size);
/* The minimum servers of a recurring culprit (the option's, or 2). */
size_t pl_fleet_min_servers(const pl_fleet *f);

#endif
