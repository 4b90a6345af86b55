/* units.h - numbers in the units people use: bytes as KB/MB/GB (1024-based,
 * as Windows shows them), handles, threads, durations. */
#ifndef PERFLEAK_UNITS_H
#define PERFLEAK_UNITS_H

#include <stddef.h>

/* "390 MB", "1.25 GB", "1204 handles", "12.5%", "3.14". unit is one of
 * the strings pl_counter_unit returns ("" or NULL for plain numbers). */
void pl_format_value(double v, const char *unit, char *buf, size_t size);

/* A duration in seconds: "45 s", "12 min", "7.5 h", "3.2 days". */
void pl_format_duration(double seconds, char *buf, size_t size);

/* Parses "2GB", "512 MB", "1.5e9", "700" (K/M/G/T with or without B are
 * powers of 1024). Returns 0, or -1 when s is not such a size. */
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
