/* units.h - numbers in the units people use: bytes as KB/MB/GB (1024-based,
 * as Windows shows them), handles, threads, durations. */
#ifndef PERFLEAK_UNITS_H
#define PERFLEAK_UNITS_H

#include <stddef.h>

/* What a counter counts. */
typedef enum pl_unit {
    PL_UNIT_NONE,      /* a plain number */
    PL_UNIT_BYTES,
    PL_UNIT_KB,        /* 1024 bytes (Available KBytes) */
    PL_UNIT_MB,        /* 1024 KB (Available MBytes, Free Megabytes) */
    PL_UNIT_HANDLES,
    PL_UNIT_THREADS,
    PL_UNIT_PROCESSES,
    PL_UNIT_ENTRIES,
    PL_UNIT_OBJECTS,
    PL_UNIT_PERCENT,
    PL_UNIT_PER_SEC,   /* a rate */
    PL_UNIT_SECONDS    /* a clock or a duration */
} pl_unit;

/* The unit's name in reports and JSON: "bytes", "KB", "MB", "handles",
 * "threads", "processes", "entries", "objects", "%", "/s", "s", or "" for
 * a plain number. Static string. */
const char *pl_unit_name(pl_unit u);

/* 1 for the units of memory (bytes, KB, MB), whose values read as sizes. */
int pl_unit_is_bytes(pl_unit u);

/* Bytes in one of the unit: 1024 for KB, 1048576 for MB, else 1 (a value
 * that is no size is left as it is). */
double pl_unit_bytes(pl_unit u);

/* "390 MB", "1.25 GB", "1204 handles", "12.5%", "3.14". */
void pl_format_value(double v, pl_unit unit, char *buf, size_t size);

/* 1 for the units that count things (handles, threads, processes,
 * entries, objects): an amount of them is a whole number. */
int pl_unit_is_count(pl_unit u);

/* An amount (a level, a growth, a limit) as pl_format_value writes it, but
 * counts as whole numbers ("+2 threads", not "+2.00 threads"); rates stay
 * with pl_format_value ("0.5 threads/h"). */
void pl_format_amount(double v, pl_unit unit, char *buf, size_t size);

/* A percentage by one rule everywhere: one decimal below 10, none above
 * ("5.4%", "+39%"); with_sign adds + to a positive one. */
void pl_format_pct(double pct, int with_sign, char *buf, size_t size);

/* A rate's interval per hour, the unit once when both ends share it:
 * "5.38 to 5.46 MB/h", "-43.4 KB to 1.20 MB/h". */
void pl_format_rate_interval(double lo, double hi, pl_unit unit, char *buf, size_t size);

/* A duration in seconds: "45 s", "12 min", "7.5 h", "3.2 days", cut to
 * the figure shown, never rounded up (3595 s is "59 min"). */
void pl_format_duration(double seconds, char *buf, size_t size);

/* Parses "2GB", "512 MB", "2GiB", "10k", "1.5e9", "700": KB, MB, GB, TB
 * (as Windows counts bytes) and KiB ... TiB are powers of 1024; k, M, G,
 * T without a B are powers of 1000 (10k handles are 10 000). Returns 0,
 * or -1 when s is not such a size. */
int pl_parse_size(const char *s, double *out);

/* A minimum span as a reason states it: whole hours as "1 h", "2 h",
 * else as pl_format_duration ("30 min"). */
void pl_format_span_hours(double hours, char *buf, size_t size);

/* "2160 samples every 2 min", "1 sample", "2 samples": the interval only
 * when there is one to tell. */
void pl_sample_count_text(size_t n, double interval_s, char *buf, size_t size);

/* Parses a duration: "90", "90s", "30min", "1h", "1.5h", "2d" (a bare
 * number is seconds). Returns 0 with *seconds set, or -1. */
int pl_parse_duration(const char *s, double *seconds);

#endif
