/* cli_internal.h - what the command files share: the commands, the one
 * option table (each option says which commands take it), the parsed
 * options, and the messages and progress line on standard error. */
#ifndef PL_CLI_INTERNAL_H
#define PL_CLI_INTERNAL_H

#include <stdio.h>
#include "perfleak/analysis.h"
#include "perfleak/plot.h"

/* Exit statuses, like diff's: 0 no leak, 1 leak, 2 trouble. */
enum { EXIT_NO_LEAK = 0, EXIT_LEAK = 1, EXIT_TROUBLE = 2, EXIT_NOTHING_JUDGED = 3 };

/* The commands, as bits: an option lists the commands that take it. */
enum {
    CMD_ANALYZE = 1, CMD_COUNTERS = 2, CMD_PLOT = 4, CMD_CONVERT = 8, CMD_COMPARE = 16, CMD_FLEET = 32,
    CMD_ANALYSIS = CMD_ANALYZE | CMD_COUNTERS | CMD_PLOT | CMD_COMPARE, /* those that read into an analysis */
    CMD_ALL = CMD_ANALYSIS | CMD_CONVERT, /* those that read logs */
    CMD_EVERY = CMD_ALL | CMD_FLEET
};

typedef struct pl_cli_warn {
    FILE *f;
    int quiet;
} pl_cli_warn;

/* A progress line for a log that takes more than a second, redrawn at
 * most five times a second, only on a terminal. */
typedef struct pl_cli_progress {
    FILE *f;
    int tty;
    const char *name;
    double start, last;
    int shown;
} pl_cli_progress;

/* Everything the command line said, once parsed. */
typedef struct pl_cli {
    unsigned cmd;               /* one CMD_ bit */
    const char *cmd_name;
    FILE *out, *err;
    const char **include, **exclude, **limits; /* argv's strings */
    const char **owned;         /* patterns read from a --counter-file */
    size_t n_owned, cap_owned;
    size_t n_include, n_exclude, n_limits;
    size_t cap_include, cap_exclude, cap_limits;
    const char *output;         /* -o */
    int format;                 /* a pl_report_format; -1 unset */
    char delimiter;             /* convert -f: ',' or '\t' */
    int force, jobs;
    size_t every;               /* convert -t N */
    size_t min_servers;         /* fleet --min-servers N (0: its default) */
    int list;                   /* convert --list (relog -q) */
    pl_chart_set charts;
    int charts_given;
    int color;                  /* --color: 1 always, 0 never, -1 on a terminal */
    pl_analysis_opts analysis;  /* what the analysis options set */
    const char *side_begin[2], *side_end[2]; /* compare's window of each side (NULL: --begin/--end's) */
    pl_cli_warn warn;
    pl_cli_progress progress;
    char *run_command;          /* the command line as typed, quoted as a
                                 * shell takes it, for the reports (owned) */
    int argc_all;               /* the command line it was made from */
    char **argv_all;
} pl_cli;

/* ---------- options.c ---------- */

/* Parses argv (argv[0]: the command's name) for cli->cmd. Returns -1 when
 * the options are all read (argv[*first..] the logs), or the exit status
 * to end with (help, version: 0; a bad option: 2, said on cli->err). */
int pl_cli_parse(pl_cli *cli, int argc, char **argv, int *first);
void pl_cli_clear(pl_cli *cli);
/* The options cmd takes, a line each, as the table has them. */
void pl_cli_options_of(unsigned cmd, FILE *f);
/* Appends s to a list of argv's strings: 0, or -1 when out of memory. */
int pl_cli_push(const char ***list, size_t *n, size_t *cap, const char *s);

/* ---------- messages.c ---------- */

void pl_cli_usage(FILE *f);
/* EXIT_NO_LEAK once what went to standard output is written; else the
 * error said, EXIT_TROUBLE (--help > /dev/full fails). */
int pl_cli_flushed(pl_cli *cli);
/* "perfleak: MESSAGE", with the options the library's message means. */
void pl_cli_error(FILE *f, const pl_error *err);
/* The library's warning callback (ctx: a pl_cli_warn). */
void pl_cli_warning(void *ctx, const char *msg);
/* A write error on standard output says so: the library only knows a
 * FILE. */
void pl_cli_name_stdout(FILE *out, int rc, pl_error *err);
/* After the report went to standard output (rc) and the files of -o DIR
 * were written (dir_rc): the error to end with. A folder that could not
 * be written loses the files, not the verdicts; when both failed, the
 * folder's error is said here and the report's is kept in *err. */
int pl_cli_dir_outcome(pl_cli *cli, int rc, pl_error *err, int dir_rc, const pl_error *dir_err);

/* The text report on standard output with its verdicts in colour when
 * cli->color says so (on a terminal unless NO_COLOR is set). Returns as
 * pl_report_write. */
int pl_cli_write_text(pl_cli *cli, const pl_result *r, pl_error *err);

/* ---------- progress.c ---------- */

void pl_cli_progress_init(pl_cli_progress *p, FILE *f, int quiet);
/* The library's progress callback (ctx: a pl_cli_progress). */
void pl_cli_progress_show(void *ctx, const char *name, unsigned long long done,
                          unsigned long long total);
void pl_cli_progress_clear(pl_cli_progress *p);

/* ---------- the commands ---------- */

/* The analysis options the command line describes (in cli). */
pl_analysis_opts *pl_cli_analysis_opts(pl_cli *cli);
/* Keeps argv as the command line the reports record, before option
 * parsing reorders it: 0, or -1 when out of memory. */
int pl_cli_keep_command(pl_cli *cli, int argc, char **argv);
/* The command kept without the logs[0..n) (pointers into the argv kept):
 * for records that each name their own log. 0, or -1 out of memory. */
int pl_cli_keep_options(pl_cli *cli, char *const *logs, size_t n);
/* Sets cli->analysis' record of the run: that command line and the time
 * (SOURCE_DATE_EPOCH when set). */
void pl_cli_run_record(pl_cli *cli);
/* Creates the analysis the options describe and reads the logs into it
 * (with the progress line). PL_OK, or the error in err (*out NULL or to
 * be freed). */
int pl_cli_load(pl_cli *cli, char **logs, size_t n, pl_analysis **out, pl_error *err);

/* How a command that found nothing to judge ends: rc's error said, a
 * freed; EXIT_NO_LEAK when rc is PL_OK, else EXIT_TROUBLE. */
int pl_cli_done(pl_cli *cli, pl_analysis *a, int rc, const pl_error *err);

/* Each runs its command on the logs and returns the exit status. */
int pl_cli_analyze(pl_cli *cli, char **logs, size_t n);
int pl_cli_counters(pl_cli *cli, char **logs, size_t n);
int pl_cli_compare(pl_cli *cli, char **logs, size_t n);
/* perfleak fleet RECORDS...: the records of analyze -f jsonl over many
 * servers (cmd_fleet.c). */
int pl_cli_fleet(pl_cli *cli, char **records, size_t n);
int pl_cli_plot(pl_cli *cli, char **logs, size_t n);
int pl_cli_convert(pl_cli *cli, char **logs, size_t n);

#endif
