/* store.c - bounded per-counter time series.
 *
 * Exact mode keeps one bucket per sample, sorted by time. When a series
 * would exceed max_buckets it turns into bucket mode: slots of equal width
 * counted from origin, slot i covering [origin + i*w, origin + (i+1)*w)
 * (i may be negative), of which only those holding samples are kept, in
 * time order. A sample that needs a new slot when max_buckets are held
 * merges neighbouring slot pairs (w doubles). So the number of buckets
 * never exceeds max_buckets, and time without samples (the days between
 * merged logs) costs no resolution.
 *
 * A long series ends up with max_buckets buckets (19.5 KiB at the usual
 * size), and a wide log has thousands of them: the size is what the
 * detector needs (see docs/BENCHMARKS.md on the 416-bucket store), not
 * what a chart could draw. A series starts in a small slot of
 * SMALL_BUCKETS (6 KiB) and moves, once, to a full-size one when it
 * outgrows it. Both kinds come from 2 MiB chunks, the slot of series id
 * at a fixed place in chunk id / per_chunk, both set aside when the
 * series is added, and a small chunk is freed once its series have moved
 * on. A series' pages are touched only as it fills: short logs do not pay for the
 * rest, and the small slots keep a log of 100 000 short series from
 * touching most of three pages for each (a 120-sample series fills 5.6
 * KiB of a 19.5 KiB slot that starts anywhere in a page). The move costs
 * one copy of 6 KiB per long series. The chunks carry no huge-page hint:
 * in a VM whose host reclaims free 2 MiB blocks, a fresh huge page costs
 * more than the 4 KiB faults it saves (see docs/BENCHMARKS.md). */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "perfleak/store.h"
#include "util/internal.h"

#define PL_DEFAULT_BUCKETS 416
#define EDGE 4 /* samples kept at each end of a series, for pl_store_remove_sample */
#define CHUNK_BYTES ((size_t)2 << 20)
#define ARENA_MAX_BUCKETS 4096 /* larger stores allocate each series alone */
#define SMALL_BUCKETS 128      /* 6 KiB: 341 to a chunk */

enum { HOME_HEAP, HOME_SMALL, HOME_FULL }; /* where a series' buckets are */

/* Equal slots in 2 MiB chunks, slot id in chunk id / per_chunk. Slots
 * are taken only while series are added (one thread) but given back while
 * samples are stored, on the reader's threads: each chunk counts its slots
 * in use in an atomic at its end, and whoever gives back the last frees
 * it. */
typedef struct slot_arena {
    char **chunk; /* NULL where not taken yet, or freed */
    size_t n, cap;
    size_t per_chunk, slot_bytes;
    int counted; /* slots are given back (else the count is not kept,
                  * and no page of a chunk is touched before a slot's) */
} slot_arena;

/* What a sample of the usual kind reads comes first, in the first four
 * cache lines: a wide log visits thousands of series per block of rows. */
struct pl_series {
    pl_bucket *b;
    size_t nb, cap;
    /* The slot the last sample went to, [hot_lo, hot_hi): the next sample
     * of a log usually goes there too, without a division. Empty when
     * hot_hi <= hot_lo (reset whenever slots move). */
    pl_time hot_lo, hot_hi;
    size_t hot;
    /* A copy of b[hot] while the slot is set, written through: the usual
     * sample reads its bucket here instead of from the bucket array,
     * where, in a log of thousands of counters, every read misses the
     * cache (38 % of the time storing a 6 000-counter log went to one
     * load of the bucket). */
    pl_bucket hb;
    pl_series_stats st;
    int exact;
    int shift;
    pl_time origin, width; /* width == 2^shift ticks */
    unsigned char home;
    pl_bucket *full; /* the full-size slot set aside in a chunk, or NULL */
    /* The EDGE earliest samples in time order, and the EDGE latest as a
     * ring (tail_pos: where the next in-order one goes): buckets keep no
     * first and last values, and a series that loses its first or last
     * sample needs the values next to it. */
    pl_time head_t[EDGE], tail_t[EDGE];
    double head_v[EDGE], tail_v[EDGE];
    unsigned char nhead, ntail, tail_pos;
};

