/* blgwrite.h - a small writer of .blg logs for tests and benchmarks, built
 * from the same facts as the reader (../shared/formats.md, winperf.h): a
 * log-file header, a counter catalog, counter-name tables, samples of
 * single, wildcard and whole-object records, split over events when large. */
#ifndef TESTS_BLGWRITE_H
#define TESTS_BLGWRITE_H

#include <stddef.h>
#include <stdint.h>

/* A growable byte buffer. */
typedef struct tb_bytes {
    unsigned char *p;
    size_t n, cap;
} tb_bytes;

void tb_put(tb_bytes *b, const void *d, size_t n);
void tb_u16(tb_bytes *b, uint16_t v);
void tb_u32(tb_bytes *b, uint32_t v);
void tb_u64(tb_bytes *b, uint64_t v);
void tb_wstr(tb_bytes *b, const char *ascii); /* UTF-16LE with its NUL */
void tb_align(tb_bytes *b, size_t a);
void tb_set32(tb_bytes *b, size_t at, uint32_t v);
void tb_free(tb_bytes *b);

typedef struct tb_log {
    tb_bytes out;
    uint32_t bufsize;
    size_t buf_start, pos; /* current buffer and the write position in it */
} tb_log;

/* Starts a log: the first buffer with the log-file header (64-bit writer),
 * the time zone "@tzres.dll,-212" (Pacific Standard Time) or tzname. */
void tb_log_init(tb_log *l, uint32_t bufsize, int bias, const char *tzname);
/* Appends one event of record type rt with the given payload. */
void tb_log_event(tb_log *l, int rt, int64_t filetime, uint32_t part, uint32_t count,
                  const void *payload, size_t n);
/* A sample: split over events of at most maxpart payload bytes. */
void tb_log_sample(tb_log *l, int64_t filetime, const tb_bytes *payload, size_t maxpart);
/* Pads the last buffer; the log is l->out.p, l->out.n bytes. */
void tb_log_end(tb_log *l);

/* Catalog: call tb_cat_begin, then tb_cat_entry per logged path, then
 * write it with tb_log_event(l, 32, ...). instance/parent NULL for none. */
void tb_cat_begin(tb_bytes *c);
void tb_cat_entry(tb_bytes *c, uint32_t flags, uint32_t type, int64_t timebase,
                  const char *machine, const char *object, const char *parent,
                  const char *instance, uint32_t index, const char *counter);

/* Sample payload: tb_sample_begin, then one sub-record per catalog entry,
 * then tb_sample_end. */
void tb_sample_begin(tb_bytes *s);
void tb_sub_single(tb_bytes *s, uint32_t status, int64_t ft, int64_t first, int64_t second,
                   uint32_t multi);
typedef struct tb_item {
    const char *name;
    int64_t first, second;
} tb_item;
void tb_sub_wildcard(tb_bytes *s, int64_t ft, const tb_item *items, size_t n);
/* A whole-object sub-record: one PERF_OBJECT_TYPE named by index obj with
 * ncounters counters (name indexes, types, 8-byte values) and ninst
 * instances (names, or ninst < 0 for none); values[i * ncounters + k]. */
typedef struct tb_object {
    uint32_t obj;
    uint32_t ncounters;
    const uint32_t *names;
    const uint32_t *types;
    int32_t ninst;
    const char *const *inst;
    const int64_t *values;
    int64_t perf_time, perf_freq, perf_time100ns;
    const char *system;
} tb_object;
void tb_sub_object(tb_bytes *s, const tb_object *o);
void tb_sample_end(tb_bytes *s);

/* A name table (record 36): machine, then "index\0name\0" pairs. */
void tb_names(tb_bytes *t, const char *machine, const uint32_t *idx, const char *const *names,
              size_t n);

/* The example log of the tests: four samples 15 s apart from
 * 2019-04-17 18:40:00 (Pacific), with Memory\Available Bytes (single,
 * raw), Memory\Page Faults/sec (single, rate; an error status in the
 * third sample), Process(*)\Private Bytes (wildcard; "app#1" and "late"
 * appear from the second sample) and the Process object (whole-object:
 * Working Set and ID Process of svchost, svchost#1, lsass; names from a
 * table; machine named only in the data block). Samples are split into
 * events of maxpart bytes; out_of_order writes them as a wrapped
 * circular log would. */
void tb_example_log(tb_log *l, uint32_t bufsize, size_t maxpart, int out_of_order);

#endif
