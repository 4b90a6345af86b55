/* test_store.c - bounded buckets: exact while short, bounded when long,
 * totals preserved by every merge, arrival order irrelevant. */
#include <math.h>
#include "testutil.h"
#include "perfleak/store.h"

#define SEC PL_TICKS_PER_SEC

static pl_store *make(size_t max)
{
    pl_store *s;
    pl_error err;
    size_t id;
    assert_int_equal(pl_store_create(&s, max, &err), PL_OK);
    assert_int_equal(pl_store_add_series(s, &id, &err), PL_OK);
    assert_int_equal(id, 0);
    return s;
}

static void totals(const pl_series *s, size_t *n, double *sum, double *mn, double *mx)
{
    const pl_bucket *b = pl_series_buckets(s);
    size_t i;
    *n = 0;
    *sum = 0;
    *mn = INFINITY;
    *mx = -INFINITY;
    for (i = 0; i < pl_series_bucket_count(s); i++) {
        if (i > 0 && b[i].n && b[i - 1].n)
            assert_true(pl_bucket_t1(&b[i - 1]) <= b[i].t0);
        if (!b[i].n)
            continue;
        *n += b[i].n;
        *sum += b[i].sum;
        if (b[i].min < *mn) *mn = b[i].min;
        if (b[i].max > *mx) *mx = b[i].max;
        assert_true(b[i].t0 <= pl_bucket_t1(&b[i]));
        assert_true(b[i].min <= pl_bucket_mean(&b[i]) && pl_bucket_mean(&b[i]) <= b[i].max);
        assert_true(b[i].fall >= 0 && b[i].rise >= 0);
    }
}

static void test_exact_when_short(void **state)
{
    pl_store *s = make(64);
    pl_error err;
    const pl_series *se;
    int i;
    (void)state;
    for (i = 0; i < 64; i++)
        assert_int_equal(pl_store_add(s, 0, i * 15 * SEC, i * 1.5, &err), PL_OK);
    assert_int_equal(pl_store_add(s, 0, 64 * 15 * SEC, NAN, &err), PL_OK);
    se = pl_store_series(s, 0);
    assert_true(pl_series_is_exact(se));
    assert_int_equal(pl_series_bucket_count(se), 64);
    for (i = 0; i < 64; i++) {
        assert_int_equal(pl_series_buckets(se)[i].n, 1);
        assert_true(pl_series_buckets(se)[i].sum == i * 1.5);
        /* each sample rose 1.5 from the one before */
        assert_true(pl_series_buckets(se)[i].rise == (i ? 1.5f : 0.0f));
        assert_true(pl_series_buckets(se)[i].fall == 0);
        assert_int_equal(pl_series_buckets(se)[i].t0, i * 15 * SEC);
    }
    assert_int_equal(pl_series_get_stats(se)->samples, 64);
    assert_int_equal(pl_series_get_stats(se)->missing, 1);
    pl_store_free(s);
}

static void test_bounded_when_long(void **state)
{
    pl_store *s = make(128);
    pl_error err;
    const pl_series *se;
    const pl_series_stats *st;
    size_t n;
    double sum, mn, mx, want = 0;
    int i;
    (void)state;
    for (i = 0; i < 100000; i++) {
        double v = (i % 97) + i * 0.01;
        want += v;
        assert_int_equal(pl_store_add(s, 0, (pl_time)i * 2 * SEC, v, &err), PL_OK);
        assert_true(pl_series_bucket_count(pl_store_series(s, 0)) <= 128);
    }
    se = pl_store_series(s, 0);
    assert_false(pl_series_is_exact(se));
    assert_true(pl_series_bucket_count(se) >= 32);
    totals(se, &n, &sum, &mn, &mx);
    assert_int_equal(n, 100000);
    assert_true(fabs(sum - want) < 1e-6 * want);
    st = pl_series_get_stats(se);
    assert_true(mn == st->min && mx == st->max);
    assert_true(st->first_value == 0.0);
    assert_int_equal(st->last_t, (pl_time)99999 * 2 * SEC);
    /* The first bucket starts with the first sample, the last ends with the last. */
    assert_int_equal(pl_series_buckets(se)[0].t0, 0);
    assert_int_equal(pl_bucket_t1(&pl_series_buckets(se)[pl_series_bucket_count(se) - 1]), st->last_t);
    pl_store_free(s);
}