struct pl_store {
    pl_series *s;
    size_t n, cap;
    size_t max_buckets;
    slot_arena full, small;
};

#define CHUNK_TAIL 64 /* the chunk's count of slots in use, on a line of its own */

static void arena_init(slot_arena *a, size_t buckets, int counted)
{
    a->counted = counted;
    a->slot_bytes = buckets * sizeof(pl_bucket);
    a->per_chunk = (CHUNK_BYTES - CHUNK_TAIL) / a->slot_bytes;
}

static atomic_size_t *chunk_live(char *c)
{
    return (atomic_size_t *)(void *)(c + CHUNK_BYTES - CHUNK_TAIL);
}

static void arena_free(slot_arena *a)
{
    size_t i;
    for (i = 0; i < a->n; i++)
        free(a->chunk[i]);
    free(a->chunk);
}

/* The slot of series id, its chunk taken now if need be (its pages are
 * touched only as they are written). NULL (the series then grows on its
 * own) when there is no arena or no memory for one. */
static pl_bucket *arena_take(slot_arena *a, size_t id)
{
    size_t k, i;
    void *c;
    if (!a->per_chunk)
        return NULL;
    k = id / a->per_chunk;
    if (k >= a->n) {
        if (pl_grow(&a->chunk, &a->cap, k + 1, sizeof *a->chunk) != 0)
            return NULL;
        for (i = a->n; i <= k; i++)
            a->chunk[i] = NULL;
        a->n = k + 1;
    }
    if (!a->chunk[k]) {
        if (posix_memalign(&c, CHUNK_BYTES, CHUNK_BYTES) != 0)
            return NULL;
        a->chunk[k] = c;
        if (a->counted)
            atomic_init(chunk_live(c), 0);
    }
    if (a->counted)
        atomic_fetch_add(chunk_live(a->chunk[k]), 1);
    return (pl_bucket *)(void *)(a->chunk[k] + (id % a->per_chunk) * a->slot_bytes);
}

/* Gives back the slot of series id (any thread; each series on one); its
 * chunk goes with its last slot (series are added as a log's columns are
 * met, before they grow, so a chunk is seldom taken again). */
static void arena_release(slot_arena *a, size_t id)
{
    size_t k = id / a->per_chunk;
    if (atomic_fetch_sub(chunk_live(a->chunk[k]), 1) == 1) {
        free(a->chunk[k]);
        a->chunk[k] = NULL;
    }
}

int pl_store_create(pl_store **out, size_t max_buckets, pl_error *err)
{
    pl_store *st;
    *out = NULL;
    if (max_buckets == 0)
        max_buckets = PL_DEFAULT_BUCKETS;
    if (max_buckets < 16)
        return pl_err(err, PL_EUSAGE, "the store needs at least 16 buckets per counter, got %zu", max_buckets);
    st = calloc(1, sizeof *st);
    if (!st)
        return pl_err(err, PL_ENOMEM, "out of memory");
    st->max_buckets = max_buckets & ~(size_t)1; /* pairs merge evenly */
    if (st->max_buckets <= ARENA_MAX_BUCKETS)
        arena_init(&st->full, st->max_buckets, 0);
    if (st->full.per_chunk && st->max_buckets >= 2 * SMALL_BUCKETS)
        arena_init(&st->small, SMALL_BUCKETS, 1);
    *out = st;
    return PL_OK;
}

void pl_store_free(pl_store *st)
{
    size_t i;
    if (!st)
        return;
    for (i = 0; i < st->n; i++)
        if (st->s[i].home == HOME_HEAP)
            free(st->s[i].b);
    arena_free(&st->full);
    arena_free(&st->small);
    free(st->s);
    free(st);
}

