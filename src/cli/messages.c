/* messages.c - what perfleak says on standard error and in --help: the
 * library's messages with the options they mean, warnings (unless -q). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "perfleak/report.h"
#include "cli/cli_internal.h"
#include "util/internal.h"

void pl_cli_usage(FILE *f)
{
    fputs("Usage: perfleak analyze [OPTIONS] LOG...\n"
          "       perfleak counters [OPTIONS] LOG...\n"
          "       perfleak plot --counter PATTERN -o FILE.png|FILE.svg LOG...\n"
          "       perfleak convert [-f csv|tsv] [-c PATTERN] [-o OUT] LOG...\n"
          "       perfleak compare [OPTIONS] BEFORE AFTER   (or BEFORE... vs AFTER...)\n"
          "       perfleak fleet [-f FORMAT] [-o DIR] [--min-servers N] RECORDS.jsonl...\n"
          "\n"
          "Finds memory and handle leaks in Windows Performance Monitor logs:\n"
          "binary .blg logs and PDH-CSV or PDH-TSV exports ('-' reads standard\n"
          "input). A LOG may also be a folder (C:\\PerfLogs, walked in name order),\n"
          "an archive (zip, tar, tar.gz/.bz2/.xz/.zst, 7z, cab) or a compressed\n"
          "log (.csv.gz, .blg.xz): the logs in it are found by their content.\n"
          "Several logs of one server are merged on time.\n"
          "\n"
          "Commands:\n"
          "  analyze    judge each counter: leak, running-out, ok, insufficient-data\n"
          "             or not-applicable (a rate, a percentage...) (default)\n"
          "  counters   list every counter with samples, first/last time, min, max\n"
          "  plot       chart the counters matching --counter (one unit) into -o FILE\n"
          "  convert    write the logs as one PDH-CSV (-f tsv: PDH-TSV) log, like\n"
          "             relog, to standard output or -o OUT\n"
          "  compare    did the fix work: each culprit of a capture before a change\n"
          "             and of one after it, matched by name (not PID), as gone,\n"
          "             slower, unchanged, worse, new or cannot-tell; -o DIR adds\n"
          "             both captures overlaid on hours since each began\n"
          "  fleet      many servers: the records of analyze -f jsonl ('-' reads\n"
          "             standard input) as recurring culprits (by name or pool and\n"
          "             kind: servers, growth median and range, since when), the\n"
          "             servers with findings worst first, the logs not read\n"
          "\n"
          "Options:\n"
          "  -c, --counter PATTERN  analyse counters matching PATTERN (repeatable);\n"
          "                         '*' and '?' are wildcards, e.g.\n"
          "                         'Process(*)\\Private Bytes'; '*' = every counter.\n"
          "                         Default: Process Private Bytes, Working Set,\n"
          "                         Working Set - Private, Virtual Bytes, Handle Count,\n"
          "                         Thread Count (not _Total or Idle) and Memory Pool\n"
          "                         Paged/Nonpaged Bytes, Committed Bytes\n"
          "      --counter-file FILE  a --counter PATTERN a line (# comments);\n"
          "                         convert also takes relog's -cf FILE\n"
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
          "      --max-charts N     chart the N most urgent only (default 50; all);\n"
          "                         report.json lists every finding\n"
          "  -e, --encoding NAME    the log's character encoding (e.g. WINDOWS-1251,\n"
          "                         CP932, UTF-16LE); default: BOM, UTF-8, else a guess\n"
          "                         (convert: --encoding only; its -e is relog's end)\n"
          "  -b, --begin TIME       leave out rows before TIME: the log's own time\n"
          "                         (2026-03-02 14:00, relog's 3/2/2026 14:00:00), or\n"
          "                         with an offset (2026-03-02T14:00+01:00, ...Z)\n"
          "      --end TIME         leave out rows after TIME (convert: also -e)\n"
          "      --before-begin TIME, --before-end TIME, --after-begin TIME,\n"
          "      --after-end TIME   compare: the window of one side only\n"
          "      --min-servers N    fleet: a culprit recurs on N servers or more (2)\n"
          "  -t, --every N          convert: write every Nth row, as relog -t\n"
          "      --list             convert: list each log's span and the counters it\n"
          "                         would write, nothing else (relog -q)\n"
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
          "      --color WHEN       the text report's verdicts in colour: auto (on a\n"
          "                         terminal, unless NO_COLOR is set), always, never\n"
          "      --buckets N        time buckets kept per counter (default 416)\n"
          "      --max-expand SIZE  what a member of an archive may expand to (default\n"
          "                         16GiB; without it, more than 1000 times its\n"
          "                         compressed size stops at 64 MiB: a bomb)\n"
          "      --force            plot, convert (also -y): replace an existing -o file\n"
          "                         (never an input; a device is written in place)\n"
          "  -h, --help             show this help and exit\n"
          "  -V, --version          show the version and exit\n"
          "\n"
          "Exit status: 0 no leak found, 1 a leak (or free memory running out) found,\n"
          "2 trouble (bad input or usage), 3 nothing could be judged (no counter\n"
          "selected, or none with enough data of something that can leak).\n"
          "compare: 0 every leak gone and none new, 1 a leak remains or appears,\n"
          "3 the after capture cannot tell (too short), 2 trouble.\n"
          "fleet: 1 a server has findings, 3 a log could not be read or judged\n"
          "(and none has), 0 every server judged and none with findings, 2 trouble.\n",
          f);
}

/* The library's messages say what to give, the CLI says how: each phrase
 * on the left, where a message has it, gets the option that does it. */