/* Two logs given in reverse order end up as if read in order. */
static void test_order_irrelevant(void **state)
{
    pl_store *a = make(32), *b = make(32);
    pl_error err;
    size_t na, nb, i;
    double sa, sb, mna, mxa, mnb, mxb;
    int k;
    (void)state;
    for (k = 0; k < 2000; k++)
        assert_int_equal(pl_store_add(a, 0, (pl_time)k * 60 * SEC, k, &err), PL_OK);
    for (k = 1000; k < 2000; k++)
        assert_int_equal(pl_store_add(b, 0, (pl_time)k * 60 * SEC, k, &err), PL_OK);
    for (k = 0; k < 1000; k++)
        assert_int_equal(pl_store_add(b, 0, (pl_time)k * 60 * SEC, k, &err), PL_OK);
    totals(pl_store_series(a, 0), &na, &sa, &mna, &mxa);
    totals(pl_store_series(b, 0), &nb, &sb, &mnb, &mxb);
    assert_int_equal(na, nb);
    assert_true(sa == sb && mna == mnb && mxa == mxb);
    assert_true(pl_series_bucket_count(pl_store_series(b, 0)) <= 32);
    assert_int_equal(pl_series_get_stats(pl_store_series(b, 0))->first_t, 0);
    assert_true(pl_series_get_stats(pl_store_series(b, 0))->first_value == 0);
    assert_true(pl_series_get_stats(pl_store_series(b, 0))->last_value == 1999);
    /* Exact mode sorts too. */
    pl_store_free(a);
    a = make(64);
    for (k = 9; k >= 0; k--)
        assert_int_equal(pl_store_add(a, 0, (pl_time)k * SEC, k, &err), PL_OK);
    for (i = 0; i < 10; i++)
        assert_int_equal(pl_series_buckets(pl_store_series(a, 0))[i].t0, (pl_time)i * SEC);
    pl_store_free(a);
    pl_store_free(b);
}

static void test_far_before_origin(void **state)
{
    pl_store *s = make(16);
    pl_error err;
    size_t n;
    double sum, mn, mx;
    int k;
    (void)state;
    for (k = 0; k < 40; k++)
        assert_int_equal(pl_store_add(s, 0, (pl_time)k * SEC, 1, &err), PL_OK);
    /* A sample a year earlier forces several merges. */
    assert_int_equal(pl_store_add(s, 0, -(pl_time)365 * 86400 * SEC, 5, &err), PL_OK);
    totals(pl_store_series(s, 0), &n, &sum, &mn, &mx);
    assert_int_equal(n, 41);
    assert_true(sum == 45 && mx == 5);
    assert_true(pl_series_bucket_count(pl_store_series(s, 0)) <= 16);
    pl_store_free(s);
}

/* pl_store_add_column gives exactly what one pl_store_add per sample
 * gives: the same buckets and statistics, through exact mode, merges,
 * missing values, repeated times and samples before the origin. Run at
 * a small store size and at the default one, with more series than one
 * chunk of full-size arrays holds, so that every series lives in its own
 * slot and none overwrites another. */
/* Field by field: a bucket's padding holds whatever its memory held. */
static void same_bucket(const pl_bucket *x, const pl_bucket *y)
{
    assert_true(x->n == y->n);
    if (!x->n)
        return; /* an empty slot's other fields mean nothing */
    assert_true(x->t0 == y->t0 && x->span == y->span);
    assert_memory_equal(&x->min, &y->min, sizeof x->min); /* bits, not == */
    assert_memory_equal(&x->max, &y->max, sizeof x->max);
    assert_memory_equal(&x->sum, &y->sum, sizeof x->sum);
    assert_memory_equal(&x->fall, &y->fall, sizeof x->fall);
    assert_memory_equal(&x->rise, &y->rise, sizeof x->rise);
}