int pl_store_add_series(pl_store *st, size_t *id, pl_error *err)
{
    pl_series *s;
    if (pl_grow(&st->s, &st->cap, st->n + 1, sizeof *st->s) != 0)
        return pl_err(err, PL_ENOMEM, "out of memory adding counter %zu", st->n + 1);
    s = &st->s[st->n];
    memset(s, 0, sizeof *s);
    s->exact = 1;
    /* both slots now: growing into the full one is then one copy, on
     * whichever thread stores the series */
    if ((s->full = arena_take(&st->full, st->n))) {
        if ((s->b = arena_take(&st->small, st->n))) {
            s->cap = SMALL_BUCKETS;
            s->home = HOME_SMALL;
        } else {
            s->b = s->full;
            s->cap = st->max_buckets;
            s->home = HOME_FULL;
        }
    }
    *id = st->n++;
    return PL_OK;
}

size_t pl_store_series_count(const pl_store *st)
{
    return st->n;
}

const pl_series *pl_store_series(const pl_store *st, size_t id)
{
    return id < st->n ? &st->s[id] : NULL;
}

static void set_t1(pl_bucket *b, pl_time t1)
{
    pl_time d = t1 - b->t0;
    if (d < (pl_time)PL_BUCKET_SPAN_MS) {
        b->span = (uint32_t)d;
    } else {
        pl_time ms = d / 10000;
        b->span = PL_BUCKET_SPAN_MS | (uint32_t)(ms < (pl_time)PL_BUCKET_SPAN_MS ? ms : (pl_time)PL_BUCKET_SPAN_MS - 1);
    }
}

/* The step from the sample before (d = v - previous) into b's fall or
 * rise. */
static void bucket_step(pl_bucket *b, double d)
{
    float f = (float)-d, r = (float)d;
    b->fall = f > b->fall ? f : b->fall;
    b->rise = r > b->rise ? r : b->rise;
}

static void bucket_init(pl_bucket *b, pl_time t, double v)
{
    b->t0 = t;
    b->span = 0;
    b->n = 1;
    b->min = b->max = b->sum = v;
    b->fall = b->rise = 0;
}

static void bucket_add(pl_bucket *b, pl_time t, double v)
{
    pl_time t1;
    if (b->n == 0) {
        bucket_init(b, t, v);
        return;
    }
    t1 = pl_bucket_t1(b);
    b->n++;
    b->sum += v;
    /* Conditional moves rather than branches: noisy values would
     * mispredict them (v is never NaN here). */
    b->min = v < b->min ? v : b->min;
    b->max = v > b->max ? v : b->max;
    if (t < b->t0) {
        b->t0 = t;
        set_t1(b, t1);
    } else if (t > t1) {
        set_t1(b, t);
    }
}

/* Folds b into a (a and b may be in either time order). */
static void bucket_merge(pl_bucket *a, const pl_bucket *b)
{
    pl_time t1;
    if (b->n == 0)
        return;
    if (a->n == 0) {
        *a = *b;
        return;
    }
    t1 = pl_bucket_t1(a) > pl_bucket_t1(b) ? pl_bucket_t1(a) : pl_bucket_t1(b);
    a->n += b->n;
    a->sum += b->sum;
    /* as in bucket_add: no branches on the values */
    a->min = b->min < a->min ? b->min : a->min;
    a->max = b->max > a->max ? b->max : a->max;
    a->t0 = b->t0 < a->t0 ? b->t0 : a->t0;
    set_t1(a, t1);
    a->fall = b->fall > a->fall ? b->fall : a->fall;
    a->rise = b->rise > a->rise ? b->rise : a->rise;
}

/* The sample into the series' ends. The tail takes an in-order sample
 * (the usual one) with one store; a tie goes after the samples it ties
 * with, as the statistics' first and last do. */
static void head_add(pl_series *s, pl_time t, double v)
{
    size_t i;
    if (s->nhead < EDGE || t < s->head_t[s->nhead - 1]) {
        i = s->nhead < EDGE ? s->nhead++ : EDGE - 1;
        for (; i > 0 && s->head_t[i - 1] > t; i--) {
            s->head_t[i] = s->head_t[i - 1];
            s->head_v[i] = s->head_v[i - 1];
        }
        s->head_t[i] = t;
        s->head_v[i] = v;
    }
}

