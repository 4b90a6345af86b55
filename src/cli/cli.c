/* cli.c - option parsing and the mapping of library results to exit
 * statuses (like diff: 0 no leak, 1 leak, 2 trouble). Nothing here that a
 * test could not do with library calls. */
#include <getopt.h>
#include <time.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include "perfleak/analysis.h"
#include "perfleak/convert.h"
#include "perfleak/fleet.h"
#include "perfleak/plot.h"
#include "perfleak/report.h"
#include "cli/cli.h"

enum { EXIT_NO_LEAK = 0, EXIT_LEAK = 1, EXIT_TROUBLE = 2, EXIT_NOTHING_JUDGED = 3 };
enum { OPT_BUCKETS = 256, OPT_METHOD, OPT_CHARTS, OPT_MIN_SPAN, OPT_UTC_OFFSET, OPT_FORCE };

static void usage(FILE *f)
{
    fputs("Usage: perfleak analyze [OPTIONS] LOG...\n"
          "       perfleak counters [OPTIONS] LOG...\n"
          "       perfleak plot --counter PATTERN -o FILE.png|FILE.svg LOG...\n"
          "       perfleak convert [-f csv|tsv] [-c PATTERN] [-o OUT] LOG...\n"
          "\n"
          "Finds memory and handle leaks in Windows Performance Monitor logs:\n"
          "binary .blg logs and PDH-CSV or PDH-TSV exports ('-' reads standard\n"
          "input). Several logs of one server are merged on time.\n"
          "\n"
          "Commands:\n"
          "  analyze    judge each counter: leak, running-out, ok, insufficient-data\n"
          "             or not-applicable (a rate, a percentage...) (default)\n"
          "  counters   list every counter with samples, first/last time, min, max\n"
          "  plot       chart the counters matching --counter (one unit) into -o FILE\n"
          "  convert    write the logs as one PDH-CSV (-f tsv: PDH-TSV) log, like\n"
          "             relog, to standard output or -o OUT\n"
          "\n"
          "Options:\n"
          "  -c, --counter PATTERN  analyse counters matching PATTERN (repeatable);\n"
          "                         '*' and '?' are wildcards, e.g.\n"
          "                         'Process(*)\\Private Bytes'; '*' = every counter.\n"
          "                         Default: Process Private Bytes, Working Set,\n"
          "                         Working Set - Private, Virtual Bytes, Handle Count,\n"
          "                         Thread Count (not _Total or Idle) and Memory Pool\n"
          "                         Paged/Nonpaged Bytes, Committed Bytes\n"
          "  -x, --exclude PATTERN  leave out counters matching PATTERN (repeatable)\n"
          "  -f, --format FORMAT    text (default), json, markdown or html, to stdout;\n"
          "                         jsonl: each LOG analysed on its own, one JSON\n"
          "                         record per line, in the order given\n"
          "  -j, --jobs N           threads at most (1: everything on one); with\n"
          "                         jsonl, logs analysed at once (default: two for\n"
          "                         a log, a core each for logs and charts)\n"
          "  -o, --output DIR       also write report.json, report.md, report.html,\n"
          "                         summary.png and a chart per leak in DIR\n"
          "      --charts WHICH     charts written with -o: leaks (default), all, none\n"
          "  -e, --encoding NAME    the log's character encoding (e.g. WINDOWS-1251,\n"
          "                         CP932, UTF-16LE); default: BOM, UTF-8, else a guess\n"
          "  -l, --limit COUNTER=VALUE  the limit a counter grows towards, e.g.\n"
          "                         'Memory\\Pool Paged Bytes=2GB' (repeatable); gives\n"
          "                         the time until a leak reaches it. Committed Bytes\n"
          "                         uses the log's Memory\\Commit Limit by itself\n"
          "      --method NAME      robust (default), or a baseline to compare with:\n"
          "                         least-squares, mann-kendall, pal\n"
          "      --min-span DURATION  no verdict from samples spanning less (default\n"
          "                         1h; e.g. 30min, 2d, 0)\n"
          "      --utc-offset OFFSET  the offset the log's times were written at, e.g.\n"
          "                         +09:00, for a header without one\n"
          "  -q, --quiet            no warnings on standard error\n"
          "      --buckets N        time buckets kept per counter (default 2048)\n"
          "      --force            plot, convert (also -y): replace an existing -o file\n"
          "                         (never an input; a device is written in place)\n"
          "  -h, --help             show this help and exit\n"
          "  -V, --version          show the version and exit\n"
          "\n"
          "Exit status: 0 no leak found, 1 a leak (or free memory running out) found,\n"
          "2 trouble (bad input or usage), 3 nothing could be judged (no counter\n"
          "selected, or none with enough data of something that can leak).\n",
          f);
}

