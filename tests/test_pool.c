/* test_pool.c - the one place threads come from: -j is the most a job
 * gets, the cap what it can use, and a job's function runs on exactly the
 * threads asked for, the caller's among them. */
#include <stdatomic.h>
#include <unistd.h>
#include "testutil.h"
#include "util/pool.h"

static void test_threads(void **state)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    (void)state;
    assert_int_equal(pl_pool_threads(1, 8), 1);     /* -j 1: one, whatever the cap */
    assert_int_equal(pl_pool_threads(4, 2), 2);     /* never more than the job uses */
    assert_int_equal(pl_pool_threads(4, 0), 4);
    assert_int_equal(pl_pool_threads(1000, 0), PL_POOL_MAX);
    assert_int_equal(pl_pool_threads(0, 0), cores > PL_POOL_MAX ? PL_POOL_MAX : cores > 0 ? cores : 1);
    assert_int_equal(pl_pool_threads(0, 1), 1);
    assert_true(pl_pool_threads(-3, 3) >= 1);
}

typedef struct job {
    atomic_size_t runs;
    pthread_t caller;
    atomic_int on_caller;
} job;

static void *count(void *arg)
{
    job *j = arg;
    atomic_fetch_add(&j->runs, 1);
    if (pthread_equal(pthread_self(), j->caller))
        atomic_fetch_add(&j->on_caller, 1);
    return NULL;
}

static void test_run(void **state)
{
    size_t n;
    (void)state;
    for (n = 1; n <= 9; n += 4) {
        job j;
        atomic_init(&j.runs, 0);
        atomic_init(&j.on_caller, 0);
        j.caller = pthread_self();
        pl_pool_run(n, count, &j);
        assert_int_equal(atomic_load(&j.runs), n);
        assert_int_equal(atomic_load(&j.on_caller), 1);
    }
    {
        pl_pool p;
        job j;
        atomic_init(&j.runs, 0);
        atomic_init(&j.on_caller, 0);
        j.caller = pthread_self();
        assert_int_equal(pl_pool_start(&p, 3, count, &j), 3);
        pl_pool_join(&p);
        assert_int_equal(atomic_load(&j.runs), 3);
        assert_int_equal(atomic_load(&j.on_caller), 0);
        assert_int_equal(p.n, 0);
    }
}

/* Of the errors of a job's threads the first is kept, whatever came
 * after; a job without one ends PL_OK and leaves err alone. */
static void test_job(void **state)
{
    pl_pool_job j;
    pl_error a = {PL_ENOMEM, "first"}, b = {PL_EIO, "second"}, out = {0, "untouched"};
    (void)state;
    pl_pool_job_init(&j);
    assert_false(pl_pool_job_failed(&j));
    pl_pool_job_fail(&j, PL_OK, &b);
    assert_false(pl_pool_job_failed(&j));
    assert_int_equal(pl_pool_job_clear(&j, &out), PL_OK);
    assert_string_equal(out.msg, "untouched");
    pl_pool_job_init(&j);
    pl_pool_job_fail(&j, PL_ENOMEM, &a);
    pl_pool_job_fail(&j, PL_EIO, &b);
    assert_true(pl_pool_job_failed(&j));
    assert_int_equal(pl_pool_job_clear(&j, &out), PL_ENOMEM);
    assert_string_equal(out.msg, "first");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_run),
        cmocka_unit_test(test_job),
    };
    tu_filter();
    return cmocka_run_group_tests_name("pool", tests, NULL, NULL);
}
