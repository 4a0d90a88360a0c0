// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * pktgen: write crafted Ethernet/IPv4/UDP frames on an interface with an
 * AF_PACKET socket, as a neighbour on the L2 segment would (the
 * CVE-2020-8558 case: IPv4 destination 127.0.0.1 to the node's MAC).
 * IPv6 addresses make an IPv6 frame (::1 on a wire); -t a TCP SYN.
 *
 * usage: pktgen [-t] IFACE DST_MAC SADDR DADDR SPORT DPORT COUNT [VLAN_ID]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <linux/if_packet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include "testutil.h"

static int parse_mac(const char *s, uint8_t mac[6])
{
	return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1],
		      &mac[2], &mac[3], &mac[4], &mac[5]) == 6 ? 0 : -1;
}

#define PAYLOAD "lnwatch!"
#define L4_MAX (sizeof(struct tcphdr) + sizeof(PAYLOAD) - 1)

/* The UDP datagram or TCP SYN at l4 (checksum left 0); its length. */
static size_t put_l4(uint8_t *l4, bool tcp, const char *sport, const char *dport)
{
	struct tcphdr *th = (void *)l4;
	struct udphdr *udp = (void *)l4;
	size_t hl = tcp ? sizeof(*th) : sizeof(*udp);

	/* the ports are where UDP's are in both */
	udp->source = htons((uint16_t)atoi(sport));
	udp->dest = htons((uint16_t)atoi(dport));
	if (tcp) {
		th->seq = htonl(1);
		th->doff = sizeof(*th) / 4;
		th->syn = 1;
		th->window = htons(1024);
	} else {
		udp->len = htons((uint16_t)(hl + sizeof(PAYLOAD) - 1));
	}
	memcpy(l4 + hl, PAYLOAD, sizeof(PAYLOAD) - 1);
	return hl + sizeof(PAYLOAD) - 1;
}

/* The transport checksum over the IPv6 pseudo-header (RFC 8200 8.1). */
static uint16_t csum6(const struct ip6_hdr *ip6, const uint8_t *l4, size_t len)
{
	uint8_t buf[40 + L4_MAX] = {};

	memcpy(buf, &ip6->ip6_src, 32);
	buf[35] = (uint8_t)len;
	buf[39] = ip6->ip6_nxt;
	memcpy(buf + 40, l4, len);
	return csum(buf, 40 + len);
}

int main(int argc, char **argv)
{
	uint8_t frame[128] = {}, dst[6];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct ifreq ifr = {};
	struct ether_header *eth = (void *)frame;
	struct iphdr *ip;
	struct ip6_hdr *ip6;
	uint8_t *l4;
	uint16_t *l4sum, l3type;
	size_t off = sizeof(*eth), len, l4len;
	long count, i, vlan = -1;
	bool tcp = argc > 1 && !strcmp(argv[1], "-t"), v6;
	int fd;

	argc -= tcp;
	argv += tcp;
	if (argc < 8 || argc > 9 || parse_mac(argv[2], dst)) {
		fprintf(stderr, "usage: pktgen [-t] IFACE DST_MAC SADDR DADDR SPORT DPORT "
			"COUNT [VLAN]\n");
		return 2;
	}
	v6 = strchr(argv[3], ':') != NULL;
	l3type = htons(v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IP);
	count = strtol(argv[7], NULL, 10);
	if (argc == 9)
		vlan = strtol(argv[8], NULL, 10);
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("socket(AF_PACKET)");
		return 1;
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[1]);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) || !(sll.sll_ifindex = (int)if_nametoindex(argv[1]))) {
		perror(argv[1]);
		return 1;
	}
	memcpy(eth->ether_dhost, dst, 6);
	memcpy(eth->ether_shost, ifr.ifr_hwaddr.sa_data, 6);
	if (vlan >= 0) {
		eth->ether_type = htons(ETHERTYPE_VLAN);
		*(uint16_t *)(frame + off) = htons((uint16_t)vlan);
		*(uint16_t *)(frame + off + 2) = l3type;
		off += 4;
	} else {
		eth->ether_type = l3type;
	}
	ip = (void *)(frame + off);
	ip6 = (void *)(frame + off);
	l4 = frame + off + (v6 ? sizeof(*ip6) : sizeof(*ip));
	l4len = put_l4(l4, tcp, argv[5], argv[6]);
	l4sum = tcp ? &((struct tcphdr *)l4)->check : &((struct udphdr *)l4)->check;
	if (v6) {
		ip6->ip6_flow = htonl(6U << 28);
		ip6->ip6_plen = htons((uint16_t)l4len);
		ip6->ip6_nxt = tcp ? IPPROTO_TCP : IPPROTO_UDP;
		ip6->ip6_hlim = 64;
		if (inet_pton(AF_INET6, argv[3], &ip6->ip6_src) != 1 ||
		    inet_pton(AF_INET6, argv[4], &ip6->ip6_dst) != 1) {
			fprintf(stderr, "bad address\n");
			return 2;
		}
		*l4sum = csum6(ip6, l4, l4len); /* mandatory for UDP over IPv6 */
		len = off + sizeof(*ip6) + l4len;
	} else {
		ip->version = 4;
		ip->ihl = 5;
		ip->ttl = 64;
		ip->protocol = tcp ? IPPROTO_TCP : IPPROTO_UDP;
		ip->tot_len = htons((uint16_t)(sizeof(*ip) + l4len));
		if (inet_pton(AF_INET, argv[3], &ip->saddr) != 1 ||
		    inet_pton(AF_INET, argv[4], &ip->daddr) != 1) {
			fprintf(stderr, "bad address\n");
			return 2;
		}
		ip->check = csum(ip, sizeof(*ip));
		/* UDP checksum 0: none, legal for IPv4; a TCP SYN's is left 0
		 * too (its receiver drops it after the route, as ever) */
		len = off + sizeof(*ip) + l4len;
	}
	for (i = 0; i < count; i++) {
		if (sendto(fd, frame, len, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
			if (errno == ENOBUFS) {
				i--; /* queue full: retry, the count must be exact */
				continue;
			}
			perror("sendto");
			return 1;
		}
	}
	close(fd);
	return 0;
}