typedef struct warn_ctx {
    FILE *f;
    int quiet;
} warn_ctx;

/* The library's messages say what to give, the CLI says how: each phrase
 * on the left, where a message has it, gets the option that does it. */
static const struct { const char *lib, *cli; } FLAG_PHRASES[] = {
    {"a limit takes COUNTER=VALUE", "--limit takes COUNTER=VALUE"},
    {"(give the server's UTC offset, e.g. +09:00)",
     "(give the server's with --utc-offset, e.g. --utc-offset +09:00)"},
    {"(name the right encoding to read them)", "(override the encoding with --encoding)"},
    {"; name the code page", "; name the code page with --encoding"},
    {"; replacing it must be asked for", "; give --force to replace it"},
    {": no counter matched the selection", ": no counter matched --counter"},
};

/* msg with the options in, in buf; msg itself when none applies. */
static const char *with_flags(const char *msg, char *buf, size_t size)
{
    size_t i;
    for (i = 0; i < sizeof FLAG_PHRASES / sizeof *FLAG_PHRASES; i++) {
        const char *at = strstr(msg, FLAG_PHRASES[i].lib);
        if (at) {
            snprintf(buf, size, "%.*s%s%s", (int)(at - msg), msg, FLAG_PHRASES[i].cli,
                     at + strlen(FLAG_PHRASES[i].lib));
            return buf;
        }
    }
    return msg;
}

static void print_error(FILE *f, const pl_error *err)
{
    char buf[sizeof err->msg + 128];
    fprintf(f, "perfleak: %s\n", with_flags(err->msg, buf, sizeof buf));
}

static void print_warning(void *ctx, const char *msg)
{
    warn_ctx *w = ctx;
    char buf[2048];
    if (!w->quiet)
        fprintf(w->f, "perfleak: warning: %s\n", with_flags(msg, buf, sizeof buf));
}

/* A progress line for a log that takes more than a second, redrawn at
 * most five times a second, only on a terminal. */
typedef struct progress {
    FILE *f;
    int tty;
    const char *name;
    double start, last;
    int shown;
} progress;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_progress(void *ctx, const char *name, unsigned long long done,
                        unsigned long long total)
{
    progress *p = ctx;
    double t = now_s();
    if (!p->tty)
        return;
    if (p->name != name) {
        p->name = name;
        p->start = t;
        p->last = 0;
    }
    if (t - p->start < 1.0 || t - p->last < 0.2)
        return;
    p->last = t;
    p->shown = 1;
    if (total)
        fprintf(p->f, "\rperfleak: reading %s: %3.0f%% (%.0f of %.0f MB)\033[K", name,
                100.0 * (double)done / (double)total, (double)done / 1e6, (double)total / 1e6);
    else
        fprintf(p->f, "\rperfleak: reading %s: %.0f MB\033[K", name, (double)done / 1e6);
    fflush(p->f);
}

static void progress_clear(progress *p)
{
    if (p->shown)
        fputs("\r\033[K", p->f);
    p->shown = 0;
}

static int push(const char ***list, size_t *n, const char *s)
{
    const char **nl = realloc((void *)*list, (*n + 1) * sizeof *nl);
    if (!nl)
        return -1;
    nl[(*n)++] = s;
    *list = nl;
    return 0;
}

typedef struct plot_job {
    const pl_analysis *a;
    size_t *idx;
    size_t n;
    pl_chart_format fmt;
} plot_job;

static int write_plot(void *ctx, FILE *f, pl_error *err)
{
    const plot_job *j = ctx;
    return pl_chart_counters(j->a, j->idx, j->n, j->fmt, f, err);
}

/* perfleak plot: every selected counter on one chart, PNG or SVG by the
 * file's extension. */
static int plot_command(const pl_analysis *a, const char *file, pl_error *err)
{
    size_t n = pl_analysis_counter_count(a), i;
    const char *dot = strrchr(file, '.');
    plot_job j;
    int rc;
    if (n == 0) {
        err->code = PL_EUSAGE;
        snprintf(err->msg, sizeof err->msg, "no counter matched --counter; see `perfleak counters`");
        return PL_EUSAGE;
    }
    j.a = a;
    j.n = n;
    j.fmt = dot && strcmp(dot, ".svg") == 0 ? PL_CHART_SVG : PL_CHART_PNG;
    if (!(j.idx = malloc(n * sizeof *j.idx))) {
        err->code = PL_ENOMEM;
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return PL_ENOMEM;
    }
    for (i = 0; i < n; i++)
        j.idx[i] = i;
    rc = pl_write_atomic(file, write_plot, &j, err);
    free(j.idx);
    return rc;
}

