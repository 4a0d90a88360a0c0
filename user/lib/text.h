/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_LIB_TEXT_H
#define LNW_LIB_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

/* Room for any name made printable: every byte may become \xNN. */
#define LNW_PRINTABLE_LEN(raw_len) (4 * (raw_len) + 1)

/* Names from the kernel or from users (interfaces, commands, comments) may
 * hold any byte: make them printable for a terminal (\xNN) ... */
void lnw_name_printable(const char *in, char *out, size_t outlen);
/* Cut a printable name to width columns ending in '~', never inside a \xNN
 * escape (width >= 5). */
void lnw_name_shorten(char *name, size_t width);
/* ... and valid UTF-8 for JSON (invalid bytes become U+FFFD). */
void lnw_name_utf8(const char *in, char *out, size_t outlen);
/* Length of the valid UTF-8 sequence at s, or 0 (RFC 3629 table 2: no
 * overlong forms, no surrogates, nothing above U+10FFFF); never reads past
 * a '\0'. */
size_t lnw_utf8_seq_len(const unsigned char *s);
/* Decimal digits of v at p, no '\0' (up to 20); returns the end.
 * Formatting is most of a drain's cost under a flood: ~10x cheaper than
 * snprintf. */
char *lnw_put_uint(char *p, unsigned long long v);

/* "10.0.0.1", or "10.0.0.1:80" when proto has ports; be_addr in network
 * order. Formatted by hand: ~10x cheaper than snprintf in a flood's drain. */
void lnw_format_addr(char *buf, size_t len, __u32 be_addr, __u16 port,
		     __u8 proto);
/* "fe80::1", or "[fe80::1]:80" when proto has ports (RFC 5952 form). */
void lnw_format_addr6(char *buf, size_t len, const __u8 addr[16], __u16 port,
		      __u8 proto);
/* A name for a value, in tables of kernel constants. */
struct lnw_named {
	const char *name;
	uint32_t val;
};

/* The value named `name` in t[0..n): true and *val, or false. */
bool lnw_named_find(const struct lnw_named *t, size_t n, const char *name,
		    uint32_t *val);

/* IP protocols by name, as nft and iptables spell them. */
extern const struct lnw_named lnw_protos[];
extern const size_t lnw_n_protos;

/* "tcp", "udp", "icmp" (the headers lnwatch decodes), else the number in
 * buf ("?" without one). */
const char *lnw_proto_name(__u8 proto, char *buf, size_t len);
bool lnw_proto_has_ports(__u8 proto);
/* 127.0.0.0/8 in host order, first and last address. */
#define LNW_LOOPBACK_NET 0x7f000000u
#define LNW_LOOPBACK_LAST 0x7fffffffu

/* In 127.0.0.0/8: an address in host order ... */
static inline bool lnw_is_loopback_host(uint32_t host_addr)
{
	return (host_addr >> 24) == 127;
}

/* ... and in network order. */
bool lnw_is_loopback4(__u32 be_addr);

#endif
