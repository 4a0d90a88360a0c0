// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Feature probes: the kernel's own BTF says which paths we can take. */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/ip.h>

#include "lib/util.h"
#include "kernel.h"
#include "nf_hooks.h"
#include "options.h"
#include "lnwatch.skel.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"
#define DROP_PREFIX "SKB_DROP_REASON_"

bool lnw_btf_enum_value(const struct btf *btf, const char *name, long long *val)
{
	__u32 id, n = btf__type_cnt(btf);

	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		__u16 i, vlen;

		if (!btf_is_enum(t))
			continue;
		vlen = btf_vlen(t);
		for (i = 0; i < vlen; i++) {
			const struct btf_enum *e = btf_enum(t) + i;

			if (!strcmp(btf__name_by_offset(btf, e->name_off), name)) {
				*val = e->val;
				return true;
			}
		}
	}
	return false;
}

static bool has_type(const struct btf *btf, const char *name, __u32 kind)
{
	return btf__find_by_name_kind(btf, name, kind) >= 0;
}

static int read_drop_reasons(struct lnw_kernel *k, const struct btf *btf)
{
	__s32 id = btf__find_by_name_kind(btf, "skb_drop_reason", BTF_KIND_ENUM);
	const struct btf_type *t;
	__u16 i;

	if (id < 0)
		return 0; /* before 5.17: no reasons to name */
	t = btf__type_by_id(btf, id);
	for (i = 0; i < btf_vlen(t); i++) {
		const struct btf_enum *e = btf_enum(t) + i;
		const char *name = btf__name_by_offset(btf, e->name_off);

		if ((unsigned int)e->val >= LNW_MAX_DROP_REASONS)
			continue;
		if (!strncmp(name, DROP_PREFIX, strlen(DROP_PREFIX)))
			name += strlen(DROP_PREFIX);
		k->drop_reasons[e->val] = strdup(name);
		if (!k->drop_reasons[e->val]) {
			lnw_kernel_release(k);
			return -ENOMEM;
		}
	}
	return 0;
}

/* Parameters of a tracepoint's BTF prototype (btf_trace_NAME: a typedef
 * of a pointer to it), its leading void *__data included; -1 if absent. */
static int tracepoint_params(const struct btf *btf, const char *typedef_name)
{
	__s32 id = btf__find_by_name_kind(btf, typedef_name, BTF_KIND_TYPEDEF);
	const struct btf_type *t;

	if (id < 0)
		return -1;
	t = btf__type_by_id(btf, btf__type_by_id(btf, id)->type);
	if (!t || !btf_is_ptr(t))
		return -1;
	t = btf__type_by_id(btf, t->type);
	return t && btf_is_func_proto(t) ? btf_vlen(t) : -1;
}

static struct btf *load_btf(const char *path, char *err, size_t errlen)
{
	struct btf *btf;

	if (!path && access(VMLINUX_BTF, R_OK)) {
		snprintf(err, errlen, "%s: %s; lnwatch needs kernel BTF "
			 "(CONFIG_DEBUG_INFO_BTF=y, as in Debian's kernels since 5.x); "
			 "for a kernel built without it, give its BTF with --btf FILE "
			 "(BTFHub publishes one per distribution kernel)",
			 VMLINUX_BTF, strerror(errno));
		errno = ENOENT;
		return NULL;
	}
	btf = path ? btf__parse(path, NULL) : btf__load_vmlinux_btf();
	if (!btf)
		snprintf(err, errlen, "cannot read BTF from %s: %s%s",
			 path ? path : VMLINUX_BTF, strerror(errno),
			 path ? " (--btf wants raw BTF, as BTFHub's, or an ELF with .BTF)" : "");
	return btf;
}

