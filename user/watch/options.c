// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Command line: argp, as in libbpf-tools. */
#include <argp.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <arpa/inet.h>

#include "lib/json.h"
#include "lib/util.h"
#include "lnwatch.h"
#include "options.h"
#include "verdict.h"

const char *argp_program_version = "lnwatch 0.1";
const char *argp_program_bug_address = "the lnwatch issue tracker";

static const char doc[] =
"lnwatch: show what the kernel does with IPv4 packets to or from 127.0.0.0/8\n"
"that arrive on a non-loopback interface (route_localnet verdicts).\n"
"\n"
"lnwatch audit lists what route_localnet exposes without sending a packet\n"
"(lnwatch audit --help).\n"
"\n"
"Options:"
"\v"
"Examples:\n"
"    lnwatch                  # every non-loopback interface of this netns\n"
"    lnwatch -i eth0 -i eth1  # only these interfaces\n"
"    lnwatch -j -d 10         # JSON lines for 10 s, then a summary\n"
"    lnwatch --all-netns      # also martian drops in other namespaces\n"
"    lnwatch -p 5432 --verdict drop,delivered   # where do my 5432 packets end?\n"
"    lnwatch -r 0 -I 5 --latency  # every event, counters every 5 s, timing\n"
"    lnwatch --netns node     # the namespace of `ip netns add node`\n"
"    ip netns exec node lnwatch --ready-file /run/lnw.ready  # for scripts\n"
"    lnwatch -q --metrics 9862    # a daemon: http://127.0.0.1:9862/metrics\n"
"\n"
"Exit status:\n"
"    0   after a clean stop (SIGINT, SIGTERM, or the end of -d)\n"
"    1   on an error; the message says what is missing (privileges,\n"
"        kernel BTF, an interface, a hook)\n"
"    64  on bad arguments";

enum {
	OPT_ALL_NETNS = 0x100,
	OPT_READY_FILE,
	OPT_METRICS,
	OPT_FALLBACK,
	OPT_ATTACH,
	OPT_RINGBUF,
	OPT_VERDICT,
	OPT_NETNS,
	OPT_LATENCY,
	OPT_OVERHEAD,
	OPT_HOOKS_ALWAYS,
	OPT_BTF,
};

static const struct argp_option argp_opts[] = {
	{ "interface", 'i', "IFACE", 0,
	  "Watch IFACE (repeatable); default: every non-loopback one of the "
	  "namespace, including ones created later", 0 },
	{ "all-netns", OPT_ALL_NETNS, NULL, 0,
	  "Report events from every network namespace", 0 },
	{ "json", 'j', NULL, 0, "One JSON object per line", 0 },
	{ "wide", 'w', NULL, 0,
	  "Wide output: no column is shortened; flags, reasons, processes", 0 },
	{ "duration", 'd', "SECONDS", 0, "Stop after SECONDS, print summary", 0 },
	{ "ready-file", OPT_READY_FILE, "PATH", 0,
	  "Create PATH once everything is attached", 0 },
	{ "verbose", 'v', NULL, 0, "Show libbpf's debug log and paths taken", 0 },
	{ "ringbuf-kib", OPT_RINGBUF, "KIB", 0,
	  "Event ring buffer size (power of 2, default 1024)", 0 },
	{ "rate", 'r', "N", 0,
	  "At most N events/s per flow (default 5); 0: every packet", 0 },
	{ "port", 'p', "PORT", 0, "Only this port (routed or original)", 0 },
	{ "source", 's', "CIDR", 0, "Only sources in CIDR", 0 },
	{ "verdict", OPT_VERDICT, "LIST", 0,
	  "Only these verdicts, comma-separated, of: seen martian-dst "
	  "martian-src accept drop delivered reply-refused local-refused "
	  "dnat-exposed", 0 },
	{ "interval", 'I', "SECONDS", 0, "Print the counters every SECONDS", 0 },
	{ "netns", OPT_NETNS, "NAME|PATH", 0,
	  "Watch that network namespace (ip netns NAME, or a path)", 0 },
	{ "latency", OPT_LATENCY, NULL, 0,
	  "Time tc ingress -> verdict: per-event and log2 histograms", 0 },
	{ "overhead", OPT_OVERHEAD, NULL, 0,
	  "Measure each BPF program's cost (kernel BPF stats, this run only)", 0 },
	{ "route-hooks-always", OPT_HOOKS_ALWAYS, NULL, 0,
	  "Trace accepts even while route_localnet is off everywhere "
	  "(then every routed packet pays for two tracepoints)", 0 },
	{ "btf", OPT_BTF, "FILE", 0,
	  "Kernel types from FILE (raw BTF, as BTFHub's) instead of "
	  "/sys/kernel/btf/vmlinux", 0 },
	{ "quiet", 'q', NULL, 0,
	  "No event lines (a daemon's): counters, flag changes, warnings and "
	  "the summary stay", 0 },
	{ "metrics", OPT_METRICS, "[ADDR:]PORT", 0,
	  "Serve Prometheus metrics at http://ADDR:PORT/metrics (ADDR: "
	  "127.0.0.1 by default, or numeric IPv4 or [IPv6]), bound where "
	  "lnwatch starts, before --netns", 0 },
	{ "attach", OPT_ATTACH, "MODE", 0,
	  "tc ingress through: auto (default: tcx links, or clsact filters "
	  "when over 64 interfaces), tcx, or clsact", 0 },
	/* a test switch: hidden from --help, documented in the README's Tests */
	{ "fallback", OPT_FALLBACK, "LIST", OPTION_HIDDEN,
	  "Force old-kernel paths (tests): clsact,addr-join,infer,kallsyms", 0 },
	{},
};

