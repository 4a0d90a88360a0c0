// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Sockets that take new IPv4 traffic, from the kernel: inet_diag over
 * NETLINK_SOCK_DIAG (what ss(8) reads), never by parsing ss output. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/tcp.h>

#include "lib/netlink.h"
#include "lib/text.h"
#include "lib/util.h"
#include "sockets.h"

/* The IPv4 address an AF_INET6 socket takes traffic for, if any. */
static bool v6_takes_ipv4(const __be32 a[4], const struct nlattr *v6only,
			  struct in_addr *out)
{
	if (!a[0] && !a[1] && a[2] == htonl(0xffff)) { /* ::ffff:a.b.c.d */
		out->s_addr = a[3];
		return true;
	}
	/* "::" without IPV6_V6ONLY takes IPv4 on every address */
	if (!a[0] && !a[1] && !a[2] && !a[3] && v6only && !mnl_attr_get_u8(v6only)) {
		out->s_addr = INADDR_ANY;
		return true;
	}
	return false;
}

static int diag_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[INET_DIAG_MAX + 1] = {};
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	struct lnw_audit_socks *s = data;
	struct lnw_audit_sock *it;
	struct in_addr addr;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*m))
		return MNL_CB_OK;
	lnw_nl_parse(nlh, sizeof(*m), tb, INET_DIAG_MAX);
	if (!m->id.idiag_sport)
		return MNL_CB_OK; /* not bound to a port: takes nothing new */
	if (m->idiag_family == AF_INET)
		addr.s_addr = m->id.idiag_src[0];
	else if (!v6_takes_ipv4(m->id.idiag_src, tb[INET_DIAG_SKV6ONLY], &addr))
		return MNL_CB_OK;
	if (lnw_grow(&s->v, &s->cap, s->n + 1, sizeof(*s->v))) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	it = &s->v[s->n++];
	memset(it, 0, sizeof(*it));
	it->proto = m->idiag_state == TCP_LISTEN ? IPPROTO_TCP : IPPROTO_UDP;
	it->addr = addr;
	it->port = ntohs(m->id.idiag_sport);
	it->v6 = m->idiag_family == AF_INET6;
	it->bound_ifindex = (int)m->id.idiag_if;
	it->uid = m->idiag_uid;
	it->inode = m->idiag_inode;
	it->owner.pid = -1;
	return MNL_CB_OK;
}

static int dump(struct lnw_audit_socks *s, unsigned char family,
		unsigned char proto, unsigned int states)
{
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct inet_diag_req_v2 *r;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_DUMP;
	r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
	r->sdiag_family = family;
	r->sdiag_protocol = proto;
	r->idiag_states = states;
	return lnw_nl_request(NETLINK_SOCK_DIAG, nlh, diag_cb, s);
}

static int sock_cmp(const void *a, const void *b)
{
	const struct lnw_audit_sock *x = a, *y = b;
	uint32_t xa = ntohl(x->addr.s_addr), ya = ntohl(y->addr.s_addr);

	if (x->proto != y->proto)
		return x->proto - y->proto;
	if (xa != ya)
		return xa < ya ? -1 : 1;
	return x->port - y->port;
}

int lnw_audit_socks_read(struct lnw_audit_socks *out, char *err, size_t len)
{
	/* TCP: listeners; UDP: unconnected (TCP_CLOSE), which take datagrams
	 * from anyone. A connected UDP socket only takes its peer's. */
	static const struct { unsigned char proto; unsigned int states; } kinds[] = {
		{ IPPROTO_TCP, 1u << TCP_LISTEN },
		{ IPPROTO_UDP, 1u << TCP_CLOSE },
	};
	static const unsigned char families[] = { AF_INET, AF_INET6 };
	size_t k, f, i;
	int ret;

	memset(out, 0, sizeof(*out));
	for (k = 0; k < LNW_ARRAY_SIZE(kinds); k++)
		for (f = 0; f < LNW_ARRAY_SIZE(families); f++) {
			ret = dump(out, families[f], kinds[k].proto, kinds[k].states);
			/* no IPv6 in this kernel: nothing to list there */
			if (ret == -ENOENT && families[f] == AF_INET6)
				ret = 0;
			if (ret) {
				snprintf(err, len, "cannot list %s sockets (sock_diag): %s",
					 kinds[k].proto == IPPROTO_TCP ? "TCP" : "UDP",
					 strerror(-ret));
				return ret;
			}
		}
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), sock_cmp);
	for (i = 0; i < out->n; i++)
		if (lnw_audit_sock_loopback_only(&out->v[i]))
			lnw_audit_sock_resolve_owner(&out->v[i]);
	return 0;
}

void lnw_audit_socks_free(struct lnw_audit_socks *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

bool lnw_audit_sock_loopback_only(const struct lnw_audit_sock *s)
{
	return lnw_is_loopback4(s->addr.s_addr);
}

void lnw_audit_sock_resolve_owner(struct lnw_audit_sock *s)
{
	if (s->owner_looked_up)
		return;
	s->owner_looked_up = true;
	if (lnw_sock_owner(s->inode, &s->owner))
		s->owner.pid = -1;
}

struct lnw_audit_sock *lnw_audit_socks_lookup(const struct lnw_audit_socks *s,
					      unsigned char proto, struct in_addr addr,
					      unsigned short port, int ifindex)
{
	struct lnw_audit_sock *wild = NULL;
	size_t i;

	for (i = 0; i < s->n; i++) {
		struct lnw_audit_sock *it = &s->v[i];

		if (it->proto != proto || it->port != port ||
		    (it->bound_ifindex && it->bound_ifindex != ifindex))
			continue;
		if (it->addr.s_addr == addr.s_addr)
			return it;
		if (it->addr.s_addr == INADDR_ANY && !wild)
			wild = it;
	}
	return wild;
}

void lnw_audit_user_name(unsigned int uid, char *buf, size_t len)
{
	struct passwd pw, *res = NULL;
	char tmp[1024];

	if (!getpwuid_r(uid, &pw, tmp, sizeof(tmp), &res) && res)
		snprintf(buf, len, "%s", res->pw_name);
	else
		snprintf(buf, len, "%u", uid);
}