static void same_stats(const pl_series_stats *x, const pl_series_stats *y)
{
    assert_true(x->samples == y->samples && x->missing == y->missing);
    assert_true(x->first_t == y->first_t && x->last_t == y->last_t);
    assert_memory_equal(&x->min, &y->min, sizeof x->min);
    assert_memory_equal(&x->max, &y->max, sizeof x->max);
    assert_memory_equal(&x->first_value, &y->first_value, sizeof x->first_value);
    assert_memory_equal(&x->last_value, &y->last_value, sizeof x->last_value);
}

/* pow2: times on a grid of 2^20 ticks with jumps of powers of two, so
 * that samples land exactly on slot boundaries, one or more slots on. */
static void column_same_as_samples(size_t max, size_t rows, size_t nseries, int pow2)
{
    enum { STRIDE = 3 };
    pl_store *a, *b;
    pl_time *t = malloc(rows * sizeof *t);
    double *v = malloc(rows * STRIDE * sizeof *v), *want = malloc(nseries * 4 * sizeof *want);
    pl_error err;
    unsigned x = 12345;
    size_t i, k, start, id;
    pl_time cum = 0;
    assert_non_null(t);
    assert_non_null(v);
    assert_non_null(want);
    assert_int_equal(pl_store_create(&a, max, &err), PL_OK);
    assert_int_equal(pl_store_create(&b, max, &err), PL_OK);
    for (k = 0; k < nseries; k++) {
        assert_int_equal(pl_store_add_series(a, &id, &err), PL_OK);
        assert_int_equal(pl_store_add_series(b, &id, &err), PL_OK);
    }
    for (k = 0; k < nseries; k++) {
        double want_sum = 0, want_min = INFINITY, want_max = -INFINITY;
        size_t want_n = 0;
        for (i = 0; i < rows; i++) {
            x = x * 1103515245u + 12345u;
            /* mostly in order, a minute apart; now and then a repeat, a
             * step back, or a jump to before everything */
            if (pow2) {
                cum += x % 7 == 0 ? (pl_time)1 << (x / 7 % 10) : 1;
                t[i] = cum << 20;
            } else {
                t[i] = (pl_time)(i * 60) * SEC;
                if (x % 97 == 0) t[i] = t[i ? i - 1 : 0];
                if (x % 89 == 0 && i > 10) t[i] -= 600 * SEC;
                if (i == rows * 5 / 6) t[i] = -(pl_time)86400 * SEC;
            }
            v[i * STRIDE + 1] = x % 31 == 0 ? NAN : (double)(x % 100000) + (double)(i * (k + 1));
            v[i * STRIDE] = v[i * STRIDE + 2] = -1; /* other columns, never read */
            if (!isnan(v[i * STRIDE + 1])) {
                want_n++;
                want_sum += v[i * STRIDE + 1];
                want_min = fmin(want_min, v[i * STRIDE + 1]);
                want_max = fmax(want_max, v[i * STRIDE + 1]);
            }
        }
        for (i = 0; i < rows; i++)
            assert_int_equal(pl_store_add(a, k, t[i], v[i * STRIDE + 1], &err), PL_OK);
        /* in blocks of varying size, as the reader hands them over */
        for (start = 0; start < rows; start += 1 + start % 257)
            assert_int_equal(pl_store_add_column(b, k, t + start, v + start * STRIDE + 1, STRIDE,
                                                 (start + 1 + start % 257 > rows ? rows - start
                                                                                 : 1 + start % 257),
                                                 &err),
                             PL_OK);
        /* what went in is all there (checked after every series is
         * filled, so that one series writing over another shows) */
        want[k * 4] = (double)want_n;
        want[k * 4 + 1] = want_sum;
        want[k * 4 + 2] = want_min;
        want[k * 4 + 3] = want_max;
    }
    for (k = 0; k < nseries; k++) {
        const pl_series *sa = pl_store_series(a, k), *sb = pl_store_series(b, k);
        size_t got_n;
        double got_sum, got_min, got_max;
        totals(sb, &got_n, &got_sum, &got_min, &got_max);
        assert_true((double)got_n == want[k * 4]);
        assert_true(fabs(got_sum - want[k * 4 + 1]) <= 1e-9 * fabs(want[k * 4 + 1]));
        assert_true(got_min == want[k * 4 + 2] && got_max == want[k * 4 + 3]);
        assert_int_equal(pl_series_is_exact(sa), rows <= (max ? max : 416));
        if (pl_series_is_exact(sb))
            for (i = 1; i < pl_series_bucket_count(sb); i++)
                assert_true(pl_series_buckets(sb)[i - 1].t0 <= pl_series_buckets(sb)[i].t0);
        assert_int_equal(pl_series_bucket_count(sa), pl_series_bucket_count(sb));
        for (i = 0; i < pl_series_bucket_count(sa); i++)
            same_bucket(&pl_series_buckets(sa)[i], &pl_series_buckets(sb)[i]);
        same_stats(pl_series_get_stats(sa), pl_series_get_stats(sb));
        assert_int_equal(pl_series_get_stats(sa)->missing, rows - (size_t)want[k * 4]);
        assert_int_equal(pl_series_get_stats(sb)->samples + pl_series_get_stats(sb)->missing, rows);
    }
    pl_store_free(a);
    pl_store_free(b);
    free(t);
    free(v);
    free(want);
}

