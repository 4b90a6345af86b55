/* blg.c - streaming reader of binary .blg logs (Windows Vista and
 * later), written from ../shared/formats.md, winperf.h's public structures
 * and the sample logs; docs/blg-format.md describes what it reads, and
 * blg_format.h names each field's offset.
 *
 * A .blg is an event-trace file: fixed-size buffers of events. The reader
 * keeps one buffer at a time (plus a sample split over several events),
 * so memory does not grow with the length of the log. Columns are named
 * like relog names them and appear as they are first seen: instances
 * come and go between samples. Values are cooked from raw counters
 * exactly as relog does (blank rate counters in the first sample). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfleak/import.h"
#include "perfleak/path.h"
#include "util/internal.h"
#include "util/strmap.h"
#include "read/blg.h"
#include "read/blg_format.h"

#define MIN_BUFSIZE    0x1000u
#define MAX_BUFSIZE    0x1000000u  /* 16 MiB: bigger is not an event trace */
#define MAX_SAMPLE     ((size_t)256 << 20) /* one sample split over events */
#define MAX_COLUMNS    ((size_t)1 << 20)
#define MAX_NAME_INDEX 0x100000u   /* counter-name table index */
#define FILETIME_1970  116444736000000000LL
#define FILETIME_MIN   119600064000000000LL /* 1980-01-01: older is damage */
#define FILETIME_MAX   190000000000000000LL /* about 2203 */

enum { KIND_SINGLE, KIND_WILDCARD, KIND_OBJECT };

/* One logged path of the counter catalog. */
typedef struct cat_entry {
    int kind;
    uint32_t type;
    int64_t timebase;
    uint32_t index;       /* #n of a single instance */
    char *machine, *object, *parent, *instance, *counter;
    size_t col;           /* KIND_SINGLE: its column */
    int warned;
} cat_entry;

/* A column: one path, with the state needed to cook its next value. */
typedef struct column {
    uint32_t type;
    int64_t timebase;
    int have_prev;
    pl_blg_raw prev;
    size_t seen;          /* sample number it was last given a value in */
} column;

/* Counter names of one machine, by index (type-36 records). */
typedef struct name_table {
    char *machine;
    char **names;
    size_t n;
} name_table;

/* The buffer being gathered and read (the file is a sequence of them). */
typedef struct blg_frame {
    uint32_t bufsize;
    unsigned char *buf;
    size_t nbuf;
    uint64_t buf_off;      /* file offset of buf[0] */
    size_t nbuffers;
    int have_header;
} blg_frame;

/* What the log says it logs: the catalog's paths and the name tables. */
typedef struct blg_catalog {
    cat_entry *cat;
    size_t ncat, capcat;
    name_table *nt;
    size_t nnt, capnt;
} blg_catalog;

/* The columns handed to the sink, and the values of the sample being read. */
typedef struct blg_columns {
    pl_strmap colmap;
    /* The columns of each instance seen in a wildcard or whole-object
     * record, by counter position: a path is made and looked up once per
     * instance and counter, not once per sample (a log of 322 processes'
     * 28 counters made 52 million of them: 17 s of its 17.5). */
    pl_strmap instmap;          /* entry, machine, object, instance -> inames */
    struct inst_name *inames;
    size_t ninames, capinames;
    struct inst_cols *icache;
    size_t nicache, capicache;
    size_t subrec_seq;          /* sub-records read: namesakes count within one */
    char **paths;
    column *cols;
    unsigned char *select;
    double *vals;
    size_t *touched, ntouched;      /* columns this sample set, each once */
    size_t *prev_touched, nprev;    /* ... and the last sample's */
    size_t ncols, capcols, announced;
    int header_sent;
} blg_columns;

/* A sample split over several events, being put together. */
typedef struct blg_pending {
    unsigned char *pend;
    size_t npend, cappend;
    uint32_t pend_next, pend_count;
    int64_t pend_ft;
    uint64_t pend_off;
} blg_pending;

struct pl_blg_reader {
    char *name;
    pl_warn_fn warn;
    void *warn_ctx;
    pl_reader_sink sink;
    int finished;
    pl_sticky st;         /* the first failure, reported by every later call */
    pl_tz tz;             /* from the log-file header */

    blg_frame fr;
    blg_catalog catalog;
    blg_columns co;
    blg_pending part;

    /* what was skipped or mended, reported once at the end */
    size_t rows;
    pl_time last_t;
    size_t backwards, bad_events, dropped_parts, bad_status, unknown_types;
    size_t sparse_names;      /* names left out: index far past the rest */
    size_t name_bytes, name_slots; /* name records read; slots of all tables */
    uint64_t first_bad_off;
    int truncated, subrec_mismatch;
};

typedef struct inst_cols {
    uint32_t n;
    uint32_t *name; /* the counter's name index each col[k] was found for */
    size_t *col;    /* NO_COL: not found yet */
} inst_cols;

#define NO_COL ((size_t)-1)

/* An instance name of a sub-record: its namesakes' caches, #0, #1, ...,
 * and how many of them the sub-record being read has had. */
typedef struct inst_name {
    size_t seq, count;
    size_t *slot;
    size_t nslot, capslot;
} inst_name;