/* A write error on standard output says so: the library only knows a
 * FILE. */
static void name_stdout(FILE *out, int rc, pl_error *err)
{
    if (rc == PL_EIO && out == stdout) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "standard output: %.900s", err->msg);
        memcpy(err->msg, msg, sizeof msg);
    }
}

/* getopt's complaint, in our words: takes_arg lists the short options
 * that need an argument. */
static void bad_option(FILE *errout, char **argv, const char *takes_arg)
{
    if (optopt && optopt < 256 && strchr(takes_arg, optopt))
        fprintf(errout, "perfleak: option '-%c' needs an argument\n", optopt);
    else
        fprintf(errout, "perfleak: unknown option '%s'\n", argv[optind - 1]);
    fprintf(errout, "Try 'perfleak --help' for more information.\n");
}

typedef struct convert_job {
    const char *const *logs;
    size_t n;
    const pl_convert_opts *o;
} convert_job;

static int write_convert(void *ctx, FILE *f, pl_error *err)
{
    const convert_job *j = ctx;
    return pl_convert(j->logs, j->n, j->o, f, err);
}

/* perfleak convert: relog's CSV/TSV export. */
static int convert_main(int argc, char **argv, FILE *out, FILE *errout)
{
    static const struct option longopts[] = {
        {"counter", required_argument, NULL, 'c'},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"encoding", required_argument, NULL, 'e'},
        {"quiet", no_argument, NULL, 'q'},
        {"force", no_argument, NULL, 'y'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    pl_convert_opts o;
    pl_error err = {0, ""};
    const char **inc = NULL, *file = NULL;
    size_t ninc = 0;
    int c, status = EXIT_TROUBLE, rc, force = 0;
    warn_ctx w;
    convert_job j;
    w.f = errout;
    w.quiet = 0;
    pl_convert_opts_init(&o);
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "c:f:o:e:qyh", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            if (push(&inc, &ninc, optarg)) {
                fprintf(errout, "perfleak: out of memory\n");
                goto done;
            }
            break;
        case 'f':
            if (strcmp(optarg, "csv") == 0) o.delimiter = ',';
            else if (strcmp(optarg, "tsv") == 0) o.delimiter = '\t';
            else {
                fprintf(errout, "perfleak: convert writes csv or tsv, got '%s'\n", optarg);
                goto done;
            }
            break;
        case 'o': file = optarg; break;
        case 'e': o.encoding = optarg; break;
        case 'q': w.quiet = 1; break;
        case 'y': force = 1; break;
        case 'h':
            usage(out);
            status = EXIT_NO_LEAK;
            goto done;
        default:
            bad_option(errout, argv, "cfoe");
            goto done;
        }
    }
    if (optind >= argc) {
        fprintf(errout, "perfleak: no log given\nUsage: perfleak convert [-f csv|tsv] [-c PATTERN] [-o OUT] LOG...\n");
        goto done;
    }
    o.include = inc;
    o.n_include = ninc;
    o.warn = print_warning;
    o.warn_ctx = &w;
    j.logs = (const char *const *)argv + optind;
    j.n = (size_t)(argc - optind);
    j.o = &o;
    o.out_name = file && strcmp(file, "-") != 0 ? file : NULL;
    if (file && (rc = pl_output_check(file, j.logs, j.n, force, &err)) != PL_OK) {
        print_error(errout, &err);
        goto done;
    }
    rc = file && strcmp(file, "-") != 0 ? pl_write_atomic(file, write_convert, &j, &err)
                                         : pl_convert(j.logs, j.n, &o, out, &err);
    if (rc != PL_OK)
        print_error(errout, &err);
    else
        status = EXIT_NO_LEAK;
done:
    free((void *)inc);
    return status;
}