static void test_column_same_as_samples(void **state)
{
    (void)state;
    column_same_as_samples(64, 3000, 1, 0);
    column_same_as_samples(0, 12000, 100, 0); /* 416 buckets: 105 arrays a chunk */
    column_same_as_samples(0, 400, 100, 0);   /* exact to the end */
    column_same_as_samples(0, 200, 1000, 0);  /* three chunks of small slots left behind */
    column_same_as_samples(64, 3000, 4, 1);
    column_same_as_samples(0, 12000, 4, 1);
}

/* A series that loses its first or last sample (a row dated far from the
 * rest, set aside) gets the value of the sample next to it, though
 * buckets keep no first or last values. */
static void test_remove_keeps_ends(void **state)
{
    pl_store *s = make(64);
    pl_error err;
    const pl_series_stats *st;
    int i;
    (void)state;
    assert_int_equal(pl_store_add(s, 0, -(pl_time)400 * 86400 * SEC, 7, &err), PL_OK);
    for (i = 0; i < 5000; i++)
        assert_int_equal(pl_store_add(s, 0, (pl_time)i * 15 * SEC, 1000 + i % 13, &err), PL_OK);
    assert_int_equal(pl_store_add(s, 0, (pl_time)900 * 86400 * SEC, 9, &err), PL_OK);
    assert_false(pl_series_is_exact(pl_store_series(s, 0)));
    assert_int_equal(pl_store_remove_sample(s, 0, -(pl_time)400 * 86400 * SEC), 1);
    assert_int_equal(pl_store_remove_sample(s, 0, (pl_time)900 * 86400 * SEC), 1);
    st = pl_series_get_stats(pl_store_series(s, 0));
    assert_int_equal(st->samples, 5000);
    assert_int_equal(st->first_t, 0);
    assert_true(st->first_value == 1000); /* not the first bucket's mean */
    assert_int_equal(st->last_t, (pl_time)4999 * 15 * SEC);
    assert_true(st->last_value == 1000 + 4999 % 13);
    assert_true(st->min == 1000 && st->max == 1012);
    pl_store_free(s);
}

/* A reset shows as one step in the bucket it happened in, however many
 * samples the bucket averages: what the detector tells a restart from a
 * steep slope by. */
static void test_step_survives_buckets(void **state)
{
    pl_store *s = make(32);
    pl_error err;
    const pl_series *se;
    const pl_bucket *b;
    size_t i, nb, with_fall = 0;
    int k;
    (void)state;
    for (k = 0; k < 4000; k++) /* a ramp of 1 per sample, reset to 0 at 2500 */
        assert_int_equal(pl_store_add(s, 0, (pl_time)k * 10 * SEC, k < 2500 ? k : k - 2500, &err), PL_OK);
    se = pl_store_series(s, 0);
    b = pl_series_buckets(se);
    nb = pl_series_bucket_count(se);
    assert_true(nb <= 32 && nb >= 16);
    for (i = 0; i < nb; i++) {
        assert_true(b[i].rise == 1.0f || (i == 0 && b[i].n == 1));
        if (b[i].fall > 0) {
            with_fall++;
            assert_true(b[i].fall == 2499.0f);
            assert_true(b[i].t0 <= (pl_time)2500 * 10 * SEC && pl_bucket_t1(&b[i]) >= (pl_time)2500 * 10 * SEC);
        }
    }
    assert_int_equal(with_fall, 1);
    pl_store_free(s);
}

