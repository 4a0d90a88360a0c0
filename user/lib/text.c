// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Text every output shares: escaped names, addresses, protocol names. */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "text.h"
#include "util.h"

bool lnw_named_find(const struct lnw_named *t, size_t n, const char *name,
		    uint32_t *val)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(t[i].name, name)) {
			*val = t[i].val;
			return true;
		}
	return false;
}

/* The three lnwatch decodes first: events are named by them alone, and the
 * drain names every event's protocol. */
const struct lnw_named lnw_protos[] = {
	{ "tcp", 6 }, { "udp", 17 }, { "icmp", 1 }, { "dccp", 33 }, { "gre", 47 },
	{ "esp", 50 }, { "ah", 51 }, { "sctp", 132 }, { "udplite", 136 },
};
const size_t lnw_n_protos = LNW_ARRAY_SIZE(lnw_protos);

const char *lnw_proto_name(__u8 proto, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < 3; i++)
		if (lnw_protos[i].val == proto)
			return lnw_protos[i].name;
	if (!buf || !len)
		return "?";
	snprintf(buf, len, "%u", proto);
	return buf;
}

bool lnw_proto_has_ports(__u8 proto)
{
	return proto == 6 || proto == 17;
}

bool lnw_is_loopback4(__u32 be_addr)
{
	return lnw_is_loopback_host(ntohl(be_addr));
}

void lnw_name_printable(const char *in, char *out, size_t outlen)
{
	size_t o = 0;

	for (; *in && o + 5 < outlen; in++) {
		unsigned char c = (unsigned char)*in;

		if (c > 0x20 && c < 0x7f && c != '\\')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", c);
	}
	out[o] = '\0';
}

size_t lnw_utf8_seq_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf; /* allowed range of 2nd byte */
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

void lnw_name_utf8(const char *in, char *out, size_t outlen)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0;

	while (*s && o + 4 < outlen) {
		size_t n = lnw_utf8_seq_len(s);

		if (n) {
			memcpy(out + o, s, n);
			o += n;
			s += n;
		} else {
			memcpy(out + o, "\xef\xbf\xbd", 3); /* U+FFFD */
			o += 3;
			s++;
		}
	}
	out[o] = '\0';
}

char *lnw_put_uint(char *p, unsigned long long v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

void lnw_format_addr(char *buf, size_t len, __u32 be_addr, __u16 port,
		     __u8 proto)
{
	const unsigned char *b = (const unsigned char *)&be_addr;
	char tmp[sizeof("255.255.255.255:65535")], *p = tmp;
	size_t n;
	int i;

	for (i = 0; i < 4; i++) {
		p = lnw_put_uint(p, b[i]);
		*p++ = i < 3 ? '.' : '\0';
	}
	if (lnw_proto_has_ports(proto)) {
		p[-1] = ':';
		p = lnw_put_uint(p, port);
		*p++ = '\0';
	}
	if (!len)
		return;
	n = (size_t)(p - tmp) < len ? (size_t)(p - tmp) : len;
	memcpy(buf, tmp, n);
	buf[n - 1] = '\0';
}

void lnw_format_addr6(char *buf, size_t len, const __u8 addr[16], __u16 port,
		      __u8 proto)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(AF_INET6, addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	if (lnw_proto_has_ports(proto))
		snprintf(buf, len, "[%s]:%u", a, port);
	else
		snprintf(buf, len, "%s", a);
}

void lnw_name_shorten(char *name, size_t width)
{
	size_t cut = width - 1, k;

	if (strlen(name) <= width || width < 5)
		return;
	for (k = 1; k <= 3; k++)
		if (name[cut - k] == '\\') {
			cut -= k;
			break;
		}
	strcpy(name + cut, "~");
}