static void tail_add(pl_series *s, pl_time t, double v)
{
    size_t i, n;
    if (!s->ntail || t >= s->tail_t[(s->tail_pos + EDGE - 1) % EDGE]) {
        s->tail_t[s->tail_pos] = t;
        s->tail_v[s->tail_pos] = v;
        s->tail_pos = (unsigned char)((s->tail_pos + 1) % EDGE);
        s->ntail += s->ntail < EDGE;
        return;
    }
    {
        /* out of order: lay the ring out oldest first, insert, keep the
         * EDGE latest */
        pl_time tt[EDGE + 1];
        double tv[EDGE + 1];
        n = s->ntail;
        for (i = 0; i < n; i++) {
            size_t k = (s->tail_pos + EDGE - n + i) % EDGE;
            tt[i] = s->tail_t[k];
            tv[i] = s->tail_v[k];
        }
        for (i = n; i > 0 && tt[i - 1] > t; i--) {
            tt[i] = tt[i - 1];
            tv[i] = tv[i - 1];
        }
        tt[i] = t;
        tv[i] = v;
        n++;
        i = n > EDGE ? n - EDGE : 0; /* the oldest falls out */
        s->ntail = 0;
        s->tail_pos = 0;
        for (; i < n; i++) {
            s->tail_t[s->ntail] = tt[i];
            s->tail_v[s->ntail++] = tv[i];
        }
        s->tail_pos = (unsigned char)(s->ntail % EDGE);
    }
}

static void edges_add(pl_series *s, pl_time t, double v)
{
    head_add(s, t, v);
    tail_add(s, t, v);
}

/* edges_add for a sample at or after every one before (the usual one):
 * it goes to the head only while that is short, to the tail's ring. */
static void edges_add_latest(pl_series *s, pl_time t, double v)
{
    if (s->nhead < EDGE) {
        s->head_t[s->nhead] = t;
        s->head_v[s->nhead++] = v;
    }
    s->tail_t[s->tail_pos] = t;
    s->tail_v[s->tail_pos] = v;
    s->tail_pos = (unsigned char)((s->tail_pos + 1) % EDGE);
    s->ntail += s->ntail < EDGE;
}

/* The value of the sample at t among the series' ends, or NAN. */
static double edge_value(const pl_series *s, pl_time t)
{
    size_t i;
    for (i = 0; i < s->nhead; i++)
        if (s->head_t[i] == t)
            return s->head_v[i];
    for (i = 0; i < s->ntail; i++)
        if (s->tail_t[i] == t)
            return s->tail_v[i];
    return NAN;
}

/* Forgets the sample at t (gone from the series) at both ends. */
static void edges_remove(pl_series *s, pl_time t)
{
    size_t i, j, n = s->ntail;
    pl_time tt[EDGE];
    double tv[EDGE];
    for (i = 0; i < s->nhead && s->head_t[i] != t; i++)
        ;
    if (i < s->nhead) {
        for (; i + 1 < s->nhead; i++) {
            s->head_t[i] = s->head_t[i + 1];
            s->head_v[i] = s->head_v[i + 1];
        }
        s->nhead--;
    }
    for (i = j = 0; i < n; i++) {
        size_t k = (s->tail_pos + EDGE - n + i) % EDGE;
        if (s->tail_t[k] != t) {
            tt[j] = s->tail_t[k];
            tv[j++] = s->tail_v[k];
        }
    }
    for (i = 0; i < j; i++) {
        s->tail_t[i] = tt[i];
        s->tail_v[i] = tv[i];
    }
    s->ntail = (unsigned char)j;
    s->tail_pos = (unsigned char)(j % EDGE);
}