int lnw_parse_attach_mode(const char *s, enum lnw_attach_mode *out)
{
	static const char *const names[] = { "auto", "tcx", "clsact" };
	unsigned int i;

	for (i = 0; s && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i])) {
			*out = (enum lnw_attach_mode)i;
			return 0;
		}
	return -EINVAL;
}

int lnw_parse_uint(const char *s, unsigned int min, unsigned int max,
		   unsigned int *out)
{
	char *end;
	unsigned long v;

	/* digits only: strtoul() would take blanks, a sign */
	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = (unsigned int)v;
	return 0;
}

int lnw_parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	/* no leading blank: strtod() would skip it (a trailing one is *end) */
	if (!s || !*s || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	/* a week is plenty; the bound keeps the timer arithmetic safe */
	if (errno || *end || !isfinite(v) || v <= 0 || v > LNW_MAX_SECONDS)
		return -EINVAL;
	*out = v;
	return 0;
}

/* "a,b,c" -> the OR of bit(i) for each names[i] listed; 0 or -EINVAL. */
static int parse_name_list(const char *s, const char *const *names, size_t n,
			   unsigned int (*bit)(size_t i), unsigned int *out)
{
	unsigned int bits = 0;
	const char *p = s;
	size_t i;

	if (!s || !*s)
		return -EINVAL;
	while (*p) {
		size_t len = strcspn(p, ",");

		for (i = 0; i < n; i++)
			if (names[i] && strlen(names[i]) == len && !strncmp(p, names[i], len))
				break;
		if (i == n)
			return -EINVAL;
		bits |= bit(i);
		p += len;
		if (*p == ',' && *++p == '\0')
			return -EINVAL;
	}
	*out = bits;
	return 0;
}

static unsigned int nth_bit(size_t i)
{
	return 1U << i;
}

/* names in the order of enum lnw_fallback's bits */
int lnw_parse_fallbacks(const char *s, unsigned int *out)
{
	static const char *const names[] = { "clsact", "addr-join", "infer", "kallsyms" };

	return parse_name_list(s, names, LNW_ARRAY_SIZE(names), nth_bit, out);
}

int lnw_parse_verdicts(const char *s, unsigned int *mask)
{
	const char *names[LNW_VERDICT_MAX];
	size_t v;

	for (v = 0; v < LNW_VERDICT_MAX; v++)
		names[v] = lnw_verdict_name((unsigned int)v);
	return parse_name_list(s, names, LNW_VERDICT_MAX, nth_bit, mask);
}

