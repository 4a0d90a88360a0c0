// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * blast: traffic for tests/bench, as fast as one CPU makes it, counted
 * exactly. tests/e2e/pktgen sends one frame per sendto(); this batches.
 *
 *   blast raw IFACE DST_MAC SADDR DADDR SPORT DPORT COUNT
 *       COUNT crafted Ethernet/IPv4/UDP frames (pktgen's frame, 8 bytes of
 *       payload) on an AF_PACKET socket with PACKET_QDISC_BYPASS, in
 *       sendmmsg() batches of 64. Exact: a short batch is resent from
 *       where the kernel stopped, ENOBUFS is retried.
 *   blast udp-send DADDR DPORT SECONDS [LEN]
 *       UDP datagrams of LEN bytes (default 18) to DADDR:DPORT from a
 *       connected socket, in sendmmsg() batches, for SECONDS.
 *   blast udp-recv PORT SECONDS
 *       Count datagrams arriving on PORT (recvmmsg) for SECONDS after the
 *       first one; stops early after 0.5 s of silence.
 *
 * Prints one line of JSON: {"sent"|"received":N,"seconds":S,"pps":P}.
 * Exit status 0, 1 on an error, 2 on bad arguments.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "testutil.h"

#define BATCH 64
#define MAX_LEN 1472

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || !*s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static void report(const char *what, long n, double secs)
{
	printf("{\"%s\":%ld,\"seconds\":%.6f,\"pps\":%.0f}\n", what, n, secs,
	       secs > 0 ? (double)n / secs : 0);
}

static int blast_raw(char **argv)
{
	uint8_t frame[64] = {}, dst[6];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct ether_header *eth = (void *)frame;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	struct mmsghdr msgs[BATCH];
	struct iovec iov;
	struct ifreq ifr = {};
	long count, sport, dport, sent = 0;
	int fd, one = 1, i, n;
	double t0;

	if (sscanf(argv[1], "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &dst[0], &dst[1],
		   &dst[2], &dst[3], &dst[4], &dst[5]) != 6 ||
	    inet_pton(AF_INET, argv[2], &ip->saddr) != 1 ||
	    inet_pton(AF_INET, argv[3], &ip->daddr) != 1 ||
	    parse_long(argv[4], 0, 65535, &sport) ||
	    parse_long(argv[5], 0, 65535, &dport) ||
	    parse_long(argv[6], 1, 1L << 40, &count))
		return 2;
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("socket(AF_PACKET)");
		return 1;
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[0]);
	sll.sll_ifindex = (int)if_nametoindex(argv[0]);
	if (!sll.sll_ifindex || ioctl(fd, SIOCGIFHWADDR, &ifr)) {
		perror(argv[0]);
		return 1;
	}
	/* straight to the driver: no qdisc (veth has none by default) */
	setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	memcpy(eth->ether_dhost, dst, 6);
	memcpy(eth->ether_shost, ifr.ifr_hwaddr.sa_data, 6);
	eth->ether_type = htons(ETHERTYPE_IP);
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons(sizeof(*ip) + sizeof(*udp) + 8);
	ip->check = csum(ip, sizeof(*ip));
	udp->source = htons((uint16_t)sport);
	udp->dest = htons((uint16_t)dport);
	udp->len = htons(sizeof(*udp) + 8);
	memcpy(udp + 1, "lnwatch!", 8); /* UDP checksum 0: none, legal for IPv4 */
	iov.iov_base = frame;
	iov.iov_len = sizeof(*eth) + sizeof(*ip) + sizeof(*udp) + 8;
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
		msgs[i].msg_hdr.msg_name = &sll;
		msgs[i].msg_hdr.msg_namelen = sizeof(sll);
	}
	t0 = now_s();
	while (sent < count) {
		n = (int)(count - sent < BATCH ? count - sent : BATCH);
		n = sendmmsg(fd, msgs, (unsigned int)n, 0);
		if (n < 0) {
			if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR)
				continue; /* nothing sent: the count stays exact */
			perror("sendmmsg");
			return 1;
		}
		sent += n;
	}
	report("sent", sent, now_s() - t0);
	close(fd);
	return 0;
}