/* Room for need buckets in series id (need <= max_buckets). */
static int reserve(pl_store *st, size_t id, size_t need)
{
    pl_series *s = &st->s[id];
    size_t nc, max = st->max_buckets;
    pl_bucket *nb;
    if (need <= s->cap)
        return 0;
    if (s->home == HOME_SMALL) {
        memcpy(s->full, s->b, s->nb * sizeof *s->b);
        arena_release(&st->small, id);
        s->home = HOME_FULL;
        s->b = s->full;
        s->cap = max;
        return 0;
    }
    /* Only series without a slot come here: --buckets past the arena's
     * size (which can ask for millions: double as needed), or a chunk
     * that could not be had. */
    nc = s->cap ? s->cap * 2 : 16;
    while (nc < need)
        nc *= 2;
    if (nc > max)
        nc = max;
    nb = realloc(s->b, nc * sizeof *nb);
    if (!nb)
        return -1;
    s->b = nb;
    s->cap = nc;
    return 0;
}

/* The slot of offset a from origin for width 2^shift: a floor division
 * (slots before origin have negative numbers) done by shifting, since the
 * bucket loops do it for every bucket. */
static pl_time slot_at(pl_time a, int shift)
{
    return a >= 0 ? (pl_time)((uint64_t)a >> shift) : -(pl_time)((uint64_t)(-(a + 1)) >> shift) - 1;
}

static pl_time slot_of(const pl_series *s, pl_time t)
{
    return slot_at(t - s->origin, s->shift);
}

/* Doubles the slot width: slots 2i and 2i+1 become slot i. Only slots
 * holding samples are kept, so their number falls by up to half (less
 * when samples are far apart: a merged log's weeks without samples cost
 * nothing). */
static void merge_pairs(pl_series *s)
{
    size_t i, out = 0;
    int sh = s->shift + 1;
    pl_time last = 0;
    for (i = 0; i < s->nb; i++) {
        pl_time k = slot_at(s->b[i].t0 - s->origin, sh);
        if (out && k == last) {
            bucket_merge(&s->b[out - 1], &s->b[i]);
        } else {
            s->b[out++] = s->b[i];
            last = k;
        }
    }
    s->nb = out;
    s->shift = sh;
    s->width *= 2;
    s->hot_lo = s->hot_hi = 0;
}

/* Slots holding samples if the sorted exact samples (and t_new) were cut
 * into slots of width 2^sh from lo. */
static size_t slots_used(const pl_series *s, pl_time lo, int sh, pl_time t_new)
{
    size_t i, n = 0;
    pl_time prev = -1, kn = slot_at(t_new - lo, sh);
    int counted_new = 0;
    for (i = 0; i < s->nb; i++) {
        pl_time k = slot_at(s->b[i].t0 - lo, sh);
        if (!counted_new && kn <= k) {
            n += kn != prev;
            prev = kn;
            counted_new = 1;
        }
        n += k != prev;
        prev = k;
    }
    return n + (!counted_new && kn != prev);
}

/* Leaves exact mode: rebuckets the sorted samples into at most max/2
 * slots, so that growth has room before the next merge. The width is the
 * smallest power of two that keeps them so: for a log sampled throughout,
 * the span over max/2; for logs with days between them, as fine as their
 * samples allow. In place: the slots are no more than the samples. */
static void to_bucket_mode(pl_series *s, size_t max, pl_time t_new)
{
    pl_time lo = s->b[0].t0 < t_new ? s->b[0].t0 : t_new;
    pl_time hi = s->b[s->nb - 1].t0 > t_new ? s->b[s->nb - 1].t0 : t_new;
    pl_time span = hi - lo;
    size_t i, out = 0;
    int sh = 0;
    while ((span >> sh) >= (pl_time)(max / 2))
        sh++;
    while (sh > 0 && slots_used(s, lo, sh - 1, t_new) <= max / 2)
        sh--;
    for (i = 0; i < s->nb; i++) {
        if (out && slot_at(s->b[out - 1].t0 - lo, sh) == slot_at(s->b[i].t0 - lo, sh))
            bucket_merge(&s->b[out - 1], &s->b[i]);
        else
            s->b[out++] = s->b[i];
    }
    s->nb = out;
    s->origin = lo;
    s->width = (pl_time)1 << sh;
    s->shift = sh;
    s->exact = 0;
    s->hot_lo = s->hot_hi = 0;
}

