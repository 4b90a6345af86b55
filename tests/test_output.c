/* test_output.c - outputs never destroy what the user had: an input is
 * refused as an output (also through a link), a regular file only replaced
 * when asked, devices and FIFOs written in place, links kept, the old
 * mode kept, and nothing left behind when writing fails. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <pthread.h>
#include "testutil.h"
#include "perfleak/output.h"
#include "util/stage.h"
#include "util/isolate.h"
#include "util/internal.h"
#include <signal.h>

static char dir[64];

/* name inside the test's folder, in buf */
static const char *in_dir(char *buf, const char *name)
{
    snprintf(buf, 128, "%s/%s", dir, name);
    return buf;
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int write_hello(void *ctx, FILE *f, pl_error *err)
{
    (void)ctx;
    (void)err;
    fputs("hello\n", f);
    return PL_OK;
}

static int write_then_fail(void *ctx, FILE *f, pl_error *err)
{
    (void)ctx;
    fputs("half", f);
    err->code = PL_EIO;
    snprintf(err->msg, sizeof err->msg, "made to fail");
    return PL_EIO;
}

static size_t entries(void)
{
    char cmd[128], line[64];
    FILE *p;
    snprintf(cmd, sizeof cmd, "ls -A %s | wc -l", dir);
    p = popen(cmd, "r");
    assert_non_null(p);
    assert_non_null(fgets(line, sizeof line, p));
    pclose(p);
    return (size_t)atoi(line);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/perfleak-output-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[128];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_check(void **state)
{
    char b1[128], b2[128], b3[128], b4[128];
    const char *log = in_dir(b1, "log.csv"), *link = in_dir(b2, "link.csv");
    const char *inputs[2];
    pl_error err;
    (void)state;
    put(log, "data");
    assert_int_equal(symlink("log.csv", link), 0);
    inputs[0] = "-";
    inputs[1] = log;
    /* the input itself, and through a link: refused even with force */
    assert_int_equal(pl_output_check(log, inputs, 2, 1, &err), PL_EUSAGE);
    assert_non_null(strstr(err.msg, "is the input"));
    assert_int_equal(pl_output_check(link, inputs, 2, 1, &err), PL_EUSAGE);
    inputs[1] = link;
    assert_int_equal(pl_output_check(log, inputs, 2, 1, &err), PL_EUSAGE);
    /* another existing file: only when asked */
    inputs[1] = "/dev/null";
    assert_int_equal(pl_output_check(log, inputs, 2, 0, &err), PL_EUSAGE);
    assert_non_null(strstr(err.msg, "already exists; replacing it must be asked for"));
    assert_int_equal(pl_output_check(log, inputs, 2, 1, &err), PL_OK);
    /* nothing there yet, a device, standard output: fine */
    assert_int_equal(pl_output_check(in_dir(b3, "new.csv"), inputs, 2, 0, &err), PL_OK);
    assert_int_equal(pl_output_check("/dev/null", inputs + 1, 1, 0, &err), PL_EUSAGE); /* it is an input */
    assert_int_equal(pl_output_check("/dev/null", inputs, 1, 0, &err), PL_OK);
    assert_int_equal(pl_output_check("-", inputs, 2, 0, &err), PL_OK);
    /* an output directory holding an input under one of perfleak's names */
    put(in_dir(b3, "report.json"), "{}");
    inputs[0] = b3;
    assert_int_equal(pl_output_dir_check(dir, inputs, 1, &err), PL_EUSAGE);
    inputs[0] = in_dir(b4, "leak-01-x.png");
    assert_int_equal(pl_output_dir_check(dir, inputs, 1, &err), PL_EUSAGE);
    inputs[0] = log;
    assert_int_equal(pl_output_dir_check(dir, inputs, 1, &err), PL_OK);
    assert_int_equal(pl_output_dir_check("/nonexistent-perfleak", inputs, 1, &err), PL_OK);
    unlink(link);
    unlink(log);
    unlink(b3);
}

static void test_write(void **state)
{
    char b1[128], b2[128];
    const char *file = in_dir(b1, "out.csv"), *link = in_dir(b2, "out-link.csv");
    struct stat st;
    pl_error err;
    size_t len, before;
    char *text;
    mode_t old = umask(027);
    (void)state;
    /* a new file: 0666 less the umask */
    assert_int_equal(pl_write_atomic(file, write_hello, NULL, &err), PL_OK);
    assert_int_equal(stat(file, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    /* replaced: its mode stays */
    assert_int_equal(chmod(file, 0604), 0);
    assert_int_equal(pl_write_atomic(file, write_hello, NULL, &err), PL_OK);
    assert_int_equal(stat(file, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0604);
    /* through a link: the link stays, the file it names is written */
    assert_int_equal(symlink("out.csv", link), 0);
    put(file, "old");
    assert_int_equal(pl_write_atomic(link, write_hello, NULL, &err), PL_OK);
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    text = tu_read_file(file, &len);
    assert_int_equal(len, 6);
    assert_memory_equal(text, "hello\n", 6);
    free(text);
    /* a failure leaves the old file and no temporary */
    before = entries();
    assert_int_equal(pl_write_atomic(file, write_then_fail, NULL, &err), PL_EIO);
    assert_non_null(strstr(err.msg, "/out.csv: made to fail")); /* named */
    assert_int_equal(entries(), before);
    text = tu_read_file(file, &len);
    assert_memory_equal(text, "hello\n", 6);
    free(text);
    /* a FIFO (as a device) is written in place, never replaced by a
     * regular file; held open here for reading, so opening it to write
     * does not wait. (Not /dev/null itself: a broken build would replace
     * the machine's.) */
    {
        char b3[128];
        const char *fifo = in_dir(b3, "fifo");
        char got[16] = "";
        int fd;
        assert_int_equal(mkfifo(fifo, 0600), 0);
        fd = open(fifo, O_RDWR | O_NONBLOCK);
        assert_true(fd >= 0);
        assert_int_equal(pl_write_atomic(fifo, write_hello, NULL, &err), PL_OK);
        assert_int_equal(stat(fifo, &st), 0);
        assert_true(S_ISFIFO(st.st_mode));
        assert_int_equal(read(fd, got, sizeof got - 1), 6);
        assert_string_equal(got, "hello\n");
        close(fd);
        unlink(fifo);
    }
    umask(old);
    unlink(link);
    unlink(file);
}

static int text_is(const char *path, const char *want)
{
    size_t len;
    char *t = tu_read_file(path, &len);
    int same = t && len == strlen(want) && memcmp(t, want, len) == 0;
    free(t);
    return same;
}

/* A set of outputs in one directory is replaced whole or not at all, and
 * what the last set had that the new lacks goes, as its manifest lists it;
 * the user's files stay, whatever their names. */
static void test_stage(void **state)
{
    char b1[128], b2[128], b3[128], b4[128], b5[128], b6[128];
    const char *rj = in_dir(b1, "report.json"), *leak = in_dir(b2, "leak-01-old.png"),
               *notes = in_dir(b3, "notes.txt"), *sum = in_dir(b4, "summary.png"),
               *mine = in_dir(b5, "leak-mine.png"), *man = in_dir(b6, ".perfleak-manifest");
    pl_stage *st;
    pl_error err;
    size_t before;
    (void)state;
    put(rj, "old");
    put(leak, "old");
    put(notes, "mine");
    before = entries();
    /* one file fails: nothing changes, no temporary stays */
    assert_int_equal(pl_stage_create(&st, dir, &err), PL_OK);
    assert_int_equal(pl_stage_write(st, "report.json", write_hello, NULL, &err), PL_OK);
    assert_int_equal(pl_stage_write(st, "summary.png", write_then_fail, NULL, &err), PL_EIO);
    pl_stage_free(st);
    assert_int_equal(entries(), before);
    assert_true(text_is(rj, "old"));
    assert_true(text_is(leak, "old"));
    assert_true(access(sum, F_OK) != 0);
    /* all written: the new set replaces the old; the chart no manifest
     * lists stays (nothing says perfleak wrote it) */
    assert_int_equal(pl_stage_create(&st, dir, &err), PL_OK);
    assert_int_equal(pl_stage_write(st, "report.json", write_hello, NULL, &err), PL_OK);
    assert_int_equal(pl_stage_write(st, "summary.png", write_hello, NULL, &err), PL_OK);
    assert_int_equal(pl_stage_write(st, "leak-02-new.png", write_hello, NULL, &err), PL_OK);
    assert_true(text_is(rj, "old")); /* not before the commit */
    assert_int_equal(pl_stage_commit(st, &err), PL_OK);
    pl_stage_free(st);
    assert_true(text_is(rj, "hello\n"));
    assert_true(text_is(sum, "hello\n"));
    assert_true(text_is(leak, "old"));
    assert_true(access(man, F_OK) == 0);
    /* the next set lacks leak-02-new.png: it goes; the user's files stay,
     * one of them named as perfleak names charts */
    put(mine, "mine");
    assert_int_equal(pl_stage_create(&st, dir, &err), PL_OK);
    assert_int_equal(pl_stage_write(st, "report.json", write_hello, NULL, &err), PL_OK);
    assert_int_equal(pl_stage_commit(st, &err), PL_OK);
    pl_stage_free(st);
    assert_true(access(in_dir(b4, "leak-02-new.png"), F_OK) != 0);
    assert_true(access(in_dir(b4, "summary.png"), F_OK) != 0);
    assert_true(text_is(mine, "mine"));
    assert_true(text_is(notes, "mine"));
    assert_true(text_is(leak, "old"));
    assert_int_equal(entries(), before + 2); /* the manifest and leak-mine.png */
    unlink(rj);
    unlink(leak);
    unlink(mine);
    unlink(man);
    unlink(notes);
}

/* A folder shared with others: links, hard links and FIFOs planted at
 * the names perfleak writes, and at the names its temporaries had, never
 * let it write outside the folder; what they pointed at is untouched. */
static void test_stage_planted(void **state)
{
    char outside[64], b1[128], b2[128], b3[128], b4[128], cmd[1024];
    const char *html = in_dir(b1, "report.html"), *sum = in_dir(b2, "summary.png"),
               *fifo = in_dir(b3, "leak-01-x.png"), *md = in_dir(b4, "report.md");
    char victim[128], victim2[128];
    struct stat st;
    pl_stage *s;
    pl_error err;
    long pid;
    (void)state;
    snprintf(outside, sizeof outside, "/tmp/perfleak-outside-XXXXXX");
    assert_non_null(mkdtemp(outside));
    snprintf(victim, sizeof victim, "%s/victim", outside);
    snprintf(victim2, sizeof victim2, "%s/victim2", outside);
    put(victim, "keep");
    put(victim2, "keep2");
    assert_int_equal(symlink(victim, html), 0);
    assert_int_equal(link(victim2, sum), 0);
    /* where a predictable manifest temporary would be opened */
    for (pid = getpid(); pid < getpid() + 8; pid++) {
        char planted[160];
        snprintf(planted, sizeof planted, "%s/.perfleak-manifest.%ld.tmp", dir, pid);
        assert_int_equal(link(victim2, planted), 0);
    }
    assert_int_equal(pl_stage_create(&s, dir, &err), PL_OK);
    assert_int_equal(pl_stage_write(s, "report.html", write_hello, NULL, &err), PL_OK);
    assert_int_equal(pl_stage_write(s, "summary.png", write_hello, NULL, &err), PL_OK);
    assert_int_equal(pl_stage_write(s, "../escape.png", write_hello, NULL, &err), PL_EUSAGE);
    assert_int_equal(pl_stage_commit(s, &err), PL_OK);
    pl_stage_free(s);
    assert_true(text_is(victim, "keep"));
    assert_true(text_is(victim2, "keep2"));
    /* the names now hold perfleak's files, the link itself replaced */
    assert_int_equal(lstat(html, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_true(text_is(html, "hello\n"));
    assert_true(text_is(sum, "hello\n"));
    assert_int_equal(stat(victim2, &st), 0);
    assert_int_equal((int)st.st_nlink, 1 + 8); /* the planted names only */
    /* nothing made beside the link's target */
    snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 2", outside);
    assert_int_equal(system(cmd), 0);
    /* a FIFO or a folder at a name is refused, never opened (a FIFO would
     * block) */
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(mkdir(md, 0700), 0);
    assert_int_equal(pl_stage_create(&s, dir, &err), PL_OK);
    assert_int_equal(pl_stage_write(s, "leak-01-x.png", write_hello, NULL, &err), PL_EUSAGE);
    assert_non_null(strstr(err.msg, "not a regular file"));
    assert_int_equal(pl_stage_write(s, "report.md", write_hello, NULL, &err), PL_EUSAGE);
    pl_stage_free(s);
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    snprintf(cmd, sizeof cmd, "rm -rf %s %s/.perfleak-manifest* %s %s %s %s", outside, dir, html, sum,
             fifo, md);
    assert_int_equal(system(cmd), 0);
}

/* ---------- a renderer that may not take the process with it ---------- */

static int renders(void *ctx, FILE *f, pl_error *err)
{
    (void)err;
    fprintf(f, "chart %s", (const char *)ctx);
    return PL_OK;
}

static int refuses(void *ctx, FILE *f, pl_error *err)
{
    (void)ctx;
    fputs("half", f);
    return pl_err(err, PL_EUSAGE, "no counter to chart");
}

/* what libplot does when an allocation fails */
static int exits(void *ctx, FILE *f, pl_error *err)
{
    (void)ctx;
    (void)err;
    fputs("half", f);
    fflush(f);
    _exit(1);
}

static int crashes(void *ctx, FILE *f, pl_error *err)
{
    (void)ctx;
    (void)f;
    (void)err;
    kill(getpid(), SIGKILL);
    return PL_OK;
}

static int hangs(void *ctx, FILE *f, pl_error *err)
{
    (void)ctx;
    (void)f;
    (void)err;
    for (;;)
        pause();
    return PL_OK;
}

/* The bytes come back whole; an error, an exit, a crash or a hang in the
 * renderer is one error here, nothing half-written, and this process
 * goes on. */
static void test_isolated(void **state)
{
    char *buf = NULL, one[] = "one", two[] = "two";
    size_t len = 0;
    pl_error err;
    FILE *m = open_memstream(&buf, &len);
    (void)state;
    assert_non_null(m);
    fputs("before ", m);
    assert_int_equal(pl_isolated_write(renders, one, m, 10, &err), PL_OK);
    assert_int_equal(pl_isolated_write(refuses, NULL, m, 10, &err), PL_EUSAGE);
    assert_string_equal(err.msg, "no counter to chart");
    assert_int_equal(pl_isolated_write(exits, NULL, m, 10, &err), PL_EIO);
    assert_non_null(strstr(err.msg, "ran out of memory"));
    assert_int_equal(pl_isolated_write(crashes, NULL, m, 10, &err), PL_EIO);
    assert_non_null(strstr(err.msg, "crashed (signal 9)"));
    assert_int_equal(pl_isolated_write(hangs, NULL, m, 1, &err), PL_EIO);
    assert_non_null(strstr(err.msg, "ran over 1 s"));
    assert_int_equal(pl_isolated_write(renders, two, m, 10, &err), PL_OK);
    assert_int_equal(fclose(m), 0);
    /* "before" was flushed once, not copied into each child's output */
    assert_string_equal(buf, "before chart onechart two");
    free(buf);
}

/* A session's child serves one request after another in the same
 * process; one that kills it is one error, and the next request gets a
 * new child. */
static int serve(void *ctx, const void *req, FILE *f, pl_error *err)
{
    int what = *(const int *)req;
    (void)ctx;
    if (what < 0)
        kill(getpid(), SIGKILL);
    if (what == 0)
        return pl_err(err, PL_EUSAGE, "nothing asked");
    fprintf(f, "[%d in %ld]", what, (long)getpid());
    return PL_OK;
}

static void test_isolated_session(void **state)
{
    char *buf = NULL;
    size_t len = 0;
    pl_error err;
    pl_isolated s;
    long pid1, pid2, pid3;
    int n;
    FILE *m = open_memstream(&buf, &len);
    (void)state;
    assert_non_null(m);
    pl_isolated_init(&s, serve, NULL, sizeof(int), 10);
    n = 1;
    assert_int_equal(pl_isolated_call(&s, &n, m, &err), PL_OK);
    n = 2;
    assert_int_equal(pl_isolated_call(&s, &n, m, &err), PL_OK);
    n = 0;
    assert_int_equal(pl_isolated_call(&s, &n, m, &err), PL_EUSAGE);
    assert_string_equal(err.msg, "nothing asked");
    n = -1;
    assert_int_equal(pl_isolated_call(&s, &n, m, &err), PL_EIO);
    assert_non_null(strstr(err.msg, "crashed (signal 9)"));
    n = 3;
    assert_int_equal(pl_isolated_call(&s, &n, m, &err), PL_OK);
    pl_isolated_clear(&s);
    assert_int_equal(fclose(m), 0);
    assert_int_equal(sscanf(buf, "[1 in %ld][2 in %ld][3 in %ld]", &pid1, &pid2, &pid3), 3);
    assert_true(pid1 == pid2);           /* one child for both */
    assert_true(pid3 != pid1);           /* a new one after the crash */
    assert_true(pid1 != (long)getpid()); /* never this process */
    free(buf);
}

/* A session started before worker threads: its one child serves a
 * thread's requests, and once lost, none is forked from the thread. */
typedef struct session_call {
    pl_isolated *s;
    int n;
    FILE *out;
    int rc;
    pl_error err;
} session_call;

static void *call_from_thread(void *arg)
{
    session_call *c = arg;
    c->rc = pl_isolated_call(c->s, &c->n, c->out, &c->err);
    return NULL;
}

/* Request n of c's session from a thread of its own; its code. */
static int call_in_thread(session_call *c, int n)
{
    pthread_t th;
    c->n = n;
    assert_int_equal(pthread_create(&th, NULL, call_from_thread, c), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    return c->rc;
}

static void test_isolated_started(void **state)
{
    char *buf = NULL;
    size_t len = 0;
    pl_isolated s;
    long pid1, pid2;
    pid_t child;
    FILE *m = open_memstream(&buf, &len);
    session_call c = {&s, 1, NULL, 0, {0}};
    (void)state;
    assert_non_null(m);
    c.out = m;
    pl_isolated_init(&s, serve, NULL, sizeof(int), 10);
    pl_isolated_start(&s);
    child = s.pid;
    assert_true(child > 0);
    assert_int_equal(call_in_thread(&c, 1), PL_OK);
    assert_int_equal(call_in_thread(&c, 2), PL_OK);
    assert_int_equal(call_in_thread(&c, -1), PL_EIO);
    assert_non_null(strstr(c.err.msg, "crashed (signal 9)"));
    assert_int_equal(call_in_thread(&c, 3), PL_EIO);
    assert_string_equal(c.err.msg, "the chart renderer ended with an earlier chart");
    assert_int_equal(s.pid, 0); /* none was forked for it */
    pl_isolated_clear(&s);
    assert_int_equal(fclose(m), 0);
    assert_int_equal(sscanf(buf, "[1 in %ld][2 in %ld]", &pid1, &pid2), 2);
    assert_true(pid1 == (long)child && pid2 == (long)child);
    assert_null(strstr(buf, "[3 in"));
    free(buf);
}

/* Every code has its own words, and a code the library does not have
 * says so rather than borrowing one. */
static void test_strerror(void **state)
{
    int a, b;
    (void)state;
    for (a = PL_OK; a <= PL_ELIMIT; a++) {
        assert_true(strlen(pl_strerror(a)) > 0);
        assert_string_not_equal(pl_strerror(a), "unknown error");
        for (b = PL_OK; b < a; b++)
            assert_string_not_equal(pl_strerror(a), pl_strerror(b));
    }
    assert_string_equal(pl_strerror(PL_ELIMIT + 1), "unknown error");
    assert_string_equal(pl_strerror(-1), "unknown error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_write),
        cmocka_unit_test(test_stage),
        cmocka_unit_test(test_stage_planted),
        cmocka_unit_test(test_isolated),
        cmocka_unit_test(test_isolated_session),
        cmocka_unit_test(test_isolated_started),
        cmocka_unit_test(test_strerror),
    };
    tu_filter();
    return cmocka_run_group_tests_name("output", tests, setup, teardown);
}