int lnw_kernel_probe(struct lnw_kernel *k, const char *btf_path, char *err,
		     size_t errlen)
{
	static const char *const hooks[] = {
		"btf_trace_kfree_skb", "btf_trace_fib_table_lookup",
	};
	struct timespec res;
	struct btf *btf;
	long long v;
	size_t i;
	int ret = 0;

	memset(k, 0, sizeof(*k));
	k->btf_path = btf_path;
	k->kernel_btf = !access(VMLINUX_BTF, R_OK);
	btf = load_btf(btf_path, err, errlen);
	if (!btf)
		return -errno;
	for (i = 0; i < LNW_ARRAY_SIZE(hooks); i++) {
		if (!has_type(btf, hooks[i], BTF_KIND_TYPEDEF)) {
			snprintf(err, errlen, "this kernel lacks the tracepoint %s "
				 "(BTF-enabled raw tracepoints); lnwatch needs Linux >= 5.5 "
				 "with CONFIG_DEBUG_INFO_BTF", hooks[i] + 10);
			btf__free(btf);
			return -EOPNOTSUPP;
		}
	}
	if (libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) != 1) {
		snprintf(err, errlen, "this kernel has no BPF ring buffer, which "
			 "lnwatch's events need: Linux >= 5.8");
		btf__free(btf);
		return -EOPNOTSUPP;
	}
	k->has_tcx = lnw_btf_enum_value(btf, "BPF_TCX_INGRESS", &v);
	k->has_sk_data_ready = has_type(btf, "btf_trace_sk_data_ready", BTF_KIND_TYPEDEF);
	k->has_kfunc_ctx = has_type(btf, "bpf_cast_to_kern_ctx", BTF_KIND_FUNC);
	k->has_rdonly_cast = has_type(btf, "bpf_rdonly_cast", BTF_KIND_FUNC);
	/* a coarse clock advances by one jiffy: its resolution is one */
	if (!clock_getres(CLOCK_MONOTONIC_COARSE, &res) && !res.tv_sec &&
	    res.tv_nsec > 0)
		k->tick_ns = (__u32)res.tv_nsec;
	/* (void *__data, skb, location, reason[, rx_sk]): the reason is 5.17's */
	k->has_kfree_reason = tracepoint_params(btf, "btf_trace_kfree_skb") >= 4;
	k->has_nf_prog = lnw_btf_enum_value(btf, "BPF_PROG_TYPE_NETFILTER", &v);
	k->has_drop_reasons = has_type(btf, "skb_drop_reason", BTF_KIND_ENUM);
	k->has_localnet_reason = lnw_btf_enum_value(btf,
			DROP_PREFIX "IP_LOCALNET", &v);
	/* The enum is anonymous; the UAPI value is the fallback. */
	k->rl_devconf_idx = (lnw_btf_enum_value(btf, "IPV4_DEVCONF_ROUTE_LOCALNET", &v)
			     ? (int)v : IPV4_DEVCONF_ROUTE_LOCALNET) - 1;
	ret = read_drop_reasons(k, btf);
	if (ret)
		snprintf(err, errlen, "out of memory");
	btf__free(btf);
	return ret;
}

struct lnwatch_bpf *lnw_kernel_open(const struct lnw_kernel *k)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = k->btf_path);

	return lnwatch_bpf__open_opts(&opts);
}

/* Is this helper allowed in this program type here? One BPF_PROG_LOAD per
 * pair, remembered. A tp_btf program (tracing) is asked as raw_tp: the
 * tracing set holds the raw_tp one. */
static bool helper_ok(enum bpf_prog_type type, int helper)
{
	static struct { enum bpf_prog_type type; int helper; bool ok; } seen[64];
	static size_t n;
	size_t i;
	bool ok;

	if (type == BPF_PROG_TYPE_TRACING)
		type = BPF_PROG_TYPE_RAW_TRACEPOINT;
	for (i = 0; i < n; i++)
		if (seen[i].type == type && seen[i].helper == helper)
			return seen[i].ok;
	ok = libbpf_probe_bpf_helper(type, (enum bpf_func_id)helper, NULL) == 1;
	if (n < LNW_ARRAY_SIZE(seen)) {
		seen[n].type = type;
		seen[n].helper = helper;
		seen[n++].ok = ok;
	}
	return ok;
}

/* The first helper the program calls that its type lacks here, or 0. */
static int missing_helper(const struct bpf_program *prog)
{
	const struct bpf_insn *insn = bpf_program__insns(prog);
	size_t i, n = bpf_program__insn_cnt(prog);

	for (i = 0; insn && i < n; i++)
		if (insn[i].code == (BPF_JMP | BPF_CALL) && insn[i].src_reg == 0 &&
		    !helper_ok(bpf_program__type(prog), insn[i].imm))
			return insn[i].imm;
	return 0;
}