static uint16_t rd16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static int64_t rd64(const unsigned char *p)
{
    return (int64_t)((uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32);
}

static int oom(pl_blg_reader *r)
{
    return pl_sticky_fail(&r->st, PL_ENOMEM, "%s: out of memory", r->name);
}

/* ---------- names and paths ---------- */

/* The UTF-16 string at p (at most max bytes) as UTF-8 in *out: 1, or 0
 * when no NUL ends it within max (damage), or -1 when out of memory (the
 * reader has failed). *used (may be NULL) gets its bytes with the NUL. */
static int ustr(pl_blg_reader *r, const unsigned char *p, size_t max, char **out, size_t *used)
{
    *out = NULL;
    if (!pl_utf16le_len(p, max))
        return 0;
    if (!(*out = pl_utf16le_to_utf8(p, max, used))) {
        oom(r);
        return -1;
    }
    return 1;
}

/* The same for a string at offset off of a table of size bytes. */
static int wstr(pl_blg_reader *r, const unsigned char *base, size_t size, int64_t off, char **out)
{
    *out = NULL;
    if (off < 0 || (uint64_t)off >= size)
        return 0;
    return ustr(r, base + off, size - (size_t)off, out, NULL);
}

/* "\\machine\object(parent/instance#n)\counter", as relog writes it. */
static char *make_path(const char *machine, const char *object, const char *parent,
                       const char *instance, uint32_t index, const char *counter)
{
    size_t n = strlen(object) + strlen(counter) + 32 + (machine ? strlen(machine) : 0) +
               (parent ? strlen(parent) : 0) + (instance ? strlen(instance) : 0);
    char *s = malloc(n), idx[16] = "";
    if (!s)
        return NULL;
    if (index)
        snprintf(idx, sizeof idx, "#%u", index);
    snprintf(s, n, "%s%s%s%s%s%s%s%s%s\\%s", machine && machine[0] ? machine : "",
             machine && machine[0] ? "\\" : "", object, instance ? "(" : "",
             parent && instance ? parent : "", parent && instance ? "/" : "",
             instance ? instance : "", instance ? idx : "", instance ? ")" : "", counter);
    return s;
}

/* Finds or appends the column for path (consumed). */
static int column_for(pl_blg_reader *r, char *path, uint32_t type, int64_t tb, size_t *out);

static void put_part(char **p, const char *s)
{
    size_t n = strlen(s);
    memcpy(*p, s, n);
    (*p)[n] = '\x01';
    *p += n + 1;
}

/* The column cache of the next instance named inst of catalog entry ce
 * under machine and object in the sub-record being read, with room for n
 * counters; *dup: which namesake it is (0 for the first, numbered #1, #2
 * after it, as relog numbers them). NULL when out of memory (the reader
 * has failed). */
static inst_cols *inst_cache(pl_blg_reader *r, const cat_entry *ce, const char *machine,
                             const char *object, const char *inst, uint32_t n, size_t *dup)
{
    char kbuf[512], *key = kbuf, *p;
    size_t need = strlen(machine) + strlen(object) + strlen(inst) + 32, idx, k;
    inst_name *nm;
    inst_cols *ic;
    if (need > sizeof kbuf && !(key = malloc(need))) {
        oom(r);
        return NULL;
    }
    p = key;
    for (k = (size_t)(ce - r->catalog.cat) + 1; k; k /= 10) /* the entry, in digits */
        *p++ = (char)('0' + k % 10);
    *p++ = '\x01';
    put_part(&p, machine);
    put_part(&p, object);
    put_part(&p, inst);
    p[-1] = '\0';
    if (!pl_strmap_get(&r->co.instmap, key, &idx)) {
        if (pl_grow(&r->co.inames, &r->co.capinames, r->co.ninames + 1, sizeof *r->co.inames) != 0 ||
            pl_strmap_put(&r->co.instmap, key, r->co.ninames) != 0) {
            if (key != kbuf)
                free(key);
            oom(r);
            return NULL;
        }
        memset(&r->co.inames[r->co.ninames], 0, sizeof r->co.inames[0]);
        idx = r->co.ninames++;
    }
    if (key != kbuf)
        free(key);
    nm = &r->co.inames[idx];
    if (nm->seq != r->co.subrec_seq) {
        nm->seq = r->co.subrec_seq;
        nm->count = 0;
    }
    *dup = nm->count++;
    if (*dup >= nm->nslot) {
        if (pl_grow(&nm->slot, &nm->capslot, *dup + 1, sizeof *nm->slot) != 0 ||
            pl_grow(&r->co.icache, &r->co.capicache, r->co.nicache + 1, sizeof *r->co.icache) != 0) {
            oom(r);
            return NULL;
        }
        memset(&r->co.icache[r->co.nicache], 0, sizeof r->co.icache[0]);
        nm->slot[nm->nslot++] = r->co.nicache++;
    }
    ic = &r->co.icache[nm->slot[*dup]];
    if (n > ic->n) {
        uint32_t *nn = realloc(ic->name, n * sizeof *nn);
        size_t *nc;
        if (nn)
            ic->name = nn;
        if (!nn || !(nc = realloc(ic->col, n * sizeof *nc))) {
            oom(r);
            return NULL;
        }
        ic->col = nc;
        for (k = ic->n; k < n; k++) {
            ic->name[k] = UINT32_MAX;
            ic->col[k] = NO_COL;
        }
        ic->n = n;
    }
    return ic;
}

static int column_for(pl_blg_reader *r, char *path, uint32_t type, int64_t tb, size_t *out)
{
    size_t c;
    if (!path)
        return oom(r);
    if (pl_strmap_get(&r->co.colmap, path, &c)) {
        free(path);
        *out = c;
        return PL_OK;
    }
    if (r->co.ncols >= MAX_COLUMNS) {
        free(path);
        return pl_sticky_fail(&r->st, PL_ELIMIT, "%s: more than %zu counters; expected a log of at most that many",
                    r->name, MAX_COLUMNS);
    }
    if (r->co.ncols == r->co.capcols) {
        size_t nc = r->co.capcols ? r->co.capcols * 2 : 64;
        char **np = realloc(r->co.paths, nc * sizeof *np);
        column *ncl;
        unsigned char *ns;
        double *nv;
        size_t *nt, *nt2;
        if (np)
            r->co.paths = np;
        ncl = np ? realloc(r->co.cols, nc * sizeof *ncl) : NULL;
        if (ncl)
            r->co.cols = ncl;
        ns = ncl ? realloc(r->co.select, nc) : NULL;
        if (ns)
            r->co.select = ns;
        nv = ns ? realloc(r->co.vals, nc * sizeof *nv) : NULL;
        if (nv)
            r->co.vals = nv;
        nt = nv ? realloc(r->co.touched, nc * sizeof *nt) : NULL;
        if (nt)
            r->co.touched = nt;
        nt2 = nt ? realloc(r->co.prev_touched, nc * sizeof *nt2) : NULL;
        if (!nt2) {
            free(path);
            return oom(r);
        }
        r->co.prev_touched = nt2;
        r->co.capcols = nc;
    }
    if (pl_strmap_put(&r->co.colmap, path, r->co.ncols)) {
        free(path);
        return oom(r);
    }
    c = r->co.ncols++;
    r->co.paths[c] = path;
    memset(&r->co.cols[c], 0, sizeof r->co.cols[c]);
    r->co.cols[c].type = type;
    r->co.cols[c].timebase = tb;
    r->co.select[c] = 1;
    r->co.vals[c] = NAN;
    *out = c;
    return PL_OK;
}

/* Cooks raw into column c's value for this sample. */
static void set_value(pl_blg_reader *r, size_t c, const pl_blg_raw *raw, int status_ok)
{
    column *col = &r->co.cols[c];
    double v;
    int rc;
    if (col->seen != r->rows + 1)
        r->co.touched[r->co.ntouched++] = c; /* each column once a sample */
    col->seen = r->rows + 1;
    if (!status_ok) {
        r->bad_status++;
        col->have_prev = 0;
        return;
    }
    if (r->co.select[c]) { /* a column the sink does not take needs no value */
        rc = pl_blg_cook(col->type, raw, col->have_prev ? &col->prev : NULL, col->timebase, &v);
        if (rc == 1)
            r->co.vals[c] = v;
    }
    col->prev = *raw;
    col->have_prev = 1;
}

static const char *lookup_name(const pl_blg_reader *r, const char *machine, uint32_t idx)
{
    size_t i;
    for (i = 0; i < r->catalog.nnt; i++)
        if (pl_strcasecmp(r->catalog.nt[i].machine, machine) == 0 && idx < r->catalog.nt[i].n)
            return r->catalog.nt[i].names[idx];
    /* A log of one machine's objects may name it differently in the
     * catalog and the table ("" vs "\\HOST"). */
    if (r->catalog.nnt == 1 && idx < r->catalog.nt[0].n)
        return r->catalog.nt[0].names[idx];
    return NULL;
}

/* ---------- records ---------- */

static void free_entry(cat_entry *e)
{
    free(e->machine);
    free(e->object);
    free(e->parent);
    free(e->instance);
    free(e->counter);
}

/* Type 32: one entry per logged path. */
static int parse_catalog(pl_blg_reader *r, const unsigned char *ev, size_t size, uint64_t off)
{
    size_t p = BLG_CAT_FIRST;
    while (p + BLG_CAT_STRINGS_AT <= size) {
        const unsigned char *e = ev + p;
        uint32_t esz = rd32(e + BLG_CAT_SIZE_AT), flags = rd32(e + BLG_CAT_FLAGS_AT);
        size_t strsz;
        cat_entry ce;
        if (esz == 0)
            break;
        if (esz < BLG_CAT_MIN_SIZE || esz > size - p)
            return pl_sticky_fail(&r->st, PL_EFORMAT,
                        "%s: offset 0x%llx: counter catalog entry of %u bytes overruns its record; expected a .blg counter catalog",
                        r->name, (unsigned long long)(off + p), esz);
        memset(&ce, 0, sizeof ce);
        ce.type = rd32(e + BLG_CAT_TYPE_AT);
        ce.timebase = rd64(e + BLG_CAT_BASE_AT);
        ce.index = rd32(e + BLG_CAT_INDEX_AT);
        strsz = esz - BLG_CAT_STRINGS_AT;
        {
            const unsigned char *str = e + BLG_CAT_STRINGS_AT;
            int32_t io = (int32_t)rd32(e + BLG_CAT_INST_AT), po = (int32_t)rd32(e + BLG_CAT_PARENT_AT);
            int ok = wstr(r, str, strsz, 0, &ce.machine) > 0 &&
                     wstr(r, str, strsz, (int32_t)rd32(e + BLG_CAT_OBJECT_AT), &ce.object) > 0 &&
                     wstr(r, str, strsz, (int32_t)rd32(e + BLG_CAT_COUNTER_AT), &ce.counter) > 0 &&
                     (io < 0 || wstr(r, str, strsz, io, &ce.instance) > 0) &&
                     (po < 0 || wstr(r, str, strsz, po, &ce.parent) > 0);
            if (!ok) {
                free_entry(&ce);
                if (r->st.code)
                    return r->st.code;
                return pl_sticky_fail(&r->st, PL_EFORMAT,
                            "%s: offset 0x%llx: counter catalog entry with a name outside it; expected UTF-16 names within the entry",
                            r->name, (unsigned long long)(off + p));
            }
        }
        if (flags & 0x10)
            ce.kind = KIND_OBJECT;
        else if ((flags & 1) || (ce.instance && strcmp(ce.instance, "*") == 0))
            ce.kind = KIND_WILDCARD;
        else
            ce.kind = KIND_SINGLE;
        ce.col = (size_t)-1;
        if (ce.kind != KIND_OBJECT && pl_blg_type_kind(ce.type) == PL_BLG_UNKNOWN) {
            r->unknown_types++;
            pl_warnf(r->warn, r->warn_ctx,
                     "%s: counter \\%s\\%s has counter type 0x%08X, which this reader does not know; its column was skipped",
                     r->name, ce.object, ce.counter, ce.type);
        }
        if (pl_grow(&r->catalog.cat, &r->catalog.capcat, r->catalog.ncat + 1, sizeof *r->catalog.cat) != 0) {
            free_entry(&ce);
            return oom(r);
        }
        r->catalog.cat[r->catalog.ncat++] = ce;
        p += esz;
    }
    return PL_OK;
}

/* Type 36: the machine's name, then "index\0name\0" pairs. */
static int parse_names(pl_blg_reader *r, const unsigned char *d, size_t n)
{
    size_t used = 0, i;
    char *machine;
    int rc = ustr(r, d, n, &machine, &used);
    name_table *t = NULL;
    r->name_bytes += n;
    if (rc <= 0)
        return rc < 0 ? r->st.code : PL_OK; /* no machine name: nothing to learn */
    for (i = 0; i < r->catalog.nnt; i++)
        if (strcmp(r->catalog.nt[i].machine, machine) == 0)
            t = &r->catalog.nt[i];
    if (!t) {
        if (pl_grow(&r->catalog.nt, &r->catalog.capnt, r->catalog.nnt + 1, sizeof *r->catalog.nt) != 0) {
            free(machine);
            return oom(r);
        }
        t = &r->catalog.nt[r->catalog.nnt++];
        memset(t, 0, sizeof *t);
        t->machine = machine;
    } else {
        free(machine);
    }
    while (used < n) {
        size_t u1 = 0, u2 = 0;
        char *num, *end, *nm;
        unsigned long idx;
        if ((rc = ustr(r, d + used, n - used, &num, &u1)) <= 0)
            return rc < 0 ? r->st.code : PL_OK;
        if ((rc = ustr(r, d + used + u1, n - used - u1, &nm, &u2)) <= 0) {
            free(num);
            return rc < 0 ? r->st.code : PL_OK;
        }
        used += u1 + u2;
        idx = strtoul(num, &end, 10);
        if (*end || end == num || idx >= MAX_NAME_INDEX) {
            free(num);
            free(nm);
            continue;
        }
        free(num);
        if (idx >= t->n) {
            size_t nn = idx + 1 > t->n * 2 ? idx + 1 : t->n * 2;
            /* Tables are indexed directly, so a table costs its largest
             * index: one name at index 1 000 000 in each of a thousand
             * machines' tables would take 8 MB each for a few bytes of
             * file. All tables together hold at most 64 Ki slots plus 8 per
             * byte of name records read (a real table, numbered densely,
             * needs about one per 20 bytes); a name beyond that is left
             * out. */
            if (r->name_slots + (nn - t->n) > 65536 + 8 * r->name_bytes &&
                r->name_slots + (idx + 1 - t->n) > 65536 + 8 * r->name_bytes) {
                free(nm);
                r->sparse_names++;
                continue;
            }
            if (r->name_slots + (nn - t->n) > 65536 + 8 * r->name_bytes)
                nn = idx + 1;
            char **g = realloc(t->names, nn * sizeof *g);
            if (!g) {
                free(nm);
                return oom(r);
            }
            memset(g + t->n, 0, (nn - t->n) * sizeof *g);
            r->name_slots += nn - t->n;
            t->names = g;
            t->n = nn;
        }
        free(t->names[idx]);
        t->names[idx] = nm;
    }
    return PL_OK;
}

/* BL 03 02: all instances of a wildcard counter. */
static int sub_wildcard(pl_blg_reader *r, cat_entry *ce, const unsigned char *s, size_t len)
{
    uint32_t count, i;
    int rc = PL_OK;
    if (len < BLG_ALL_ITEMS_AT)
        return 1;
    r->co.subrec_seq++;
    count = rd32(s + BLG_ALL_COUNT_AT);
    if (count > (len - BLG_ALL_ITEMS_AT) / BLG_ALL_ITEM_SIZE)
        return 1;
    for (i = 0; i < count && rc == PL_OK; i++) {
        const unsigned char *it = s + BLG_ALL_ITEMS_AT + (size_t)i * BLG_ALL_ITEM_SIZE;
        uint32_t noff = rd32(it + BLG_ITEM_NAME_AT);
        char *inst;
        size_t dup = 0, c = 0;
        pl_blg_raw raw;
        if ((size_t)noff + BLG_SUB_HDR >= len)
            continue;
        if ((rc = ustr(r, s + BLG_SUB_HDR + noff, len - BLG_SUB_HDR - noff, &inst, NULL)) <= 0) {
            if (rc < 0)
                break;
            rc = PL_OK; /* a damaged name: the item is skipped */
            continue;
        }
        {
            inst_cols *ic = inst_cache(r, ce, ce->machine, ce->object, inst, 1, &dup);
            if (!ic) {
                rc = r->st.code;
            } else if (ic->col[0] != NO_COL) {
                c = ic->col[0];
                rc = PL_OK;
            } else if ((rc = column_for(r, make_path(ce->machine, ce->object, ce->parent, inst,
                                                     (uint32_t)dup, ce->counter),
                                        ce->type, ce->timebase, &c)) == PL_OK) {
                ic->col[0] = c;
            }
        }
        free(inst);
        if (rc != PL_OK)
            break;
        raw.multi = rd32(it + BLG_ITEM_MULTI_AT);
        raw.first = rd64(it + BLG_ITEM_FIRST_AT);
        raw.second = rd64(it + BLG_ITEM_SECOND_AT);
        set_value(r, c, &raw, 1);
    }
    return rc == PL_OK ? 0 : -1;
}

/* Whole-object logging: a PERF_DATA_BLOCK (winperf.h). */
typedef struct perf_clock {
    int64_t time, freq, time100ns;
} perf_clock;

#define IS_FRACTION(t) (((t) & 0x000F0C00u) == 0x00020400u)
#define IS_PRECISION(t) (((t) & 0x000F0000u) == 0x00070000u)
#define IS_MULTI(t) (((t) & 0x02000000u) != 0)

/* The raw sample of a counter of type t with value v: its second value is
 * the counter that follows (a base or a time stamp) or one of the clocks
 * its timer bits name. */
static int object_raw(uint32_t t, int64_t v, const int64_t *next, const perf_clock *blk,
                      const perf_clock *obj, pl_blg_raw *raw, int64_t *tb)
{
    uint32_t timer = t & 0x00300000u;
    raw->first = v;
    raw->second = timer == 0x00100000u ? blk->time100ns : timer == 0x00200000u ? obj->time : blk->time;
    raw->multi = 1;
    *tb = timer == 0x00100000u ? 10000000 : timer == 0x00200000u ? obj->freq : blk->freq;
    if (IS_FRACTION(t) || IS_PRECISION(t) || IS_MULTI(t)) {
        if (!next)
            return -1;
        if (IS_MULTI(t))
            raw->multi = (uint32_t)*next;
        else
            raw->second = *next;
    }
    return 0;
}

typedef struct counter_def {
    uint32_t name, type, size, offset;
} counter_def;

/* Columns for every displayed counter of one instance (or of an object
 * without instances) from its PERF_COUNTER_BLOCK. */
static int object_instance(pl_blg_reader *r, cat_entry *ce, const char *machine,
                           const char *objname, const char *inst, uint32_t dup, inst_cols *ic,
                           const counter_def *defs, uint32_t nc, const unsigned char *cb,
                           size_t cblen, const perf_clock *blk, const perf_clock *obj)
{
    uint32_t k;
    (void)ce;
    for (k = 0; k < nc; k++) {
        const counter_def *d = &defs[k];
        int64_t v, nv;
        int have_next = 0, kind;
        /* a column the sink does not take (it said so at its header):
         * nothing of it is read again */
        if (ic->name[k] == d->name && ic->col[k] != NO_COL && !r->co.select[ic->col[k]])
            continue;
        kind = pl_blg_type_kind(d->type);
        pl_blg_raw raw;
        int64_t tb;
        size_t c;
        const char *cname;
        if (kind != PL_BLG_VALUE) {
            if (kind == PL_BLG_UNKNOWN && !ce->warned) {
                ce->warned = 1;
                r->unknown_types++;
                pl_warnf(r->warn, r->warn_ctx,
                         "%s: a counter of object %s has counter type 0x%08X, which this reader does not know; its column was skipped",
                         r->name, objname, d->type);
            }
            continue;
        }
        /* The time stamp that follows a precision timer is no column. */
        if (k > 0 && IS_PRECISION(defs[k - 1].type))
            continue;
        if ((d->size != 4 && d->size != 8) || (size_t)d->offset + d->size > cblen)
            continue;
        v = d->size == 4 ? (int64_t)rd32(cb + d->offset) : rd64(cb + d->offset);
        if (k + 1 < nc && (defs[k + 1].size == 4 || defs[k + 1].size == 8) &&
            (size_t)defs[k + 1].offset + defs[k + 1].size <= cblen) {
            nv = defs[k + 1].size == 4 ? (int64_t)rd32(cb + defs[k + 1].offset)
                                       : rd64(cb + defs[k + 1].offset);
            have_next = 1;
        }
        if (object_raw(d->type, v, have_next ? &nv : NULL, blk, obj, &raw, &tb))
            continue;
        if (ic->name[k] == d->name && ic->col[k] != NO_COL) {
            c = ic->col[k];
        } else {
            if (!(cname = lookup_name(r, machine, d->name)))
                continue;
            if (column_for(r, make_path(machine, objname, NULL, inst, dup, cname), d->type, tb, &c) != PL_OK)
                return -1;
            ic->name[k] = d->name;
            ic->col[k] = c;
        }
        r->co.cols[c].timebase = tb;
        set_value(r, c, &raw, 1);
    }
    return 0;
}

/* One PERF_OBJECT_TYPE at o (total bytes within the block): its counter
 * definitions, then its instances each followed by a counter block. */
static int object_type(pl_blg_reader *r, cat_entry *ce, const char *machine,
                       const unsigned char *o, size_t total, const perf_clock *blk)
{
    uint32_t deflen, ohlen, nc, k;
    int32_t ninst, ii;
    perf_clock obj;
    const char *objname;
    counter_def *defs;
    size_t at;
    int rc = 0;
    if (total < BLG_OBJ_MIN_SIZE)
        return 1;
    r->co.subrec_seq++;
    deflen = rd32(o + BLG_OBJ_DEFLEN_AT);
    ohlen = rd32(o + BLG_OBJ_HDRLEN_AT);
    nc = rd32(o + BLG_OBJ_NCTR_AT);
    ninst = (int32_t)rd32(o + BLG_OBJ_NINST_AT);
    obj.time = rd64(o + BLG_OBJ_TIME_AT);
    obj.freq = rd64(o + BLG_OBJ_FREQ_AT);
    obj.time100ns = blk->time100ns;
    if (deflen > total || ohlen > deflen || ohlen < BLG_OBJ_MIN_SIZE ||
        nc > (deflen - ohlen) / BLG_DEF_MIN_SIZE || ninst < -1)
        return 1;
    if (!(objname = lookup_name(r, machine, rd32(o + BLG_OBJ_NAME_AT))))
        return 1;
    if (!(defs = malloc((nc ? nc : 1) * sizeof *defs))) {
        oom(r);
        return -1;
    }
    at = ohlen;
    for (k = 0; k < nc; k++) {
        uint32_t bl;
        /* longer definitions before may leave less than one for the rest */
        if (deflen - at < BLG_DEF_MIN_SIZE) {
            free(defs);
            return 1;
        }
        bl = rd32(o + at + BLG_DEF_LEN_AT);
        if (bl < BLG_DEF_MIN_SIZE || bl > deflen - at) {
            free(defs);
            return 1;
        }
        defs[k].name = rd32(o + at + BLG_DEF_NAME_AT);
        defs[k].type = rd32(o + at + BLG_DEF_TYPE_AT);
        defs[k].size = rd32(o + at + BLG_DEF_SIZE_AT);
        defs[k].offset = rd32(o + at + BLG_DEF_OFFSET_AT);
        at += bl;
    }
    at = deflen;
    for (ii = 0; ii < (ninst < 0 ? 1 : ninst) && rc == 0; ii++) {
        char *inst = NULL;
        size_t dup = 0, cblen;
        inst_cols *ic;
        if (ninst >= 0) {
            uint32_t ibl, noff;
            if (at + BLG_INST_MIN_SIZE > total) { rc = 1; break; }
            ibl = rd32(o + at + BLG_INST_LEN_AT);
            noff = rd32(o + at + BLG_INST_NAME_AT);
            if (ibl < BLG_INST_MIN_SIZE || ibl > total - at || noff >= ibl) { rc = 1; break; }
            if (ustr(r, o + at + noff, ibl - noff, &inst, NULL) < 0) { rc = -1; break; }
            if (!inst && !(inst = pl_strdup(""))) { oom(r); rc = -1; break; }
            at += ibl;
        }
        /* namesakes numbered in the order they come; no instances: "\x02" */
        if (!(ic = inst_cache(r, ce, machine, objname, inst ? inst : "\x02", nc, &dup))) {
            free(inst);
            rc = -1;
            break;
        }
        if (at + BLG_BLOCK_MIN_SIZE > total || (cblen = rd32(o + at + BLG_BLOCK_LEN_AT)) < BLG_BLOCK_MIN_SIZE ||
            cblen > total - at) {
            free(inst);
            rc = 1;
            break;
        }
        rc = object_instance(r, ce, machine, objname, inst, (uint32_t)dup, ic, defs, nc, o + at, cblen,
                             blk, &obj);
        at += cblen;
        free(inst);
    }
    free(defs);
    return rc;
}

static int sub_object(pl_blg_reader *r, cat_entry *ce, const unsigned char *s, size_t len)
{
    const unsigned char *b = s + BLG_SUB_HDR;
    size_t n = len - BLG_SUB_HDR, ooff;
    uint32_t hlen, nobj, oi;
    perf_clock blk;
    const char *machine = ce->machine;
    char *mbuf = NULL;
    int rc = 0;
    if (n < BLG_PDB_MIN_SIZE || memcmp(b, "P\0E\0R\0F\0", 8) != 0)
        return 1;
    hlen = rd32(b + BLG_PDB_HDRLEN_AT);
    nobj = rd32(b + BLG_PDB_NOBJ_AT);
    blk.time = rd64(b + BLG_PDB_TIME_AT);
    blk.freq = rd64(b + BLG_PDB_FREQ_AT);
    blk.time100ns = rd64(b + BLG_PDB_TIME100_AT);
    if (hlen > n || hlen < BLG_PDB_MIN_SIZE)
        return 1;
    if (!machine[0]) {
        /* The catalog leaves the local machine unnamed; the block names it. */
        uint32_t soff = rd32(b + BLG_PDB_SYSNAME_AT);
        char *sys = NULL;
        if (soff < n && ustr(r, b + soff, n - soff, &sys, NULL) < 0)
            return -1;
        if (sys && sys[0]) {
            size_t ml = strlen(sys) + 3;
            if (!(mbuf = malloc(ml))) {
                free(sys);
                oom(r);
                return -1;
            }
            snprintf(mbuf, ml, "\\\\%s", sys);
        }
        free(sys);
        if (mbuf)
            machine = mbuf;
    }
    ooff = hlen;
    for (oi = 0; oi < nobj && rc == 0; oi++) {
        uint32_t total;
        if (ooff + BLG_OBJ_MIN_SIZE > n || (total = rd32(b + ooff + BLG_OBJ_TOTAL_AT)) < BLG_OBJ_MIN_SIZE ||
            total > n - ooff) {
            rc = 1;
            break;
        }
        rc = object_type(r, ce, machine, b + ooff, total, &blk);
        ooff += total;
    }
    free(mbuf);
    return rc;
}

static int announce(pl_blg_reader *r)
{
    pl_log_header h;
    int rc = PL_OK;
    memset(&h, 0, sizeof h);
    h.name = r->name;
    h.tz = &r->tz;
    h.encoding = "UTF-16LE";
    h.delimiter = ',';
    h.ncols = r->co.ncols;
    h.paths = (const char *const *)r->co.paths;
    h.select = r->co.select;
    if (!r->co.header_sent) {
        r->co.header_sent = 1;
        if (r->sink.header)
            rc = r->sink.header(r->sink.ctx, &h, &r->st.err);
    } else if (r->co.ncols > r->co.announced && r->sink.columns) {
        rc = r->sink.columns(r->sink.ctx, &h, r->co.announced, &r->st.err);
    }
    r->co.announced = r->co.ncols;
    if (rc != PL_OK)
        r->st.code = rc;
    return rc;
}

static int single_column(pl_blg_reader *r, cat_entry *ce)
{
    return column_for(r, make_path(ce->machine, ce->object, ce->parent, ce->instance, ce->index,
                                   ce->counter),
                      ce->type, ce->timebase, &ce->col);
}

/* A whole sample: the master record and one sub-record per catalog entry. */
static int parse_sample(pl_blg_reader *r, const unsigned char *d, size_t n, int64_t ft,
                        uint64_t off)
{
    size_t p, k, total, i;
    pl_time t;
    if (n < BLG_SUB_HDR || memcmp(d, "BL\x03\x00", 4) != 0 || ft < FILETIME_MIN || ft > FILETIME_MAX) {
        if (!r->bad_events++)
            r->first_bad_off = off;
        return PL_OK;
    }
    total = rd32(d + BLG_SUB_LEN_AT);
    if (total > n || total < BLG_SUB_HDR)
        total = n;
    /* Only what the last sample set is cleared: work per sample follows
     * what the sample holds, not every column the log ever had (100 000
     * instances once, then 60 000 small samples, took 70 s). */
    for (i = 0; i < r->co.ntouched; i++)
        r->co.vals[r->co.touched[i]] = NAN;
    r->co.ntouched = 0;
    p = BLG_SUB_HDR;
    for (k = 0; k < r->catalog.ncat && p + BLG_SUB_HDR <= total; k++) {
        const unsigned char *s = d + p;
        size_t len = rd32(s + BLG_SUB_LEN_AT);
        int bad = 0;
        cat_entry *ce = &r->catalog.cat[k];
        if (s[0] != 'B' || s[1] != 'L' || s[2] != 3 || len < BLG_SUB_HDR || len > total - p) {
            bad = 1;
        } else if (s[3] == BLG_SUB_SINGLE && len >= BLG_ONE_SIZE) {
            /* Columns are made in catalog order as samples name them, so
             * they come out in relog's order. */
            if (ce->col == (size_t)-1 && pl_blg_type_kind(ce->type) == PL_BLG_VALUE &&
                single_column(r, ce) != PL_OK)
                return r->st.code;
            if (ce->col != (size_t)-1) {
                pl_blg_raw raw;
                raw.first = rd64(s + BLG_ONE_FIRST_AT);
                raw.second = rd64(s + BLG_ONE_SECOND_AT);
                raw.multi = rd32(s + BLG_ONE_MULTI_AT);
                set_value(r, ce->col, &raw, rd32(s + BLG_ONE_STATUS_AT) == 0);
            }
        } else if (s[3] == BLG_SUB_WILDCARD) {
            bad = sub_wildcard(r, ce, s, len);
        } else if (s[3] == BLG_SUB_OBJECT) {
            bad = sub_object(r, ce, s, len);
        } else {
            bad = 1;
        }
        if (r->st.code)
            return r->st.code;
        if (bad) {
            if (!r->bad_events++)
                r->first_bad_off = off;
            break;
        }
        p += len;
    }
    if (k < r->catalog.ncat && !r->subrec_mismatch) {
        r->subrec_mismatch = 1;
        if (!r->bad_events++)
            r->first_bad_off = off;
    }
    /* A counter absent from this sample breaks its chain of raw values;
     * one absent from the last one too has no chain left to break. */
    for (i = 0; i < r->co.nprev; i++)
        if (r->co.cols[r->co.prev_touched[i]].seen != r->rows + 1)
            r->co.cols[r->co.prev_touched[i]].have_prev = 0;
    if (r->co.ntouched) /* before any column both arrays are NULL */
        memcpy(r->co.prev_touched, r->co.touched, r->co.ntouched * sizeof *r->co.touched);
    r->co.nprev = r->co.ntouched;
    if (announce(r) != PL_OK)
        return r->st.code;
    t = (pl_time)(ft - FILETIME_1970) + (pl_time)r->tz.bias * 60 * PL_TICKS_PER_SEC;
    if (r->rows && t < r->last_t)
        r->backwards++;
    r->last_t = t;
    r->rows++;
    if (r->sink.sparse_row) {
        int rc = r->sink.sparse_row(r->sink.ctx, t, r->co.vals, r->co.ncols, r->co.touched, r->co.ntouched,
                                    &r->st.err);
        if (rc != PL_OK)
            return r->st.code = rc;
    } else if (r->sink.row) {
        int rc = r->sink.row(r->sink.ctx, t, r->co.vals, r->co.ncols, &r->st.err);
        if (rc != PL_OK)
            return r->st.code = rc;
    }
    return PL_OK;
}

static int append_part(pl_blg_reader *r, const unsigned char *d, size_t n)
{
    if (n == 0)
        return PL_OK; /* an empty part: nothing to copy, perhaps nowhere yet */
    if (r->part.npend + n > MAX_SAMPLE)
        return pl_sticky_fail(&r->st, PL_ELIMIT, "%s: offset 0x%llx: one sample is larger than %zu MiB; expected a .blg sample",
                    r->name, (unsigned long long)r->part.pend_off, MAX_SAMPLE >> 20);
    if (pl_grow(&r->part.pend, &r->part.cappend, r->part.npend + n, 1) != 0)
        return oom(r);
    memcpy(r->part.pend + r->part.npend, d, n);
    r->part.npend += n;
    return PL_OK;
}

/* Type 34: a sample, or one part of a sample split over several events. */
static int on_sample_event(pl_blg_reader *r, const unsigned char *ev, size_t size, uint64_t off)
{
    uint32_t part = rd32(ev + BLG_EV_PART_AT), count = rd32(ev + BLG_EV_PARTS_AT);
    int64_t ft = rd64(ev + BLG_EV_TIME_AT);
    const unsigned char *d = ev + BLG_EV_HDR;
    size_t n = size - BLG_EV_HDR;
    if (count <= 1)
        return parse_sample(r, d, n, ft, off);
    if (part == 1) {
        if (r->part.npend)
            r->dropped_parts++;
        r->part.npend = 0;
        r->part.pend_count = count;
        r->part.pend_next = 1;
        r->part.pend_ft = ft;
        r->part.pend_off = off;
    } else if (part != r->part.pend_next || count != r->part.pend_count || ft != r->part.pend_ft) {
        if (r->part.npend)
            r->dropped_parts++;
        r->part.npend = 0;
        r->part.pend_next = 0;
        return PL_OK;
    }
    if (append_part(r, d, n) != PL_OK)
        return r->st.code;
    r->part.pend_next++;
    if (part == count) {
        int rc = parse_sample(r, r->part.pend, r->part.npend, ft, r->part.pend_off);
        r->part.npend = 0;
        r->part.pend_next = 0;
        return rc;
    }
    return PL_OK;
}

/* The log-file header event at the start of the first buffer: the time
 * zone (TIME_ZONE_INFORMATION) follows two pointers, 4 or 8 bytes each. */
static int parse_header_event(pl_blg_reader *r, const unsigned char *ev, size_t size)
{
    size_t tzo = ev[BLG_EV_KIND_AT] == 2 ? BLG_LOG_TZ_AT_64 : BLG_LOG_TZ_AT_32;
    char *name;
    memset(&r->tz, 0, sizeof r->tz);
    strcpy(r->tz.format, "BLG");
    if (tzo + BLG_TZ_SIZE > size) {
        strcpy(r->tz.name, "UTC");
        return PL_OK;
    }
    r->tz.bias = (int32_t)rd32(ev + tzo + BLG_TZ_BIAS_AT);
    r->tz.bias_known = r->tz.bias >= -24 * 60 && r->tz.bias <= 24 * 60;
    if (!r->tz.bias_known)
        r->tz.bias = 0;
    if (ustr(r, ev + tzo + BLG_TZ_NAME_AT, BLG_TZ_NAME_BYTES, &name, NULL) < 0)
        return r->st.code;
    if (!name && !(name = pl_strdup("")))
        return oom(r);
    if (strncmp(name, "@tzres.dll,-", 12) == 0) {
        const char *known = pl_tzres_name(strtol(name + 12, NULL, 10));
        if (known)
            snprintf(r->tz.name, sizeof r->tz.name, "%s", known);
        else
            pl_time_format_offset(-r->tz.bias, r->tz.name, sizeof r->tz.name);
    } else {
        snprintf(r->tz.name, sizeof r->tz.name, "%s", name);
    }
    free(name);
    return PL_OK;
}

/* One whole buffer: its events in order. */
static int parse_buffer(pl_blg_reader *r, const unsigned char *b, size_t have)
{
    uint32_t used = rd32(b + BLG_BUF_USED_AT);
    size_t p = BLG_BUF_HDR, end;
    uint64_t base = r->fr.buf_off;
    if (r->fr.nbuffers == 0) {
        /* The first event is the log-file header: flag byte 0xC0, a header
         * type of 1 (32-bit writer) or 2 (64-bit), then its u32 size. */
        uint32_t hsz;
        const unsigned char *h = b + BLG_BUF_HDR;
        if (have < BLG_BUF_HDR + 8 || h[BLG_EV_FLAGS_AT] != BLG_EV_FLAGS ||
            (h[BLG_EV_KIND_AT] != 1 && h[BLG_EV_KIND_AT] != 2))
            return pl_sticky_fail(&r->st, PL_EUNSUPPORTED,
                        "%s: offset 0x48: unsupported format: expected the log-file header event of a Windows Vista-or-later .blg (flag byte 0xC0); pre-Vista and other binary logs are not read",
                        r->name);
        hsz = rd32(h + BLG_LOG_SIZE_AT);
        if (hsz >= 8 && hsz > have - BLG_BUF_HDR && have < r->fr.bufsize)
            return pl_sticky_fail(&r->st, PL_EFORMAT, "%s: offset %zu: the file ends inside the log-file header; expected a .blg log",
                        r->name, have);
        if (hsz < 8 || hsz > have - BLG_BUF_HDR)
            return pl_sticky_fail(&r->st, PL_EFORMAT, "%s: offset 0x4c: log-file header of %u bytes does not fit its buffer",
                        r->name, hsz);
        if (parse_header_event(r, h, hsz) != PL_OK)
            return r->st.code;
        r->fr.have_header = 1;
        p = BLG_BUF_HDR + ((hsz + 7u) & ~7u);
    }
    r->fr.nbuffers++;
    end = used > have ? have : used;
    if (used > r->fr.bufsize || used < BLG_BUF_HDR) {
        if (!r->bad_events++)
            r->first_bad_off = base;
        return PL_OK;
    }
    while (p + 4 <= end) {
        const unsigned char *ev = b + p;
        size_t size;
        if (rd32(ev) == BLG_BUF_END_MARK)
            break;
        size = rd16(ev + BLG_EV_SIZE_AT);
        if (p + BLG_EV_HDR > end || size < BLG_EV_HDR || size > end - p || ev[BLG_EV_FLAGS_AT] != BLG_EV_FLAGS) {
            if (!r->bad_events++)
                r->first_bad_off = base + p;
            break;
        }
        switch (ev[BLG_EV_RECORD_AT]) {
        case BLG_REC_CATALOG:
            if (parse_catalog(r, ev, size, base + p) != PL_OK)
                return r->st.code;
            break;
        case BLG_REC_NAMES:
            if (parse_names(r, ev + BLG_EV_HDR, size - BLG_EV_HDR) != PL_OK)
                return r->st.code;
            break;
        case BLG_REC_SAMPLE:
            if (on_sample_event(r, ev, size, base + p) != PL_OK)
                return r->st.code;
            break;
        default:
            break;
        }
        p += (size + 7) & ~(size_t)7;
    }
    return PL_OK;
}

/* ---------- public ---------- */

int pl_blg_reader_create(pl_blg_reader **out, const char *name, const pl_reader_opts *opts,
                         const pl_reader_sink *sink, pl_error *err)
{
    pl_blg_reader *r = calloc(1, sizeof *r);
    *out = NULL;
    if (!r || !(r->name = pl_strdup(name))) {
        free(r);
        return pl_err(err, PL_ENOMEM, "%s: out of memory", name);
    }
    if (opts) {
        r->warn = opts->warn;
        r->warn_ctx = opts->warn_ctx;
    }
    if (sink)
        r->sink = *sink;
    *out = r;
    return PL_OK;
}

int pl_blg_reader_feed(pl_blg_reader *r, const void *data, size_t len, pl_error *err)
{
    const unsigned char *in = data;
    if (!r->st.code && r->finished)
        pl_sticky_fail(&r->st, PL_EUSAGE, "%s: data fed after the end", r->name);
    while (!r->st.code && len) {
        size_t take;
        if (!r->fr.bufsize) {
            /* The buffer size comes first; gather its 4 bytes. */
            if (!r->fr.buf && !(r->fr.buf = malloc(MIN_BUFSIZE))) {
                oom(r);
                break;
            }
            take = 4 - r->fr.nbuf < len ? 4 - r->fr.nbuf : len;
            memcpy(r->fr.buf + r->fr.nbuf, in, take);
            r->fr.nbuf += take;
            in += take;
            len -= take;
            if (r->fr.nbuf == 4) {
                uint32_t bs = rd32(r->fr.buf + BLG_BUF_SIZE_AT);
                unsigned char *nb;
                if (bs < MIN_BUFSIZE || bs > MAX_BUFSIZE || bs % MIN_BUFSIZE) {
                    pl_sticky_fail(&r->st, PL_EUNSUPPORTED,
                         "%s: offset 0: unsupported format: expected a .blg buffer size (a multiple of 4096 up to 16 MiB), got %u",
                         r->name, bs);
                    break;
                }
                if (!(nb = realloc(r->fr.buf, bs))) {
                    oom(r);
                    break;
                }
                r->fr.buf = nb;
                r->fr.bufsize = bs;
            }
            continue;
        }
        take = r->fr.bufsize - r->fr.nbuf < len ? r->fr.bufsize - r->fr.nbuf : len;
        memcpy(r->fr.buf + r->fr.nbuf, in, take);
        r->fr.nbuf += take;
        in += take;
        len -= take;
        if (r->fr.nbuf == r->fr.bufsize) {
            if (parse_buffer(r, r->fr.buf, r->fr.nbuf) != PL_OK)
                break;
            r->fr.buf_off += r->fr.bufsize;
            r->fr.nbuf = 0;
        }
    }
    if (r->st.code)
        return pl_err(err, r->st.code, "%s", r->st.err.msg);
    return PL_OK;
}

int pl_blg_reader_finish(pl_blg_reader *r, pl_error *err)
{
    if (r->st.code || r->finished)
        goto out;
    r->finished = 1;
    if (r->fr.buf_off == 0 && r->fr.nbuf < BLG_BUF_HDR + 8) {
        pl_sticky_fail(&r->st, PL_EFORMAT, "%s: offset %zu: the file ends inside the first buffer header; expected a .blg log",
             r->name, r->fr.nbuf);
        goto out;
    }
    if (r->fr.nbuf) {
        /* A log still being written: read what the last buffer holds. */
        r->truncated = 1;
        if (parse_buffer(r, r->fr.buf, r->fr.nbuf) != PL_OK)
            goto out;
    }
    if (!r->fr.have_header) {
        pl_sticky_fail(&r->st, PL_EFORMAT, "%s: no log-file header; expected a .blg log", r->name);
        goto out;
    }
    if (r->part.npend)
        r->dropped_parts++;
    if (!r->catalog.ncat) {
        pl_sticky_fail(&r->st, PL_EFORMAT, "%s: no counter catalog (record type 32) found; expected a .blg log with counters",
             r->name);
        goto out;
    }
    if (!r->co.header_sent) {
        size_t k;
        for (k = 0; k < r->catalog.ncat; k++)
            if (r->catalog.cat[k].kind == KIND_SINGLE && r->catalog.cat[k].col == (size_t)-1 &&
                pl_blg_type_kind(r->catalog.cat[k].type) == PL_BLG_VALUE && single_column(r, &r->catalog.cat[k]) != PL_OK)
                goto out;
        if (announce(r) != PL_OK)
            goto out;
    }
    if (r->truncated)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s: offset 0x%llx: the file ends inside a buffer (log still being written?); read up to the last whole sample",
                 r->name, (unsigned long long)r->fr.buf_off);
    if (r->dropped_parts)
        pl_warnf(r->warn, r->warn_ctx, "%s: %zu sample(s) split over several records were incomplete and were skipped",
                 r->name, r->dropped_parts);
    if (r->bad_events)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s: offset 0x%llx: %zu damaged record(s) or buffer(s) were skipped",
                 r->name, (unsigned long long)r->first_bad_off, r->bad_events);
    if (r->bad_status)
        pl_warnf(r->warn, r->warn_ctx, "%s: %zu value(s) logged with an error status were left blank",
                 r->name, r->bad_status);
    if (r->sparse_names)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s: %zu counter name(s) with an index far beyond what the name tables hold were left out (expected names numbered from 1)",
                 r->name, r->sparse_names);
    if (r->backwards)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s: time went backwards %zu time(s) (a circular log that wrapped?); samples are ordered by time",
                 r->name, r->backwards);
    if (r->rows == 0)
        pl_warnf(r->warn, r->warn_ctx, "%s: the log has a header but no samples", r->name);
