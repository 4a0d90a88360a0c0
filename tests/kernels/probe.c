// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * probe OBJ [CMD ARGS...]: does each program of OBJ (tests/kernels/
 * probe.bpf.c: fentry, kprobe) load and attach on this kernel, and does it
 * fire while CMD runs? One '# probe ...' line per program: a fact the
 * kernel matrix reports, never a test result (lnwatch does not use these
 * hooks). Exit status 0 unless OBJ cannot be read.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#define MAX_PROGS 8
#define N_HITS 4 /* probe.bpf.c: __u64 hits[4] */
#define LOG_MAX 16384

static char log_buf[LOG_MAX];
static size_t log_len;

/* libbpf's messages for the program being loaded, kept for a failure. */
static int keep_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	int n;

	(void)level;
	if (log_len >= LOG_MAX - 1)
		return 0;
	n = vsnprintf(log_buf + log_len, LOG_MAX - log_len, fmt, ap);
	if (n > 0)
		log_len += (size_t)n < LOG_MAX - log_len ? (size_t)n : LOG_MAX - 1 - log_len;
	return 0;
}

/* What explains a failure, in a line or two: libbpf's complaint and the
 * verifier's last word. */
static void show_log(void)
{
	char *p, *save = NULL, *last = NULL, *why = NULL;
	int in_log = 0;

	for (p = strtok_r(log_buf, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		if (strstr(p, "-- BEGIN PROG LOAD LOG --"))
			in_log = 1;
		else if (strstr(p, "-- END PROG LOAD LOG --"))
			in_log = 0;
		else if (in_log && *p)
			last = p;
		else if (!why && strstr(p, "failed") && !strstr(p, "failed to load"))
			why = p;
	}
	if (why)
		printf("#   %s\n", why);
	if (last)
		printf("#   verifier: %s\n", last);
}

struct probe {
	struct bpf_object *obj;
	struct bpf_link *link;
	char name[64];
	char section[96];
	struct bpf_map *bss; /* probe.bpf.c's hits[]: only this program counts */
};

int main(int argc, char **argv)
{
	struct probe probes[MAX_PROGS] = {};
	struct bpf_object *obj;
	struct bpf_program *prog;
	int n = 0, i, status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: %s OBJ [CMD ARGS...]\n", argv[0]);
		return 2;
	}
	libbpf_set_print(keep_log);
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		printf("# probe: cannot open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		if (n == MAX_PROGS)
			break;
		snprintf(probes[n].name, sizeof(probes[n].name), "%s",
			 bpf_program__name(prog));
		snprintf(probes[n].section, sizeof(probes[n].section), "%s",
			 bpf_program__section_name(prog));
		n++;
	}
	bpf_object__close(obj);

	/* each program in its own object: one refusal does not hide another */
	for (i = 0; i < n; i++) {
		struct probe *p = &probes[i];
		struct bpf_program *q;
		int err;

		log_len = 0;
		log_buf[0] = '\0';
		p->obj = bpf_object__open_file(argv[1], NULL);
		if (!p->obj)
			continue;
		bpf_object__for_each_program(q, p->obj)
			bpf_program__set_autoload(q, !strcmp(bpf_program__name(q), p->name));
		err = bpf_object__load(p->obj);
		if (err == -ESRCH) { /* libbpf: no BTF for the target */
			printf("# probe %s: no such function in this kernel\n", p->section);
			bpf_object__close(p->obj);
			p->obj = NULL;
			continue;
		}
		if (err) {
			printf("# probe %s: does not load: %s\n", p->section, strerror(-err));
			show_log();
			bpf_object__close(p->obj);
			p->obj = NULL;
			continue;
		}
		p->link = bpf_program__attach(bpf_object__find_program_by_name(p->obj, p->name));
		if (!p->link) {
			err = -errno;
			printf("# probe %s: loads, does not attach: %s\n", p->section,
			       strerror(-err));
			show_log();
			continue;
		}
		p->bss = bpf_object__find_map_by_name(p->obj, ".bss");
	}
	fflush(stdout);

	if (argc > 2) {
		pid = fork();
		if (pid == 0) {
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (pid > 0)
			waitpid(pid, &status, 0);
	}
	for (i = 0; i < n; i++) {
		struct probe *p = &probes[i];
		unsigned long long hits[N_HITS] = {}, sum = 0;
		int h, zero = 0;

		/* a lookup: libbpf 1.1 maps .bss to the kernel's copy only
		 * for skeletons */
		if (p->link && p->bss &&
		    bpf_map__value_size(p->bss) == sizeof(hits) &&
		    !bpf_map__lookup_elem(p->bss, &zero, sizeof(zero), hits,
					  sizeof(hits), 0)) {
			for (h = 0; h < N_HITS; h++)
				sum += hits[h];
			printf("# probe %s: loads, attaches, %llu call(s) seen\n",
			       p->section, sum);
		} else if (p->link) {
			printf("# probe %s: loads, attaches\n", p->section);
		}
		bpf_link__destroy(p->link);
		bpf_object__close(p->obj);
	}
	return 0;
}
