/* timestamp.h - the timestamps and time-zone header of PDH logs, and the
 * ISO 8601 form perfleak writes them back in. */
#ifndef PERFLEAK_TIMESTAMP_H
#define PERFLEAK_TIMESTAMP_H

#include "perfleak/perfleak.h"

/* Parses "MM/DD/YYYY HH:MM:SS[.fff]" (1 to 7 fraction digits) of length len
 * into ticks of the wall-clock time it names (as if it were UTC).
 * Returns 0 on success, -1 if the text is not such a timestamp. */
int pl_time_parse_pdh(const char *s, size_t len, pl_time *out);

/* Time zone from the first header cell, e.g.
 * "(PDH-CSV 4.0) (Pacific Standard Time)(480)". */
typedef struct pl_tz {
    char name[128];   /* as written, possibly cut off ("RTZ 2 (") */
    char format[16];  /* "PDH-CSV", "PDH-TSV" or "" when no marker */
    int bias;         /* minutes to add to local time to get UTC */
    int bias_known;   /* 1 from the header, 2 guessed from the name, 3 given by
                       * the user (--utc-offset), 0 unknown */
} pl_tz;

/* Returns 0 if cell looks like a PDH header cell (starts with "(" and holds
 * a zone name), -1 otherwise. Never fails on a cut-off zone. */
int pl_tz_parse(const char *cell, pl_tz *out);

/* Writes "YYYY-MM-DDTHH:MM:SS.mmm+HH:MM" for utc shown at offset
 * (minutes east of UTC, i.e. -bias) into buf (at least 40 bytes). */
void pl_time_format_iso(pl_time utc, int offset_min, char *buf, size_t size);

/* An offset east of UTC as reports name it: "UTC-08:00", "UTC+05:30". */
void pl_time_format_offset(int offset_min, char *buf, size_t size);
/* Short local form "YYYY-MM-DD HH:MM" for text reports. */
void pl_time_format_short(pl_time utc, int offset_min, char *buf, size_t size);
/* A span in that form, "2026-03-02 00:00 to 2026-03-04 23:58", or with
 * seconds when both ends fall in one minute ("2021-09-20 16:48:10 to
 * 16:48:35"), never one time "to" itself. buf: at least 48 bytes. */
void pl_time_format_span(pl_time t0, pl_time t1, int offset_min, char *buf, size_t size);

/* Ticks for a civil date and time (proleptic Gregorian, as UTC). */
pl_time pl_time_from_civil(int y, int mo, int d, int h, int mi, int s);
/* Ticks for seconds since 1970 UTC (time(), SOURCE_DATE_EPOCH). */
pl_time pl_time_from_unix(long long s);
/* t plus h hours, held within the years 1 to 9999 (an estimate from a
 * log's values can be any number of hours); t itself when h is NaN. */
pl_time pl_time_add_hours(pl_time t, double h);

/* A moment as the calendar and clock name it, in some offset. */
typedef struct pl_civil {
    int year, month, day, hour, minute, second, ms;
} pl_civil;

/* utc shown at offset_min minutes east of UTC; any year the ticks allow
 * (before 1970 and 1601 too). The one civil-time conversion: every time
 * perfleak writes goes through it. */
void pl_time_split(pl_time utc, int offset_min, pl_civil *out);

/* "MM/DD/YYYY HH:MM:SS.mmm", as relog writes a row's time. */
void pl_time_format_pdh(pl_time utc, int offset_min, char *buf, size_t size);

/* Parses a UTC offset as users write it: "+09:00", "-0800", "+5:30",
 * "UTC+3", "0". Returns 0 with *minutes east of UTC, or -1. */
int pl_parse_utc_offset(const char *s, int *minutes);

/* A moment as users give --begin and --end: "2026-03-02 14:00",
 * "2026-03-02T14:00:30.5", "2026-03-02" (midnight), each with an optional
 * "Z" or UTC offset ("+01:00", "-0800"), or relog's "3/2/2026 14:00:00".
 * Without an offset it is a wall-clock time of the log's own zone: *local
 * is set and *t holds it as if it were UTC; with one, *t is the moment in
 * UTC and *local is 0. Returns 0, or -1 when s is no such time. */
int pl_time_parse_user(const char *s, pl_time *t, int *local);

/* A time window: rows before begin or after end (both included) are left
 * out. Each end is unset, a moment, or a wall-clock time of the log's
 * zone (then resolved with the log's bias, minutes to add to get UTC). */
typedef struct pl_window {
    int has_begin, has_end;
    int begin_local, end_local;
    pl_time begin, end;
} pl_window;

/* begin and end (NULL: unset) into w. PL_OK, or PL_EUSAGE naming the one
 * that is no time. */
int pl_window_parse(pl_window *w, const char *begin, const char *end, pl_error *err);
/* Whether utc is inside w for a log of the given bias. */
int pl_window_has(const pl_window *w, int bias, pl_time utc);

#endif