static int udp_send(char **argv)
{
	static uint8_t payload[MAX_LEN];
	struct sockaddr_in to = { .sin_family = AF_INET };
	struct mmsghdr msgs[BATCH];
	struct iovec iov;
	long port, secs, len = 18, sent = 0, k = 0;
	double t0, end, t;
	int fd, i, n;

	if (inet_pton(AF_INET, argv[0], &to.sin_addr) != 1 ||
	    parse_long(argv[1], 1, 65535, &port) ||
	    parse_long(argv[2], 1, 3600, &secs) ||
	    (argv[3] && parse_long(argv[3], 1, MAX_LEN, &len)))
		return 2;
	to.sin_port = htons((uint16_t)port);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof(to))) {
		perror("udp socket");
		return 1;
	}
	memset(payload, 'x', sizeof(payload));
	iov.iov_base = payload;
	iov.iov_len = (size_t)len;
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	t0 = now_s();
	end = t0 + (double)secs;
	for (t = t0; t < end; k++) {
		n = sendmmsg(fd, msgs, BATCH, 0);
		if (n < 0) {
			/* ECONNREFUSED: an ICMP error from an earlier datagram */
			if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR ||
			    errno == ECONNREFUSED)
				continue;
			perror("sendmmsg");
			return 1;
		}
		sent += n;
		if (!(k & 15))
			t = now_s();
	}
	report("sent", sent, now_s() - t0);
	close(fd);
	return 0;
}

static int udp_recv(char **argv)
{
	static uint8_t bufs[BATCH][MAX_LEN];
	struct sockaddr_in addr = { .sin_family = AF_INET };
	struct mmsghdr msgs[BATCH];
	struct iovec iovs[BATCH];
	struct pollfd pfd;
	long port, secs, got = 0;
	double first = 0, last = 0, t;
	int fd, i, n, rcvbuf = 4 << 20;

	if (parse_long(argv[0], 1, 65535, &port) ||
	    parse_long(argv[1], 1, 3600, &secs))
		return 2;
	addr.sin_port = htons((uint16_t)port);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		perror("udp bind");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		iovs[i].iov_base = bufs[i];
		iovs[i].iov_len = MAX_LEN;
		msgs[i].msg_hdr.msg_iov = &iovs[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	printf("{\"listening\":%ld}\n", port);
	fflush(stdout);
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		n = recvmmsg(fd, msgs, BATCH, 0, NULL);
		t = now_s();
		if (n > 0) {
			if (!got)
				first = t;
			got += n;
			last = t;
			if (t - first >= (double)secs)
				break;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			perror("recvmmsg");
			return 1;
		}
		if (got && t - last > 0.5)
			break;
		if (!got && poll(&pfd, 1, (int)(secs * 1000 + 5000)) == 0)
			break; /* nothing came at all */
		if (got)
			poll(&pfd, 1, 100);
	}
	report("received", got, last - first);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	int ret = 2;

	if (argc == 9 && !strcmp(argv[1], "raw"))
		ret = blast_raw(argv + 2);
	else if ((argc == 5 || argc == 6) && !strcmp(argv[1], "udp-send"))
		ret = udp_send(argv + 2);
	else if (argc == 4 && !strcmp(argv[1], "udp-recv"))
		ret = udp_recv(argv + 2);
	if (ret == 2)
		fprintf(stderr,
			"usage: %s raw IFACE DST_MAC SADDR DADDR SPORT DPORT COUNT\n"
			"       %s udp-send DADDR DPORT SECONDS [LEN]\n"
			"       %s udp-recv PORT SECONDS\n", argv[0], argv[0], argv[0]);
	return ret;
}
