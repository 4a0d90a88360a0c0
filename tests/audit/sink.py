#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Loopback-only services for the corpus test, run in the node's namespace:
UDP sockets that log every datagram's destination port and source, and TCP
listeners (a SYN that gets through shows as a SYN-RECV socket in ss).

  sink.py LOG ADDR udp:PORT|tcp:PORT...

Each datagram appends "PORT SADDR SPORT" to LOG. LOG.ready appears once
every socket is bound.
"""
import select
import socket
import sys


def main():
    log, addr, specs = sys.argv[1], sys.argv[2], sys.argv[3:]
    udp = {}
    keep = []
    for spec in specs:
        proto, port = spec.split(":")
        if proto == "udp":
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind((addr, int(port)))
            udp[s.fileno()] = (s, int(port))
        else:
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((addr, int(port)))
            s.listen(4096)
            keep.append(s)
    out = open(log, "a", buffering=1)
    open(log + ".ready", "w").close()
    poll = select.poll()
    for fd in udp:
        poll.register(fd, select.POLLIN)
    while True:
        for fd, _ in poll.poll():
            s, port = udp[fd]
            _, (saddr, sport) = s.recvfrom(2048)
            out.write(f"{port} {saddr} {sport}\n")


if __name__ == "__main__":
    main()
