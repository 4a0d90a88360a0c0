// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Ring buffer reader. The BPF side submits without waking us, so
 * ring_buffer__poll() alone would sleep through events (libbpf 1.1): the
 * caller sleeps on the ring's fd with a timeout and we drain with
 * ring_buffer__consume(), stopped at a deadline because a faster producer
 * would keep one call going forever.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <bpf/libbpf.h>

#include "lib/json.h"
#include "lib/links.h"
#include "lib/procs.h"
#include "lib/util.h"
#include "event_line.h"
#include "events.h"
#include "kernel.h"
#include "ksyms.h"
#include "counters.h"
#include "route_hooks.h"
#include "verdict.h"

#define DEADLINE_CHECK_EVERY 256 /* clock_gettime per 256 events */


static long long wall_offset_ns(void)
{
	struct timespec rt;

	clock_gettime(CLOCK_REALTIME, &rt);
	return rt.tv_sec * 1000000000LL + rt.tv_nsec - lnw_mono_ns();
}



/* A local process's packet refused on its way out. Dropped by netfilter,
 * BPF saw no device (the packet had none yet): name the one the route
 * sends it to, with its flags. Refused by the output route, BPF read the
 * device. The sender is the socket's owner, else the process that ran. */
static void local_refused_view(struct lnw_events *ev, struct lnw_event *e,
			       struct lnw_event_view *v, char *ifname, size_t len)
{
	const struct lnw_proc *owner = lnw_owner_cache_get(ev->owners, e->sock_ino);
	int oif;

	if (!e->ifindex) { /* else refused by the route: BPF read the device */
		oif = e->netns == ev->netns ? lnw_route_oif(e->daddr) : -ENOENT;
		if (oif > 0 && if_indextoname((unsigned int)oif, ifname)) {
			e->ifindex = (__u32)oif;
			e->fib_oif = (__u32)oif;
			e->rl_all = (__u8)lnw_route_hooks_flag(ev->hooks, 0, "all");
			e->rl_dev = (__u8)lnw_route_hooks_flag(ev->hooks, oif, ifname);
			e->rl_eff = e->rl_all == LNW_FLAG_UNKNOWN ||
				    e->rl_dev == LNW_FLAG_UNKNOWN ?
				    LNW_FLAG_UNKNOWN : e->rl_all || e->rl_dev;
		} else {
			snprintf(ifname, len, "?");
		}
	}
	e->comm[sizeof(e->comm) - 1] = '\0';
	if (owner && owner->pid > 0) {
		v->pid = owner->pid;
		v->comm = owner->comm;
	} else {
		v->pid = (int)e->pid;
		v->comm = e->comm;
	}
}

/* The line or JSON record of an event, unless -q; both assembled by hand:
 * the drain's cost under a flood. */
static void put_event(struct lnw_events *ev, const struct lnw_event_view *v)
{
	char line[LNW_EVENT_JSON_MAX];

	if (ev->quiet)
		return;
	if (ev->json)
		lnw_event_json_line(v, line, sizeof(line));
	else
		lnw_format_event_line(v, ev->wide, line, sizeof(line));
	fputs(line, ev->out);
	putc('\n', ev->out);
}

static void print_event(struct lnw_events *ev, struct lnw_event *e)
{
	char ifname[IF_NAMESIZE] = "";
	struct lnw_event_view v = { .ev = e, .ifname = ifname, .pid = -1,
				    .latency = ev->latency };
	const struct lnw_proc *owner;

	memcpy(ifname, e->ifname, sizeof(e->ifname) < sizeof(ifname) ?
	       sizeof(e->ifname) : sizeof(ifname));
	ifname[sizeof(ifname) - 1] = '\0';
	if (!ifname[0] && !if_indextoname(e->ifindex, ifname))
		snprintf(ifname, sizeof(ifname), "if%u", e->ifindex);
	if (e->rl_all == LNW_FLAG_UNKNOWN && e->verdict != LNW_LOCAL_REFUSED) {
		/* no kfunc: BPF had no device */
		e->rl_all = (__u8)lnw_route_hooks_flag(ev->hooks, 0, "all");
		e->rl_dev = (__u8)lnw_route_hooks_flag(ev->hooks, (int)e->ifindex, ifname);
	}
	v.reason = e->reason_src != LNW_REASON_NONE ?
		   lnw_drop_reason_name(ev->kernel, e->reason) : NULL;
	v.wall_ns = (long long)e->ts_ns + ev->mono_to_wall_ns;
	/* only where shown: without the kernel's help a name costs ~45 ms */
	if ((ev->json || ev->wide) && !ev->quiet)
		v.location = lnw_ksyms_name(ev->ksyms, e->drop_loc);
	if (e->verdict == LNW_DELIVERED) {
		owner = lnw_owner_cache_get(ev->owners, e->sock_ino);
		if (owner && owner->pid > 0) {
			v.pid = owner->pid;
			v.comm = owner->comm;
		}
	} else if (e->verdict == LNW_REPLY_REFUSED) {
		e->comm[sizeof(e->comm) - 1] = '\0';
		v.pid = (int)e->pid;
		v.comm = e->comm;
	} else if (e->verdict == LNW_LOCAL_REFUSED) {
		/* refused by the route and from no noted peer: a first packet,
		 * unless more peers came than the LRU surely keeps */
		v.maybe_reply = e->ifindex && lnw_stat_read(ev->stats_fd, LNW_STAT_PEERS_NEW) >
					      LNW_PEERS_SURE;
		local_refused_view(ev, e, &v, ifname, sizeof(ifname));
	}
	v.exposure = lnw_is_exposure(e);
	if (v.exposure)
		lnw_exposures_note(&ev->exposures, e, ifname, v.pid, v.comm);
	put_event(ev, &v);
}