out:
    if (r->st.code)
        return pl_err(err, r->st.code, "%s", r->st.err.msg);
    return PL_OK;
}

void pl_blg_reader_free(pl_blg_reader *r)
{
    size_t i, j;
    if (!r)
        return;
    for (i = 0; i < r->catalog.ncat; i++)
        free_entry(&r->catalog.cat[i]);
    free(r->catalog.cat);
    for (i = 0; i < r->catalog.nnt; i++) {
        for (j = 0; j < r->catalog.nt[i].n; j++)
            free(r->catalog.nt[i].names[j]);
        free(r->catalog.nt[i].names);
        free(r->catalog.nt[i].machine);
    }
    free(r->catalog.nt);
    for (i = 0; i < r->co.ncols; i++)
        free(r->co.paths[i]);
    free(r->co.paths);
    free(r->co.cols);
    free(r->co.select);
    free(r->co.vals);
    free(r->co.touched);
    free(r->co.prev_touched);
    pl_strmap_clear(&r->co.colmap);
    pl_strmap_clear(&r->co.instmap);
    for (i = 0; i < r->co.ninames; i++)
        free(r->co.inames[i].slot);
    free(r->co.inames);
    for (i = 0; i < r->co.nicache; i++) {
        free(r->co.icache[i].name);
        free(r->co.icache[i].col);
    }
    free(r->co.icache);
    free(r->part.pend);
    free(r->fr.buf);
    free(r->name);
    free(r);
}