/* The helpers older kernels lack, by name; the rest by number. */
static const char *helper_name(int id, char *buf, size_t len)
{
	switch (id) {
	case BPF_FUNC_snprintf: return "bpf_snprintf (5.13)";
	case BPF_FUNC_get_current_pid_tgid: return "bpf_get_current_pid_tgid";
	case BPF_FUNC_get_current_comm: return "bpf_get_current_comm";
	case BPF_FUNC_get_current_task: return "bpf_get_current_task";
	default:
		snprintf(buf, len, "helper #%d", id);
		return buf;
	}
}

int lnw_kernel_autoload(struct lnwatch_bpf *skel, struct lnw_kernel *k,
			unsigned int fallbacks, char *err, size_t errlen)
{
	bool kfunc = k->has_kfunc_ctx && k->kernel_btf && !(fallbacks & LNW_FB_ADDR_JOIN);
	const struct {
		struct bpf_program *prog;
		bool want;
		bool needed; /* lnwatch is nothing without it */
	} progs[] = {
		{ skel->progs.lnw_tc_ingress, kfunc, true },
		{ skel->progs.lnw_tc_ingress_l3, kfunc, true },
		{ skel->progs.lnw_tc_ingress_compat, !kfunc, true },
		{ skel->progs.lnw_tc_ingress_l3_compat, !kfunc, true },
		/* a martian's headers read by plain loads (6.2+): the flood path */
		{ skel->progs.lnw_kfree_skb, k->has_kfree_reason && k->has_rdonly_cast, true },
		{ skel->progs.lnw_kfree_skb_nocast, k->has_kfree_reason && !k->has_rdonly_cast, true },
		{ skel->progs.lnw_kfree_skb_noreason, !k->has_kfree_reason, true },
		{ skel->progs.lnw_fib_lookup, k->has_rdonly_cast, true },
		{ skel->progs.lnw_fib_lookup_nocast, !k->has_rdonly_cast, true },
		/* before 6.3 there is no sk_data_ready tracepoint: no "delivered" */
		{ skel->progs.lnw_sk_data_ready, k->has_sk_data_ready, false },
		/* names drop locations (%pS) without scanning /proc/kallsyms */
		{ skel->progs.lnw_ksym, !(fallbacks & LNW_FB_KALLSYMS), false },
		/* flag writes as they happen; else only the periodic read sees them */
		{ skel->progs.lnw_sysctl, true, false },
	};
	size_t i;
	int helper;

	if (!k->kernel_btf) {
		snprintf(err, errlen, "%s: %s: lnwatch's tracepoints are BTF-typed "
			 "(tp_btf) and need the kernel's own BTF to attach; --btf gives "
			 "the types to relocate against, not that (a kernel built "
			 "without CONFIG_DEBUG_INFO_BTF cannot run lnwatch yet)",
			 VMLINUX_BTF, strerror(ENOENT));
		return -ENOENT;
	}
	k->n_left_out = 0;
	for (i = 0; i < LNW_ARRAY_SIZE(progs); i++) {
		bool load = progs[i].want;

		helper = load ? missing_helper(progs[i].prog) : 0;
		if (helper && progs[i].needed) {
			char num[24];

			snprintf(err, errlen, "this kernel does not allow BPF %s "
				 "in %s programs, which %s needs", helper_name(helper, num, sizeof(num)),
				 libbpf_bpf_prog_type_str(bpf_program__type(progs[i].prog)),
				 bpf_program__name(progs[i].prog));
			return -EOPNOTSUPP;
		}
		if (helper) {
			load = false;
			if (k->n_left_out < (int)LNW_ARRAY_SIZE(k->left_out)) {
				k->left_out[k->n_left_out].prog = bpf_program__name(progs[i].prog);
				k->left_out[k->n_left_out++].helper = helper;
			}
		}
		bpf_program__set_autoload(progs[i].prog, load);
	}
	/* DNAT'd away from 127/8 (6.4+): its type set by hand, as libbpf 1.1
	 * cannot tell it from the section; its helpers are everyone's */
	lnw_nf_hooks_prepare(skel->progs.lnw_nf);
	bpf_program__set_autoload(skel->progs.lnw_nf, k->has_nf_prog);
	return 0;
}