/* An IPv6 record, said as IPv4's are: its fields in an IPv4 record, its
 * addresses beside it. The first ::1 drop says once that no knob helps. */
static void print_event6(struct lnw_events *ev, const struct lnw_event6 *e6)
{
	char ifname[IF_NAMESIZE] = "";
	struct lnw_event e = {
		.ts_ns = e6->ts_ns, .netns = e6->netns, .ifindex = e6->ifindex,
		.sport = e6->sport, .dport = e6->dport, .reason = e6->reason,
		.len = e6->len, .latency_ns = e6->latency_ns, .drop_loc = e6->drop_loc,
		.suppressed = e6->suppressed, .proto = e6->proto,
		.verdict = e6->verdict, .reason_src = e6->reason_src,
		.flags = e6->flags, .rl_all = LNW_FLAG_UNKNOWN,
		.rl_dev = LNW_FLAG_UNKNOWN, .rl_eff = LNW_FLAG_UNKNOWN,
	};
	struct lnw_event_view v = { .ev = &e, .ev6 = e6, .ifname = ifname,
				    .pid = -1, .latency = ev->latency };

	memcpy(ifname, e6->ifname, sizeof(e6->ifname) < sizeof(ifname) ?
	       sizeof(e6->ifname) : sizeof(ifname));
	ifname[sizeof(ifname) - 1] = '\0';
	if (!ifname[0] && !if_indextoname(e6->ifindex, ifname))
		snprintf(ifname, sizeof(ifname), "if%u", e6->ifindex);
	v.reason = e6->reason_src != LNW_REASON_NONE ?
		   lnw_drop_reason_name(ev->kernel, e6->reason) : NULL;
	v.wall_ns = (long long)e6->ts_ns + ev->mono_to_wall_ns;
	if ((ev->json || ev->wide) && !ev->quiet)
		v.location = lnw_ksyms_name(ev->ksyms, e6->drop_loc);
	if (!ev->said_lo6 && !ev->json && (e6->verdict == LNW_LO6_DST ||
					   e6->verdict == LNW_LO6_SRC)) {
		fprintf(stderr, "lnwatch: %s\n", LNW_LO6_NOTE);
		ev->said_lo6 = true;
	}
	put_event(ev, &v);
}

/* A record of either ring, copied out (a foreign size is skipped rather
 * than misread) and said. Returning < 0 stops ring_buffer__consume()
 * after this record, at the deadline. */
static int on_record(struct lnw_events *ev, const void *data, size_t len, bool v6)
{
	union {
		struct lnw_event v4;
		struct lnw_event6 v6;
	} r;
	size_t size = v6 ? sizeof(r.v6) : sizeof(r.v4);

	if (len < size)
		return 0;
	memcpy(&r, data, size);
	if (v6)
		print_event6(ev, &r.v6);
	else
		print_event(ev, &r.v4);
	ev->seen++;
	if (ev->seen % DEADLINE_CHECK_EVERY == 0 && lnw_mono_ns() > ev->deadline_ns)
		return -ECANCELED;
	return 0;
}

static int on_event(void *ctx, void *data, size_t len)
{
	return on_record(ctx, data, len, false);
}

int lnw_events_on_record6(void *ctx, void *data, size_t len)
{
	return on_record(ctx, data, len, true);
}

/* Fields the caller set before (json, wide, latency, kernel, hooks) are
 * kept. */
int lnw_events_open(struct lnw_events *ev, int ringbuf_fd, FILE *out,
		    int ksym_prog_fd, const char *ksym_buf)
{
	ev->out = out;
	ev->owners = lnw_owner_cache_new(64);
	ev->ksyms = lnw_ksyms_new("/proc/kallsyms", ksym_prog_fd, ksym_buf);
	if (!ev->owners || !ev->ksyms)
		return -ENOMEM;
	ev->mono_to_wall_ns = wall_offset_ns();
	ev->deadline_ns = lnw_mono_ns();
	ev->rb = ring_buffer__new(ringbuf_fd, on_event, ev, NULL);
	return ev->rb ? 0 : -errno;
}

int lnw_events_drain(struct lnw_events *ev, int budget_ms)
{
	unsigned long long before = ev->seen;
	int ret;

	ev->deadline_ns = lnw_mono_ns() + (long long)budget_ms * 1000000LL;
	ret = ring_buffer__consume(ev->rb);
	if (ret < 0 && ret != -EINTR && ret != -ECANCELED)
		return ret;
	fflush(ev->out);
	return (int)(ev->seen - before);
}

void lnw_events_close(struct lnw_events *ev)
{
	ring_buffer__free(ev->rb);
	ev->rb = NULL;
	lnw_owner_cache_free(ev->owners);
	ev->owners = NULL;
	lnw_ksyms_free(ev->ksyms);
	ev->ksyms = NULL;
}
