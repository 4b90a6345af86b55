/* main.c - the perfleak executable: everything happens in pl_cli_main;
 * here only what a process has once: the signals that must not leave a
 * half-written temporary file behind. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "perfleak/output.h"

/* Removes the temporaries being written, then lets the signal end the
 * process as it would have (the exit status says which signal). */
static void on_signal(int sig)
{
    pl_output_remove_temporaries();
    signal(sig, SIG_DFL);
    raise(sig);
}

int main(int argc, char **argv)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    size_t i;
    for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction sa, old;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        /* a signal ignored when perfleak started (nohup) stays ignored */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
    return pl_cli_main(argc, argv, stdout, stderr);
}