int pl_cli_main(int argc, char **argv, FILE *out, FILE *errout)
{
    static const struct option longopts[] = {
        {"counter", required_argument, NULL, 'c'},
        {"exclude", required_argument, NULL, 'x'},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"encoding", required_argument, NULL, 'e'},
        {"quiet", no_argument, NULL, 'q'},
        {"buckets", required_argument, NULL, OPT_BUCKETS},
        {"limit", required_argument, NULL, 'l'},
        {"method", required_argument, NULL, OPT_METHOD},
        {"charts", required_argument, NULL, OPT_CHARTS},
        {"min-span", required_argument, NULL, OPT_MIN_SPAN},
        {"utc-offset", required_argument, NULL, OPT_UTC_OFFSET},
        {"force", no_argument, NULL, OPT_FORCE},
        {"jobs", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    pl_analysis_opts opts;
    pl_analysis *a = NULL;
    pl_error err = {0, ""};
    const char **inc = NULL, **exc = NULL, **lim = NULL;
    size_t ninc = 0, nexc = 0, nlim = 0;
    const char *outdir = NULL, *cmd = "analyze";
    int fmt = PL_REPORT_TEXT, c, status = EXIT_TROUBLE, i, rc, charts = 1, jobs = 0, force = 0;
    warn_ctx w;
    progress prog;

    w.f = errout;
    w.quiet = 0;
    if (argc > 1 && strcmp(argv[1], "convert") == 0)
        return convert_main(argc - 1, argv + 1, out, errout);
    pl_analysis_opts_init(&opts);
    if (argc > 1 && (strcmp(argv[1], "analyze") == 0 || strcmp(argv[1], "analyse") == 0 ||
                     strcmp(argv[1], "counters") == 0 || strcmp(argv[1], "plot") == 0)) {
        cmd = strcmp(argv[1], "counters") == 0 ? "counters" :
              strcmp(argv[1], "plot") == 0 ? "plot" : "analyze";
        argv++;
        argc--;
    }
    optind = 0; /* GNU: full reinitialisation, so tests can call us again */
    opterr = 0;
    while ((c = getopt_long(argc, argv, "c:x:f:o:e:l:j:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            if (push(&inc, &ninc, optarg)) goto nomem;
            break;
        case 'x':
            if (push(&exc, &nexc, optarg)) goto nomem;
            break;
        case 'f':
            if ((fmt = pl_report_format_parse(optarg)) < 0) {
                fprintf(errout, "perfleak: unknown format '%s'; expected text, json, markdown or html\n", optarg);
                goto done;
            }
            break;
        case 'o': outdir = optarg; break;
        case 'e': opts.encoding = optarg; break;
        case 'q': w.quiet = 1; break;
        case 'l':
            if (push(&lim, &nlim, optarg)) goto nomem;
            break;
        case OPT_METHOD: {
            int m = pl_method_parse(optarg);
            if (m < 0) {
                fprintf(errout, "perfleak: unknown method '%s'; expected robust, least-squares, mann-kendall or pal\n", optarg);
                goto done;
            }
            opts.detect.method = (pl_method)m;
            if (m != PL_METHOD_ROBUST)
                opts.detect.min_growth_pct = 10;
            break;
        }
        case OPT_CHARTS:
            if (strcmp(optarg, "none") == 0) charts = 0;
            else if (strcmp(optarg, "leaks") == 0) charts = 1;
            else if (strcmp(optarg, "all") == 0) charts = 2;
            else {
                fprintf(errout, "perfleak: --charts takes leaks, all or none, got '%s'\n", optarg);
                goto done;
            }
            break;
        case 'j': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || end == optarg || v < 1 || v > 1024) {
                fprintf(errout, "perfleak: --jobs takes a number from 1 to 1024, got '%s'\n", optarg);
                goto done;
            }
            jobs = (int)v;
            break;
        }
        case OPT_MIN_SPAN: {
            double sec;
            if (pl_parse_duration(optarg, &sec) || sec > 3650 * 86400.0) {
                fprintf(errout, "perfleak: --min-span takes a duration like 1h, 30min, 2d or 0, got '%s'\n", optarg);
                goto done;
            }
            opts.detect.min_span_h = sec / 3600;
            break;
        }
        case OPT_FORCE:
            force = 1;
            break;
        case OPT_UTC_OFFSET:
            if (pl_parse_utc_offset(optarg, &opts.utc_offset)) {
                fprintf(errout, "perfleak: --utc-offset takes an offset like +09:00 or -0800, got '%s'\n", optarg);
                goto done;
            }
            opts.utc_offset_set = 1;
            break;
        case OPT_BUCKETS: {
            char *end;
            unsigned long v = strtoul(optarg, &end, 10);
            if (*end || v < 16 || v > 1000000) {
                fprintf(errout, "perfleak: --buckets takes a number from 16 to 1000000, got '%s'\n", optarg);
                goto done;
            }
            opts.max_buckets = v;
            break;
        }
        case 'h':
            usage(out);
            status = EXIT_NO_LEAK;
            goto done;
        case 'V':
            fprintf(out, "perfleak %s\n", PL_VERSION);
            status = EXIT_NO_LEAK;
            goto done;
        default:
            bad_option(errout, argv, "cxfoelj");
            goto done;
        }
    }
    if (optind >= argc) {
        fprintf(errout, "perfleak: no log given\nUsage: perfleak %s [OPTIONS] LOG...\n"
                        "Try 'perfleak --help' for more information.\n", cmd);
        goto done;
    }
    if (fmt == PL_REPORT_MARKDOWN || fmt == PL_REPORT_HTML) {
        if (strcmp(cmd, "counters") == 0) {
            fprintf(errout, "perfleak: counters writes text or json\n");
            goto done;
        }
    }
    if (strcmp(cmd, "counters") == 0 && ninc == 0 && push(&inc, &ninc, "*"))
        goto nomem;
    if (strcmp(cmd, "plot") == 0 && (ninc == 0 || !outdir)) {
        fprintf(errout, "perfleak: plot needs --counter PATTERN and -o FILE.png (or .svg)\n");
        goto done;
    }
    opts.include = inc;
    opts.n_include = ninc;
    opts.exclude = exc;
    opts.n_exclude = nexc;
    opts.limits = lim;
    opts.n_limits = nlim;
    opts.warn = print_warning;
    opts.warn_ctx = &w;
    opts.threads = jobs;
    memset(&prog, 0, sizeof prog);
    prog.f = errout;
    prog.tty = !w.quiet && isatty(fileno(errout));
    opts.progress = on_progress;
    opts.progress_ctx = &prog;
    if (fmt == PL_REPORT_JSONL) {
        pl_fleet_summary sum;
        if (strcmp(cmd, "analyze") != 0 || outdir) {
            fprintf(errout, "perfleak: --format jsonl is for analyze without -o\n");
            goto done;
        }
        opts.progress = NULL; /* several logs at once: no single line to draw */
        if ((rc = pl_fleet_run((const char *const *)argv + optind, (size_t)(argc - optind), &opts,
                               jobs, out, &sum, &err)) != PL_OK)
            goto fail;
        status = sum.failed ? EXIT_TROUBLE : sum.leaky ? EXIT_LEAK :
                 sum.unjudged ? EXIT_NOTHING_JUDGED : EXIT_NO_LEAK;
        goto done;
    }
    /* before anything is read: an output must not be an input */
    if (outdir && strcmp(cmd, "plot") == 0 &&
        (rc = pl_output_check(outdir, (const char *const *)argv + optind, (size_t)(argc - optind),
                              force, &err)) != PL_OK)
        goto fail;
    if (outdir && strcmp(cmd, "analyze") == 0 &&
        (rc = pl_output_dir_check(outdir, (const char *const *)argv + optind,
                                  (size_t)(argc - optind), &err)) != PL_OK)
        goto fail;
    if ((rc = pl_analysis_create(&a, &opts, &err)) != PL_OK)
        goto fail;
    for (i = optind; i < argc; i++) {
        rc = pl_analysis_read_file(a, argv[i], &err);
        progress_clear(&prog);
        if (rc != PL_OK)
            goto fail;
    }
    if (strcmp(cmd, "counters") == 0) {
        if ((rc = pl_counters_write(a, (pl_report_format)fmt, out, &err)) != PL_OK) {
            name_stdout(out, rc, &err);
            goto fail;
        }
        status = EXIT_NO_LEAK;
        goto done;
    }
    if ((rc = pl_analysis_detect(a, &err)) != PL_OK)
        goto fail;
    if (strcmp(cmd, "plot") == 0) {
        if ((rc = plot_command(a, outdir, &err)) != PL_OK)
            goto fail;
        status = EXIT_NO_LEAK;
        goto done;
    }
    if (outdir && (rc = pl_report_write_dir(a, outdir, charts, &err)) != PL_OK)
        goto fail;
    if ((rc = pl_report_write(a, (pl_report_format)fmt, out, &err)) != PL_OK) {
        name_stdout(out, rc, &err);
        goto fail;
    }
    status = pl_analysis_finding_count(a) ? EXIT_LEAK :
             pl_analysis_judged_count(a) ? EXIT_NO_LEAK : EXIT_NOTHING_JUDGED;
    goto done;
nomem:
    fprintf(errout, "perfleak: out of memory\n");
    goto done;
fail:
    print_error(errout, &err);
done:
    pl_analysis_free(a);
    free((void *)inc);
    free((void *)exc);
    free((void *)lim);
    return status;
}
