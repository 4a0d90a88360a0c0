// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The process around the watch: signals, fds 0-2, the fd limit, and
 * standard output's errors. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "lib/util.h"
#include "runtime.h"

void lnw_std_fds_open(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* the lowest free fd: this one */
		if (open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd) {
			/* not even /dev/null: nowhere safe to write to */
			_exit(1);
		}
	}
}

void lnw_catch_signals(void (*fn)(int))
{
	static const int ending[] = {
		SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGTERM,
		SIGVTALRM, SIGPROF, SIGXCPU, SIGIO, SIGPWR,
#ifdef SIGSTKFLT
		SIGSTKFLT,
#endif
	};
	struct sigaction sa = { .sa_handler = fn }; /* no SA_RESTART */
	size_t i;
	int sig;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < LNW_ARRAY_SIZE(ending); i++)
		sigaction(ending[i], &sa, NULL);
	for (sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		sigaction(sig, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGXFSZ, &sa, NULL);
}

void lnw_raise_fd_limit(void)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* A pipe or socket whose reader is gone: POLLERR (pipe) or POLLHUP. */
static bool reader_gone(void)
{
	static int is_stream = -1;
	struct pollfd p = { .fd = STDOUT_FILENO };
	struct stat st;

	if (is_stream < 0)
		is_stream = !fstat(STDOUT_FILENO, &st) &&
			    (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
	return is_stream && poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

bool lnw_stdout_broken(void)
{
	return ferror(stdout) || reader_gone();
}

static void check_stdout(void)
{
	int err = 0;

	if (fflush(stdout))
		err = errno;
	if (!err && !ferror(stdout))
		return;
	if (reader_gone() || err == EPIPE)
		return; /* `lnwatch | head`: the reader had what it wanted */
	/* stdio dropped what failed: ask again, with nothing (/dev/full says
	 * ENOSPC, a regular file 0) */
	if (!err && write(STDOUT_FILENO, "", 0) < 0)
		err = errno;
	fprintf(stderr, "lnwatch: cannot write to standard output: %s\n",
		strerror(err ? err : EIO));
	_exit(1);
}

void lnw_stdout_check_at_exit(void)
{
	atexit(check_stdout);
}
