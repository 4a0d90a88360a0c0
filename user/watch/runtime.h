/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_WATCH_RUNTIME_H
#define LNW_WATCH_RUNTIME_H

#include <stdbool.h>

/* The process around the watch: its signals, standard fds, fd limit and
 * standard output's errors. */

/* fds 0-2 that are closed are opened on /dev/null, so that no socket or
 * BPF object lnwatch opens becomes its standard output. First thing. */
void lnw_std_fds_open(void);

/* Every catchable signal whose default is to end the process (SIGINT,
 * SIGTERM, SIGHUP, SIGQUIT, SIGUSR1/2, SIGALRM, SIGVTALRM, SIGPROF,
 * SIGXCPU, SIGIO, SIGPWR, SIGSTKFLT, real-time ones) calls fn, without
 * SA_RESTART: a blocking call returns EINTR and the run ends with its
 * cleanup. SIGPIPE and SIGXFSZ are ignored: writes fail with an error
 * instead. Faults (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP,
 * SIGSYS) keep their default: after one, nothing is safe to run. */
void lnw_catch_signals(void (*fn)(int));

/* RLIMIT_NOFILE's soft limit up to its hard one: each watched interface
 * costs file descriptors. */
void lnw_raise_fd_limit(void);

/* Standard output failed (a write error) or its reader went away (a
 * pipe or socket whose other end is closed, even with nothing written):
 * the run should end. */
bool lnw_stdout_broken(void);

/* At exit: a write error on standard output (/dev/full, EIO) is said on
 * stderr and the exit status becomes 1; a reader that went away (EPIPE)
 * ends the run quietly. Call once, before anything is written. */
void lnw_stdout_check_at_exit(void);

#endif