/* One "what: why" after another, "; " between them. */
static void say(char *buf, size_t len, const char *what)
{
	size_t used = strlen(buf);

	if (used + 2 < len)
		snprintf(buf + used, len - used, "%s%s", used ? "; " : "", what);
}

static const char *left_out_why(const struct lnw_kernel *k, const char *prog,
				char *buf, size_t len)
{
	char num[24];
	int i;

	for (i = 0; i < k->n_left_out; i++)
		if (!strcmp(k->left_out[i].prog, prog)) {
			snprintf(buf, len, "%s is not allowed in its program on this "
				 "kernel", helper_name(k->left_out[i].helper, num, sizeof(num)));
			return buf;
		}
	return NULL;
}

/* "what (why): consequence", said when a program was left out; why is the
 * helper the kernel lacks for it, else dflt. */
static void say_left_out(const struct lnw_kernel *k, const char *prog, const char *what,
			 const char *consequence, const char *dflt, char *buf, size_t len)
{
	char why[128], line[320];
	const char *w = left_out_why(k, prog, why, sizeof(why));

	snprintf(line, sizeof(line), "%s (%s): %s", what, w ? w : dflt, consequence);
	say(buf, len, line);
}

void lnw_kernel_degraded(const struct lnwatch_bpf *skel, const struct lnw_kernel *k,
			 bool flag_writes_seen, char *buf, size_t len)
{
	buf[0] = '\0';
	if (!k->has_tcx)
		say(buf, len, "attach clsact (no tcx before 6.6: a SIGKILLed lnwatch "
		    "leaves its tc filter)");
	if (!bpf_program__autoload(skel->progs.lnw_tc_ingress))
		say(buf, len, "join addr (no bpf_cast_to_kern_ctx before 6.3: a DNAT's "
		    "routed port is unknown, an accept's all/dev flags come from /proc)");
	if (!k->has_kfree_reason)
		say(buf, len, "reason inferred, and no drop has a reason (kfree_skb "
		    "has no reason argument before 5.17): martians are told apart by "
		    "the flag and the missing route");
	else if (!k->has_localnet_reason)
		say(buf, len, "reason inferred (no SKB_DROP_REASON_IP_LOCALNET "
		    "before 6.13): martians told apart by the flag and the missing route");
	if (!bpf_program__autoload(skel->progs.lnw_sk_data_ready))
		say_left_out(k, "lnw_sk_data_ready", "delivery none",
			     "no delivered verdict, no EXPOSED, accepted packets end at "
			     "their accept or their drop",
			     "no sock:sk_data_ready tracepoint: Linux 6.3", buf, len);
	if (!bpf_program__autoload(skel->progs.lnw_ksym))
		say_left_out(k, "lnw_ksym", "location kallsyms",
			     "each new drop location costs a scan of /proc/kallsyms, done "
			     "for -j and -w only", "forced", buf, len);
	if (!flag_writes_seen)
		say_left_out(k, "lnw_sysctl", "flag writes periodic-read",
			     "route_localnet changes found within 0.1 s (all) to a few s "
			     "(devices), writer unknown",
			     "the cgroup/sysctl program could not be attached", buf, len);
}

void lnw_kernel_release(struct lnw_kernel *k)
{
	size_t i;

	for (i = 0; i < LNW_MAX_DROP_REASONS; i++)
		free(k->drop_reasons[i]);
	memset(k->drop_reasons, 0, sizeof(k->drop_reasons));
}

void lnw_kernel_print_missing(FILE *f, const struct lnwatch_bpf *skel,
			      const struct lnw_kernel *k, bool flag_writes_seen)
{
	char gaps[1024];

	lnw_kernel_degraded(skel, k, flag_writes_seen, gaps, sizeof(gaps));
	if (gaps[0])
		fprintf(f, "lnwatch: missing on this kernel: %s\n", gaps);
}

/* One lookup per event: a table, not a scan of the BTF. */
const char *lnw_drop_reason_name(const struct lnw_kernel *k, unsigned int value)
{
	return value < LNW_MAX_DROP_REASONS ? k->drop_reasons[value] : NULL;
}