int lnw_parse_cidr(const char *s, unsigned int *net, unsigned int *mask)
{
	char buf[INET_ADDRSTRLEN + 4], *slash;
	unsigned int bits = 32, m;
	struct in_addr a;

	if (!s || strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		if (lnw_parse_uint(slash + 1, 0, 32, &bits))
			return -EINVAL;
	}
	if (inet_pton(AF_INET, buf, &a) != 1)
		return -EINVAL;
	m = bits ? htonl(~0U << (32 - bits)) : 0;
	if (a.s_addr & ~m)
		return -EINVAL; /* host bits set: say what you mean */
	*mask = m; /* only now: a refusal writes nothing */
	*net = a.s_addr;
	return 0;
}

int lnw_parse_listen(const char *s, struct sockaddr_storage *addr,
		     socklen_t *len)
{
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)addr;
	struct sockaddr_in *in4 = (struct sockaddr_in *)addr;
	char host[INET6_ADDRSTRLEN + 2];
	const char *port_s = s, *colon;
	struct in6_addr a6;
	struct in_addr a4 = { .s_addr = htonl(INADDR_LOOPBACK) };
	unsigned int port;
	bool v6 = false;

	if (!s)
		return -EINVAL;
	colon = strrchr(s, ':');
	if (colon) { /* ADDR:PORT; an IPv6 address in brackets */
		size_t n = (size_t)(colon - s);

		port_s = colon + 1;
		if (n >= sizeof(host) || n == 0)
			return -EINVAL;
		memcpy(host, s, n);
		host[n] = '\0';
		if (host[0] == '[' && host[n - 1] == ']') {
			host[n - 1] = '\0';
			if (inet_pton(AF_INET6, host + 1, &a6) != 1)
				return -EINVAL;
			v6 = true;
		} else if (inet_pton(AF_INET, host, &a4) != 1) {
			return -EINVAL;
		}
	}
	if (lnw_parse_uint(port_s, 1, 65535, &port))
		return -EINVAL;
	memset(addr, 0, sizeof(*addr)); /* only now: a refusal writes nothing */
	if (v6) {
		in6->sin6_family = AF_INET6;
		in6->sin6_addr = a6;
		in6->sin6_port = htons((unsigned short)port);
		*len = sizeof(*in6);
	} else {
		in4->sin_family = AF_INET;
		in4->sin_addr = a4;
		in4->sin_port = htons((unsigned short)port);
		*len = sizeof(*in4);
	}
	return 0;
}

/* What parse_opt works on: the options, and the first refusal's reason. */
struct parse_ctx {
	struct lnw_options *opts;
	char *err;
	size_t err_len;
};

/* Bad arguments: argp prints and exits, unless the caller asked it not to
 * (ARGP_NO_ERRS): then the reason is kept and parsing stops. Every caller
 * returns this, so nothing past a refusal runs. */
__attribute__((format(printf, 2, 3), warn_unused_result))
static error_t usage_error(struct argp_state *state, const char *fmt, ...)
{
	const struct parse_ctx *ctx = state->input;
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!(state->flags & ARGP_NO_ERRS))
		argp_error(state, "%s", msg); /* prints, exits */
	if (ctx->err_len && !ctx->err[0])
		snprintf(ctx->err, ctx->err_len, "%s", msg);
	return EINVAL;
}