/* A sample into the series' statistics (not the first one). */
static void stats_add(pl_series_stats *ss, pl_time t, double v)
{
    ss->min = v < ss->min ? v : ss->min;
    ss->max = v > ss->max ? v : ss->max;
    if (t < ss->first_t) { ss->first_t = t; ss->first_value = v; }
    ss->last_value = t >= ss->last_t ? v : ss->last_value;
    ss->last_t = t >= ss->last_t ? t : ss->last_t;
    ss->samples++;
}

int pl_store_add(pl_store *st, size_t id, pl_time t, double v, pl_error *err)
{
    pl_series *s = &st->s[id];
    size_t max = st->max_buckets;
    pl_series_stats *ss = &s->st;
    int in_order;
    double d;
    if (isnan(v)) {
        ss->missing++;
        return PL_OK;
    }
    /* a step only between neighbours in time: merged logs give samples
     * out of order, whose neighbours are not known here */
    in_order = ss->samples && t >= ss->last_t;
    d = v - ss->last_value;
    if (ss->samples == 0) {
        ss->first_t = ss->last_t = t;
        ss->min = ss->max = ss->first_value = ss->last_value = v;
        ss->samples++;
    } else {
        stats_add(ss, t, v);
    }
    edges_add(s, t, v);

    if (t >= s->hot_lo && t < s->hot_hi) {
        bucket_add(&s->hb, t, v);
        if (in_order)
            bucket_step(&s->hb, d);
        s->b[s->hot] = s->hb;
        return PL_OK;
    }
    if (s->exact) {
        if (s->nb < max) {
            size_t pos = s->nb;
            if (reserve(st, id, s->nb + 1))
                return pl_err(err, PL_ENOMEM, "out of memory storing samples");
            if (pos > 0 && t < s->b[pos - 1].t0) {
                /* Out of order (merged logs): binary search the place. */
                size_t lo = 0, hi = pos;
                while (lo < hi) {
                    size_t mid = (lo + hi) / 2;
                    if (s->b[mid].t0 <= t) lo = mid + 1; else hi = mid;
                }
                memmove(&s->b[lo + 1], &s->b[lo], (pos - lo) * sizeof *s->b);
                pos = lo;
            }
            bucket_init(&s->b[pos], t, v);
            if (in_order)
                bucket_step(&s->b[pos], d);
            s->nb++;
            return PL_OK;
        }
        to_bucket_mode(s, max, t);
    }
    for (;;) {
        pl_time k = slot_of(s, t), kl = s->nb ? slot_of(s, s->b[s->nb - 1].t0) : 0;
        size_t pos = s->nb;
        int found = 0;
        if (s->nb && k == kl) {
            pos = s->nb - 1;
            found = 1;
        } else if (s->nb && k < kl) {
            /* before the last slot (merged logs): binary search */
            size_t lo = 0, hi = s->nb;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (slot_of(s, s->b[mid].t0) < k) lo = mid + 1; else hi = mid;
            }
            pos = lo;
            found = slot_of(s, s->b[pos].t0) == k;
        }
        if (!found) {
            if (s->nb >= max) {
                merge_pairs(s);
                continue;
            }
            if (reserve(st, id, s->nb + 1))
                return pl_err(err, PL_ENOMEM, "out of memory storing samples");
            memmove(&s->b[pos + 1], &s->b[pos], (s->nb - pos) * sizeof *s->b);
            memset(&s->b[pos], 0, sizeof *s->b);
            s->nb++;
        }
        bucket_add(&s->b[pos], t, v);
        if (in_order)
            bucket_step(&s->b[pos], d);
        s->hot = pos;
        s->hot_lo = s->origin + k * s->width;
        s->hot_hi = s->hot_lo + s->width;
        s->hb = s->b[pos];
        return PL_OK;
    }
}