/* Spans past 2^31 ticks (214 s) are kept in milliseconds: exact for
 * times in whole milliseconds, as every log format has them. */
static void test_long_spans(void **state)
{
    pl_store *s = make(16);
    pl_error err;
    const pl_bucket *b;
    size_t i, nb;
    int k;
    (void)state;
    for (k = 0; k < 1000; k++) /* 1000 samples 37.123 s apart: buckets of hours */
        assert_int_equal(pl_store_add(s, 0, (pl_time)k * 37123 * 10000, k, &err), PL_OK);
    b = pl_series_buckets(pl_store_series(s, 0));
    nb = pl_series_bucket_count(pl_store_series(s, 0));
    for (i = 0; i < nb; i++) {
        pl_time t1 = pl_bucket_t1(&b[i]);
        assert_true((b[i].span & PL_BUCKET_SPAN_MS) != 0);
        assert_true(t1 % (37123 * 10000) == 0); /* a sample's own time */
        assert_true((t1 - b[i].t0) / (37123 * 10000) == (pl_time)b[i].n - 1);
    }
    assert_int_equal(pl_bucket_t1(&b[nb - 1]), (pl_time)999 * 37123 * 10000);
    pl_store_free(s);
}

/* A series starts in a small slot and moves to a full one past 128
 * samples: every sample stays where it was, whichever series moved
 * before or after it, and series that stay short keep theirs. */
static void test_moves_when_outgrown(void **state)
{
    enum { NS = 700, ROWS = 300 };
    pl_store *s;
    pl_error err;
    size_t id, k;
    int r;
    (void)state;
    assert_int_equal(pl_store_create(&s, 0, &err), PL_OK);
    for (k = 0; k < NS; k++) {
        assert_int_equal(pl_store_add_series(s, &id, &err), PL_OK);
        assert_int_equal(id, k);
    }
    for (r = 0; r < ROWS; r++)
        for (k = 0; k < NS; k++)
            if (k % 3 != 0 || r < 100) /* every third series stays short */
                assert_int_equal(pl_store_add(s, k, r * 15 * SEC, (double)k * 1000 + r, &err), PL_OK);
    for (k = 0; k < NS; k++) {
        const pl_series *se = pl_store_series(s, k);
        size_t want = k % 3 != 0 ? ROWS : 100, i;
        assert_true(pl_series_is_exact(se));
        assert_int_equal(pl_series_bucket_count(se), want);
        for (i = 0; i < want; i++) {
            const pl_bucket *b = &pl_series_buckets(se)[i];
            assert_int_equal(b->n, 1);
            assert_true(b->sum == (double)k * 1000 + (double)i);
            assert_int_equal(b->t0, (pl_time)i * 15 * SEC);
        }
    }
    pl_store_free(s);
}

static void test_bad_size(void **state)
{
    pl_store *s;
    pl_error err;
    (void)state;
    assert_int_equal(pl_store_create(&s, 4, &err), PL_EUSAGE);
    assert_null(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_when_short),
        cmocka_unit_test(test_bounded_when_long),
        cmocka_unit_test(test_order_irrelevant),
        cmocka_unit_test(test_far_before_origin),
        cmocka_unit_test(test_column_same_as_samples),
        cmocka_unit_test(test_remove_keeps_ends),
        cmocka_unit_test(test_step_survives_buckets),
        cmocka_unit_test(test_long_spans),
        cmocka_unit_test(test_moves_when_outgrown),
        cmocka_unit_test(test_bad_size),
    };
    tu_filter();
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
