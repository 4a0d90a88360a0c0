// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * lnwatch audit: what route_localnet makes reachable, read from the kernel
 * (no BPF): interfaces and their conf, sockets bound to 127.0.0.0/8, the
 * nftables ruleset; then the exposure matrix and a verdict as exit status.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "lib/json.h"
#include "lib/netns.h"
#include "lib/util.h"
#include "audit.h"
#include "matrix.h"
#include "prom_textfile.h"
#include "report.h"

enum { OPT_NETNS = 0x100, OPT_PROMETHEUS };

struct audit_opts {
	const char *netns;
	const char *prometheus; /* --prometheus FILE, or NULL */
	bool json;
};

static const char doc[] =
"lnwatch audit: which services bound to 127.0.0.0/8 a neighbour can reach\n"
"because of net.ipv4.conf.*.route_localnet, which DNAT to 127.0.0.0/8 works,\n"
"and which rule guards what. Reads the kernel's state; loads no BPF.\n"
"\n"
"Options:"
"\v"
"Examples:\n"
"    lnwatch audit                    # this network namespace\n"
"    lnwatch audit --netns node -j    # the namespace of `ip netns add node`\n"
"    lnwatch audit --netns /proc/1234/ns/net  # that process's namespace\n"
"    lnwatch audit --prometheus DIR/lnwatch.prom  # node_exporter's textfile\n"
"\n"
"Exit status:\n"
"    0   nothing exposed\n"
"    1   something exposed\n"
"    2   could not tell (the namespace is gone, nftables cannot be read,\n"
"        permission denied, a rule does what the audit does not model):\n"
"        never a silent \"nothing exposed\"\n"
"    64  bad arguments";

static const struct argp_option audit_argp_opts[] = {
	{ "netns", OPT_NETNS, "NAME|PATH", 0,
	  "Audit that network namespace (ip netns NAME, or a path such as "
	  "/proc/PID/ns/net)", 0 },
	{ "json", 'j', NULL, 0, "The report as one JSON document", 0 },
	{ "prometheus", OPT_PROMETHEUS, "FILE", 0,
	  "Also write the result to FILE in the Prometheus text format, for "
	  "node_exporter's textfile collector (replaced whole; written when the "
	  "audit fails too, with its status)", 0 },
	{},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct audit_opts *o = state->input;

	switch (key) {
	case OPT_NETNS:
		if (!*arg) {
			argp_error(state, "empty --netns"); /* exits, unless -j */
			return EINVAL;
		}
		o->netns = arg;
		break;
	case OPT_PROMETHEUS:
		if (!*arg) {
			argp_error(state, "empty --prometheus");
			return EINVAL;
		}
		o->prometheus = arg;
		break;
	case 'j':
		o->json = true;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return EINVAL;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}


static int parse_args(int argc, char **argv, struct audit_opts *o)
{
	static const struct argp argp = {
		.options = audit_argp_opts, .parser = parse_opt, .doc = doc,
	};
	char **args = calloc((size_t)argc + 1, sizeof(*args));
	int ret;

	if (!args)
		return -ENOMEM;
	memcpy(args, argv, (size_t)argc * sizeof(*args));
	args[0] = "lnwatch audit"; /* what usage and errors call us */
	argp_err_exit_status = LNW_EXIT_USAGE;
	o->json = lnw_wants_json(argc, argv, "j");
	ret = argp_parse(&argp, argc, args, o->json ? ARGP_NO_ERRS : 0, NULL, o);
	free(args);
	return ret ? -EINVAL : 0;
}


int lnw_audit_main(int argc, char **argv)
{
	struct audit_opts opts = {};
	struct lnw_audit_net net = {};
	struct lnw_audit_socks socks = {};
	struct lnw_nft_ruleset rs = {};
	struct lnw_audit_report rep = {};
	struct lnw_audit_target target;
	struct json_object *doc = NULL; /* for --prometheus */
	char err[512] = "";
	int ret;

	if (parse_args(argc, argv, &opts)) {
		lnw_error(opts.json, "invalid arguments (unknown option, missing or empty "
			  "value): see lnwatch audit --help");
		return LNW_EXIT_USAGE;
	}
	/* every netlink socket and /proc/sys/net read below is the audited
	 * namespace's: enter it first */
	ret = opts.netns ? lnw_netns_enter(opts.netns, err, sizeof(err)) : 0;
	if (!ret)
		ret = lnw_audit_net_read(&net, err, sizeof(err));
	if (!ret)
		ret = lnw_audit_socks_read(&socks, err, sizeof(err));
	if (!ret)
		ret = lnw_nft_load(&rs, err, sizeof(err));
	if (!ret)
		ret = lnw_audit_analyse(&rep, &net, &socks, &rs, err, sizeof(err));
	if (!ret) {
		target = (struct lnw_audit_target){ opts.netns, lnw_netns_inode() };
		doc = opts.prometheus ? lnw_audit_json(&rep, &target) : NULL;
		if (opts.json)
			lnw_json_emit(stdout, lnw_audit_json(&rep, &target));
		else
			lnw_audit_print(stdout, &rep, &target);
		fflush(stdout);
		if (ferror(stdout)) {
			snprintf(err, sizeof(err), "cannot write the report: %s", strerror(errno));
			ret = -EIO;
		}
	}
	if (ret)
		lnw_error(opts.json, "audit: %s", err[0] ? err : strerror(-ret));
	else
		ret = rep.n_exposed ? LNW_AUDIT_EXPOSED : rep.n_unknown ? LNW_AUDIT_ERROR :
		      LNW_AUDIT_CLEAN;
	if (opts.prometheus &&
	    lnw_audit_prom_write(opts.prometheus, ret < 0 ? LNW_AUDIT_ERROR : ret,
				 ret < 0 ? NULL : doc, err, sizeof(err))) {
		lnw_error(opts.json, "audit: %s", err);
		ret = -EIO;
	}
	json_object_put(doc);
	lnw_audit_report_free(&rep);
	lnw_nft_free(&rs);
	lnw_audit_socks_free(&socks);
	lnw_audit_net_free(&net);
	return ret < 0 ? LNW_AUDIT_ERROR : ret;
}