int pl_store_remove_sample(pl_store *st, size_t id, pl_time t)
{
    pl_series *s = &st->s[id];
    pl_series_stats *ss = &s->st;
    size_t lo = 0, hi = s->nb, i;
    while (lo < hi) { /* the last bucket starting at or before t */
        size_t mid = (lo + hi) / 2;
        if (s->b[mid].t0 <= t) lo = mid + 1; else hi = mid;
    }
    if (lo == 0 || pl_bucket_t1(&s->b[lo - 1]) < t) {
        if (ss->missing)
            ss->missing--; /* the row had no value here */
        return 0;
    }
    i = lo - 1;
    if (s->b[i].n != 1 || s->b[i].t0 != t)
        return -1;
    memmove(&s->b[i], &s->b[i + 1], (s->nb - i - 1) * sizeof *s->b);
    s->nb--;
    s->hot_lo = s->hot_hi = 0;
    ss->samples--;
    edges_remove(s, t);
    for (i = 0; i < s->nb; i++) {
        const pl_bucket *b = &s->b[i];
        if (i == 0) {
            ss->min = b->min;
            ss->max = b->max;
        }
        ss->min = b->min < ss->min ? b->min : ss->min;
        ss->max = b->max > ss->max ? b->max : ss->max;
    }
    if (s->nb) {
        /* A bucket of one sample holds its value; the ends hold those of
         * the first and last EDGE samples. Only a series that lost more
         * than EDGE - 1 samples at one end, and whose end bucket holds
         * several, is left with that bucket's mean. */
        const pl_bucket *f = &s->b[0], *l = &s->b[s->nb - 1];
        double fv = f->n == 1 ? f->sum : edge_value(s, f->t0);
        double lv = l->n == 1 ? l->sum : edge_value(s, pl_bucket_t1(l));
        ss->first_t = f->t0;
        ss->last_t = pl_bucket_t1(l);
        ss->first_value = isnan(fv) ? pl_bucket_mean(f) : fv;
        ss->last_value = isnan(lv) ? pl_bucket_mean(l) : lv;
    }
    return 1;
}

void pl_store_add_missing(pl_store *st, size_t id, size_t n)
{
    st->s[id].st.missing += n;
}

size_t pl_series_bucket_count(const pl_series *s)
{
    return s->nb;
}

const pl_bucket *pl_series_buckets(const pl_series *s)
{
    return s->b;
}

int pl_series_is_exact(const pl_series *s)
{
    return s->exact;
}

const pl_series_stats *pl_series_get_stats(const pl_series *s)
{
    return &s->st;
}

/* One call per column of a block instead of one per sample. The usual
 * sample either starts the next bucket of an exact series or lands, in
 * time order, in the bucket the last one went to: a run of those is
 * summed in registers and written back once, because going through the
 * bucket in memory for every sample chains each addition to a store and
 * a reload. The sum is taken in the same order as pl_store_add takes it,
 * so both give the same bits. Anything else goes through pl_store_add. */
/* Samples i.. of a column that fall in the hot bucket at or after its
 * last sample (last), added as one run: every one of them became the
 * bucket's and the series' last, none their first. Returns the index
 * after the run. */