static const struct { const char *lib, *cli; } FLAG_PHRASES[] = {
    {"a limit takes COUNTER=VALUE", "--limit takes COUNTER=VALUE"},
    {"(give the server's UTC offset, e.g. +09:00)",
     "(give the server's UTC offset with --utc-offset, e.g. --utc-offset +09:00)"},
    {"(name the right encoding to read them)", "(override the encoding with --encoding)"},
    {"; name the code page", "; name the code page with --encoding"},
    {"; replacing it must be asked for", "; give --force to replace it"},
    {": no counter matched the selection", ": no counter matched --counter"},
    {"the time window is empty: it begins", "--begin is later than --end: the window begins"},
    {"; a larger expansion limit can be given", "; give --max-expand SIZE to read it"},
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

void pl_cli_error(FILE *f, const pl_error *err)
{
    char buf[sizeof err->msg + 128];
    pl_visible_line(f, "perfleak: ", with_flags(err->msg, buf, sizeof buf));
}

void pl_cli_warning(void *ctx, const char *msg)
{
    pl_cli_warn *w = ctx;
    char buf[2048];
    if (!w->quiet)
        pl_visible_line(w->f, "perfleak: warning: ", with_flags(msg, buf, sizeof buf));
}

void pl_cli_name_stdout(FILE *out, int rc, pl_error *err)
{
    if (rc == PL_EIO && out == stdout) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "standard output: %.*s", (int)pl_utf8_prefix(err->msg, 900), err->msg);
        memcpy(err->msg, msg, sizeof msg);
    }
}

int pl_cli_flushed(pl_cli *cli)
{
    if (fflush(cli->out) != 0 || ferror(cli->out)) {
        fprintf(cli->err, "perfleak: standard output: cannot write: %s\n", strerror(errno));
        return EXIT_TROUBLE;
    }
    return EXIT_NO_LEAK;
}

/* Line starts the text report has, and their colours (SGR). */
static const struct { const char *start, *sgr; } COLOURS[] = {
    {"CULPRIT ", "1;31"}, {"LEAK ", "31"}, {"RUNNING OUT ", "35"}, {"SUSPECT ", "33"},
    {"No leak found", "32"}, {"Nothing could be judged", "33"},
};

int pl_cli_write_text(pl_cli *cli, const pl_result *r, pl_error *err)
{
    char *text = NULL, *line;
    size_t len = 0, i;
    int rc, on = cli->color;
    FILE *m;
    if (on < 0) {
        const char *nc = getenv("NO_COLOR");
        on = isatty(fileno(cli->out)) && !(nc && nc[0]);
    }
    if (!on)
        return pl_report_write(r, PL_REPORT_TEXT, cli->out, err);
    if (!(m = open_memstream(&text, &len)))
        return pl_err(err, PL_ENOMEM, "out of memory");
    rc = pl_report_write(r, PL_REPORT_TEXT, m, err);
    if (fclose(m) != 0 && rc == PL_OK)
        rc = pl_err(err, PL_ENOMEM, "out of memory");
    for (line = text; rc == PL_OK && line && *line;) {
        char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        const char *sgr = NULL;
        for (i = 0; i < sizeof COLOURS / sizeof *COLOURS && !sgr; i++)
            if (strncmp(line, COLOURS[i].start, strlen(COLOURS[i].start)) == 0)
                sgr = COLOURS[i].sgr;
        if (sgr)
            fprintf(cli->out, "\033[%sm%.*s\033[0m\n", sgr, (int)n, line);
        else
            fprintf(cli->out, "%.*s\n", (int)n, line);
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    if (rc == PL_OK && (fflush(cli->out) != 0 || ferror(cli->out)))
        rc = pl_err(err, PL_EIO, "cannot write the report");
    return rc;
}

int pl_cli_dir_outcome(pl_cli *cli, int rc, pl_error *err, int dir_rc, const pl_error *dir_err)
{
    if (dir_rc == PL_OK)
        return rc;
    if (rc == PL_OK) {
        *err = *dir_err;
        return dir_rc;
    }
    pl_cli_error(cli->err, dir_err);
    return rc;
}
