/* cli.h - the command line as a function, so tests can run it in-process. */
#ifndef PL_CLI_H
#define PL_CLI_H

#include <stdio.h>

/* Runs perfleak with argv; returns the exit status (0 no leak, 1 leak,
 * 2 trouble, 3 nothing could be judged). Reports go to out, messages to
 * errout. */
int pl_cli_main(int argc, char **argv, FILE *out, FILE *errout);

#endif