static inline size_t add_hot_run(pl_series *s, const pl_time *t, const double *v, size_t stride,
                                 size_t i, size_t n, pl_time last)
{
    pl_series_stats *ss = &s->st;
    pl_bucket *b = &s->hb;
    pl_time hi = s->hot_hi, ti;
    double x = v[i * stride], sum = b->sum, mn = x, mx = x, xl = x, prev = ss->last_value, fl = 0, ri = 0;
    uint32_t cnt = 0;
    size_t run, k;
    for (run = i; i < n; i++) {
        x = v[i * stride];
        ti = t[i];
        if (ti < last || ti >= hi || isnan(x))
            break;
        sum += x;
        mn = x < mn ? x : mn;
        mx = x > mx ? x : mx;
        fl = prev - x > fl ? prev - x : fl;
        ri = x - prev > ri ? x - prev : ri;
        prev = x;
        xl = x;
        last = ti;
        cnt++;
    }
    {
        /* field by field into both copies: a whole-bucket copy read back
         * right after its fields were stored waits for the stores (no
         * store-to-load forwarding), which took half of this function's
         * time */
        pl_bucket *d = &s->b[s->hot];
        uint32_t bn = b->n + cnt, span;
        double bmin = mn < b->min ? mn : b->min, bmax = mx > b->max ? mx : b->max;
        float bfall = (float)fl > b->fall ? (float)fl : b->fall;
        float brise = (float)ri > b->rise ? (float)ri : b->rise;
        set_t1(b, last);
        span = b->span;
        b->n = d->n = bn;
        b->sum = d->sum = sum;
        b->min = d->min = bmin;
        b->max = d->max = bmax;
        d->span = span;
        b->fall = d->fall = bfall;
        b->rise = d->rise = brise;
    }
    ss->min = mn < ss->min ? mn : ss->min;
    ss->max = mx > ss->max ? mx : ss->max;
    ss->last_t = last;
    ss->last_value = xl;
    ss->samples += cnt;
    /* in order, so only a short head and the run's end matter */
    for (k = run; k < i && s->nhead < EDGE; k++)
        head_add(s, t[k], v[k * stride]);
    for (k = i - (cnt < EDGE ? cnt : EDGE); k < i; k++) {
        /* tail_add's in-order case */
        s->tail_t[s->tail_pos] = t[k];
        s->tail_v[s->tail_pos] = v[k * stride];
        s->tail_pos = (unsigned char)((s->tail_pos + 1) % EDGE);
    }
    s->ntail = (unsigned char)(s->ntail + cnt < EDGE ? s->ntail + cnt : EDGE);
    return i;
}

/* A sample after the series' last, as a bucket of its own: the next
 * exact sample, or the first of the next slot (hot: it becomes the hot
 * bucket); what pl_store_add does with it, without its division. */
static inline void add_latest_bucket(pl_series *s, pl_time ti, double x, int hot)
{
    pl_series_stats *ss = &s->st;
    double d = x - ss->last_value;
    stats_add(ss, ti, x);
    edges_add_latest(s, ti, x);
    if (hot) {
        bucket_init(&s->hb, ti, x);
        bucket_step(&s->hb, d);
    }
    bucket_init(&s->b[s->nb], ti, x);
    bucket_step(&s->b[s->nb], d);
    if (hot) {
        s->hot = s->nb;
        s->hot_lo = s->hot_hi;
        s->hot_hi = s->hot_lo + s->width;
    }
    s->nb++;
}

int pl_store_add_column(pl_store *st, size_t id, const pl_time *t, const double *v, size_t stride,
                        size_t n, pl_error *err)
{
    pl_series *s = &st->s[id];
    pl_series_stats *ss = &s->st;
    size_t i = 0;
    while (i < n) {
        double x = v[i * stride];
        pl_time ti = t[i];
        int rc;
        if (ss->samples && !isnan(x) && s->exact && s->nb && s->nb < s->cap && ti >= ss->last_t) {
            /* in exact mode the last bucket is the latest sample */
            add_latest_bucket(s, ti, x, 0);
            i++;
        } else if (ss->samples && ti >= s->hot_lo && ti < s->hot_hi && !isnan(x)) {
            pl_time bt1 = pl_bucket_t1(&s->hb), last = bt1 > ss->last_t ? bt1 : ss->last_t;
            if (ti >= last) {
                i = add_hot_run(s, t, v, stride, i, n, last);
                continue;
            }
            /* earlier than what the bucket holds: the general rules */
            stats_add(ss, ti, x);
            edges_add(s, ti, x);
            bucket_add(&s->hb, ti, x);
            s->b[s->hot] = s->hb;
            i++;
        } else if (ss->samples && !isnan(x) && s->hot_lo < s->hot_hi && ti >= s->hot_hi &&
                   ti - s->hot_hi < s->width && s->hot + 1 == s->nb && s->nb < s->cap) {
            add_latest_bucket(s, ti, x, 1);
            i++;
        } else {
            if ((rc = pl_store_add(st, id, ti, x, err)) != PL_OK)
                return rc;
            i++;
        }
    }
    return PL_OK;
}
