/* counters.h - what a counter means: its kind (something held, something
 * free, a cache, a rate, ...) and its unit, from its English name or, for
 * names the translation table does not know, from the cues every language
 * shares ("/s", "%"). Only a quantity held can leak; this is where that is
 * decided, for every part of perfleak. */
#ifndef PERFLEAK_COUNTERS_H
#define PERFLEAK_COUNTERS_H

#include "perfleak/path.h"
#include "perfleak/units.h"

typedef enum pl_kind {
    PL_KIND_OTHER = 0, /* "other": a level perfleak has no meaning for */
    PL_KIND_HELD,      /* "held": bytes, handles, threads held: can leak */
    PL_KIND_FREE,      /* "free": available or free: can only run out */
    PL_KIND_CACHE,     /* "cache": grows by design (file cache, standby) */
    PL_KIND_PEAK,      /* "peak": a high-water mark, never falls */
    PL_KIND_RATE,      /* "rate": per second */
    PL_KIND_PERCENT,   /* "percent" */
    PL_KIND_AVERAGE,   /* "average": an average or ratio (per transfer) */
    PL_KIND_CLOCK,     /* "clock": Elapsed Time, System Up Time */
    PL_KIND_IDENTITY,  /* "identity": ID Process, Priority Base */
    PL_KIND_LIMIT      /* "limit": Commit Limit, Current Bandwidth */
} pl_kind;

/* The exact strings of the JSON contract ("held", "rate"...). */
const char *pl_kind_name(pl_kind k);

/* Why a counter of kind k is not judged as a leak, as a phrase that
 * starts a reason ("a rate, not something held"); "" for held. */
const char *pl_kind_why_not(pl_kind k);

/* The kind of the counter p names (English names, as pl_path_parse gives
 * them for translated ones; the log's own name otherwise). */
pl_kind pl_counter_kind(const pl_path *p);

/* Unit of a counter from its name. */
pl_unit pl_counter_unit(const pl_path *p);

/* The default set: leak-prone Process and Memory counters, no _Total/Idle. */
int pl_counter_in_default_set(const pl_path *p);

/* 1 when p is object\counter (English names, any case; the instance and
 * machine are not looked at). */
int pl_counter_is(const pl_path *p, const char *object, const char *counter);

/* Process(_Total) or Process(Idle): the sum of all processes and the idle
 * loop, not processes a leak could be in. */
int pl_counter_is_aggregate(const pl_path *p);

#endif