/* -d and -I: seconds, more than 0, at most a week. */
static error_t parse_period(struct argp_state *state, const char *what, const char *arg,
			    double *out)
{
	if (!lnw_parse_seconds(arg, out))
		return 0;
	return usage_error(state, "invalid %s '%s': want seconds, more than 0 and at "
			   "most %d (a week)", what, arg, LNW_MAX_SECONDS);
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct lnw_options *o = ((struct parse_ctx *)state->input)->opts;
	unsigned int v;

	switch (key) {
	case 'i':
		if (strlen(arg) == 0 || strlen(arg) >= IF_NAMESIZE)
			return usage_error(state, "invalid interface name '%s'", arg);
		if (o->n_ifaces == LNW_MAX_IFACES)
			return usage_error(state, "at most %d interfaces", LNW_MAX_IFACES);
		o->ifaces[o->n_ifaces++] = arg;
		break;
	case OPT_ALL_NETNS:
		o->all_netns = true;
		break;
	case 'j':
		o->json = true;
		break;
	case 'w':
		o->wide = true;
		break;
	case 'v':
		o->verbose = true;
		break;
	case 'd':
		return parse_period(state, "duration", arg, &o->duration_s);
	case OPT_READY_FILE:
		if (!*arg)
			return usage_error(state, "empty --ready-file path");
		o->ready_file = arg;
		break;
	case OPT_RINGBUF:
		if (lnw_parse_uint(arg, 4, 1 << 20, &v) || (v & (v - 1)))
			return usage_error(state, "invalid --ringbuf-kib '%s': a power of 2, 4..1048576", arg);
		o->ringbuf_kib = v;
		break;
	case 'r':
		if (lnw_parse_uint(arg, 0, 1000000, &o->rate))
			return usage_error(state, "invalid --rate '%s': events per second, 0..1000000", arg);
		break;
	case 'p':
		if (lnw_parse_uint(arg, 1, 65535, &o->port))
			return usage_error(state, "invalid --port '%s': 1..65535", arg);
		break;
	case 's':
		if (lnw_parse_cidr(arg, &o->src_net, &o->src_mask) || !o->src_mask)
			return usage_error(state, "invalid --source '%s': want A.B.C.D/N", arg);
		break;
	case OPT_VERDICT:
		if (lnw_parse_verdicts(arg, &o->verdict_mask))
			return usage_error(state, "invalid --verdict '%s': want a list of "
					   "seen,martian-dst,martian-src,accept,drop,delivered,reply-refused,"
					   "local-refused,dnat-exposed", arg);
		break;
	case 'I':
		return parse_period(state, "interval", arg, &o->interval_s);
	case OPT_NETNS:
		if (!*arg)
			return usage_error(state, "empty --netns");
		o->netns = arg;
		break;
	case OPT_LATENCY:
		o->latency = true;
		break;
	case OPT_OVERHEAD:
		o->overhead = true;
		break;
	case OPT_HOOKS_ALWAYS:
		o->route_hooks_always = true;
		break;
	case OPT_BTF:
		if (!*arg)
			return usage_error(state, "empty --btf");
		o->btf_path = arg;
		break;
	case 'q':
		o->quiet = true;
		break;
	case OPT_METRICS:
		if (lnw_parse_listen(arg, &o->metrics_addr, &o->metrics_addr_len))
			return usage_error(state, "invalid --metrics '%s': want PORT, A.B.C.D:PORT or "
					   "[IPv6]:PORT, numeric, PORT 1..65535", arg);
		o->metrics = arg;
		break;
	case OPT_ATTACH:
		if (lnw_parse_attach_mode(arg, &o->attach))
			return usage_error(state, "invalid --attach '%s': want auto, tcx or clsact", arg);
		break;
	case OPT_FALLBACK:
		if (lnw_parse_fallbacks(arg, &o->fallbacks))
			return usage_error(state, "invalid --fallback '%s': want clsact,addr-join,infer,kallsyms", arg);
		break;
	case ARGP_KEY_ARG:
		return usage_error(state, "unexpected argument '%s'", arg);
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int lnw_options_parse(int argc, char **argv, unsigned int argp_flags,
		      struct lnw_options *opts, char *err, size_t err_len)
{
	static const struct argp argp = {
		.options = argp_opts, .parser = parse_opt, .doc = doc,
	};
	struct parse_ctx ctx = { .opts = opts, .err = err, .err_len = err_len };

	memset(opts, 0, sizeof(*opts));
	if (err_len)
		err[0] = '\0';
	opts->ringbuf_kib = 1024;
	opts->rate = LNW_DEFAULT_RATE;
	/* known before parsing, so every usage error can be JSON */
	opts->json = lnw_wants_json(argc, argv, "jwvq");
	return argp_parse(&argp, argc, argv, argp_flags, NULL, &ctx) ? -EINVAL : 0;
}

void lnw_parse_args(int argc, char **argv, struct lnw_options *opts)
{
	char err[256];

	argp_err_exit_status = LNW_EXIT_USAGE;
	/* text: argp prints every refusal itself and exits; JSON: we do */
	if (!lnw_options_parse(argc, argv, lnw_wants_json(argc, argv, "jwvq") ? ARGP_NO_ERRS : 0,
			       opts, err, sizeof(err)))
		return;
	lnw_error(true, "%s", err[0] ? err : "invalid arguments (unknown option or "
		  "missing value): see lnwatch --help");
	exit(LNW_EXIT_USAGE);
}
