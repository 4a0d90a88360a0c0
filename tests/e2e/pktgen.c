// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * pktgen: write crafted Ethernet/IPv4/UDP frames on an interface with an
 * AF_PACKET socket, as a neighbour on the L2 segment would (the
 * CVE-2020-8558 case: IPv4 destination 127.0.0.1 to the node's MAC).
 *
 * usage: pktgen IFACE DST_MAC SADDR DADDR SPORT DPORT COUNT [VLAN_ID]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <linux/if_packet.h>
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

int main(int argc, char **argv)
{
	uint8_t frame[128] = {}, dst[6];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct ifreq ifr = {};
	struct ether_header *eth = (void *)frame;
	struct iphdr *ip;
	struct udphdr *udp;
	size_t off = sizeof(*eth), len;
	long count, i, vlan = -1;
	int fd;

	if (argc < 8 || argc > 9 || parse_mac(argv[2], dst)) {
		fprintf(stderr, "usage: %s IFACE DST_MAC SADDR DADDR SPORT DPORT COUNT [VLAN]\n",
			argv[0]);
		return 2;
	}
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
		*(uint16_t *)(frame + off + 2) = htons(ETHERTYPE_IP);
		off += 4;
	} else {
		eth->ether_type = htons(ETHERTYPE_IP);
	}
	ip = (void *)(frame + off);
	udp = (void *)(ip + 1);
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons(sizeof(*ip) + sizeof(*udp) + 8);
	if (inet_pton(AF_INET, argv[3], &ip->saddr) != 1 ||
	    inet_pton(AF_INET, argv[4], &ip->daddr) != 1) {
		fprintf(stderr, "bad address\n");
		return 2;
	}
	ip->check = csum(ip, sizeof(*ip));
	udp->source = htons((uint16_t)atoi(argv[5]));
	udp->dest = htons((uint16_t)atoi(argv[6]));
	udp->len = htons(sizeof(*udp) + 8);
	memcpy(udp + 1, "lnwatch!", 8); /* UDP checksum 0: none, legal for IPv4 */
	len = off + sizeof(*ip) + sizeof(*udp) + 8;
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
