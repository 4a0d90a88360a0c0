#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Small socket peers for the end-to-end tests (run inside a test netns).

  udp-server ADDR PORT COUNTFILE   reply "pong" to each datagram; count them
  tcp-server ADDR PORT COUNTFILE   accept connections; count them
  udp-client ADDR PORT N TIMEOUT   send N datagrams; print replies received
  tcp-client ADDR PORT TIMEOUT     print 1 if connect succeeds, else 0
  tun-send DEV SRC DST DPORT N     write N UDP datagrams into tun DEV, as if
                                   received on it (a device with no L2 header)
  frag-send DEV MAC SRC DST DPORT ORDER  one UDP datagram as three IPv4
                                   fragments on DEV to MAC, sent in ORDER
                                   (e.g. 012, 210); ID varies per call
  set-localnet DEV VALUE           route_localnet of DEV over rtnetlink
                                   (IFLA_INET_CONF), not through /proc/sys
"""
import os
import socket
import sys


def write_count(path, n):
    with open(path + ".tmp", "w") as f:
        f.write(f"{n}\n")
    # rename: a reader never sees a half-written file
    import os
    os.replace(path + ".tmp", path)


def udp_server(addr, port, countfile):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, int(port)))
    n = 0
    write_count(countfile, n)
    while True:
        _, peer = s.recvfrom(2048)
        n += 1
        write_count(countfile, n)
        try:
            s.sendto(b"pong", peer)
        except OSError:
            pass  # the kernel may refuse the reply route: that is the test


def tcp_server(addr, port, countfile):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, int(port)))
    s.listen(64)
    n = 0
    write_count(countfile, n)
    while True:
        c, _ = s.accept()
        n += 1
        write_count(countfile, n)
        c.close()


def udp_client(addr, port, n, timeout):
    got = 0
    for _ in range(int(n)):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(float(timeout))
        try:
            s.sendto(b"ping", (addr, int(port)))
            s.recv(64)
            got += 1
        except OSError:
            pass
        s.close()
    print(got)


def tcp_client(addr, port, timeout):
    s = socket.socket()
    s.settimeout(float(timeout))
    try:
        s.connect((addr, int(port)))
        print(1)
    except OSError:
        print(0)
    finally:
        s.close()


def ip_checksum(hdr):
    total = sum(int.from_bytes(hdr[i:i + 2], "big") for i in range(0, len(hdr), 2))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def tun_send(dev, src, dst, dport, n):
    import fcntl
    import os
    import struct
    TUNSETIFF, IFF_TUN, IFF_NO_PI = 0x400454CA, 0x0001, 0x1000
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", dev.encode(), IFF_TUN | IFF_NO_PI))
    payload = b"ping"
    for i in range(int(n)):
        udp = struct.pack("!HHHH", 40000, int(dport), 8 + len(payload), 0) + payload
        hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i + 1, 0, 64, 17, 0,
                          socket.inet_aton(src), socket.inet_aton(dst))
        hdr = hdr[:10] + struct.pack("!H", ip_checksum(hdr)) + hdr[12:]
        os.write(fd, hdr + udp)
    os.close(fd)


def frag_send(dev, mac, src, dst, dport, order):
    import random
    import struct
    payload = b"fragmented ping, forty bytes of it!!!!!"[:40]
    udp = struct.pack("!HHHH", 40000, int(dport), 8 + len(payload), 0) + payload
    ident = random.randrange(1, 65535)
    pieces = [udp[i:i + 16] for i in range(0, len(udp), 16)]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((dev, 0))
    eth = bytes.fromhex(mac.replace(":", "")) + b"\x02\0\0\0\0\x01" + b"\x08\x00"
    for i in (int(c) for c in order):
        more = 0x2000 if i < len(pieces) - 1 else 0
        hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(pieces[i]), ident,
                          more | (i * 16 // 8), 64, 17, 0,
                          socket.inet_aton(src), socket.inet_aton(dst))
        hdr = hdr[:10] + struct.pack("!H", ip_checksum(hdr)) + hdr[12:]
        s.send(eth + hdr + pieces[i])
    s.close()


def set_localnet(dev, value):
    import struct
    RTM_SETLINK, NLM_F_REQUEST, NLM_F_ACK = 19, 1, 4
    IFLA_AF_SPEC, IFLA_INET_CONF, IPV4_DEVCONF_ROUTE_LOCALNET = 26, 1, 26

    def attr(kind, payload):
        a = struct.pack("HH", 4 + len(payload), kind) + payload
        return a + b"\0" * (-len(a) % 4)
    conf = attr(IPV4_DEVCONF_ROUTE_LOCALNET, struct.pack("I", int(value)))
    body = struct.pack("BxHiII", socket.AF_UNSPEC, 0, socket.if_nametoindex(dev), 0, 0)
    body += attr(IFLA_AF_SPEC, attr(socket.AF_INET, attr(IFLA_INET_CONF, conf)))
    msg = struct.pack("IHHII", 16 + len(body), RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK, 1, 0)
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    s.sendto(msg + body, (0, 0))
    reply = s.recv(4096)
    err = struct.unpack("i", reply[16:20])[0]
    if err:
        sys.exit(f"RTM_SETLINK: {os.strerror(-err)}")


if __name__ == "__main__":
    cmds = {"udp-server": udp_server, "tcp-server": tcp_server,
            "udp-client": udp_client, "tcp-client": tcp_client,
            "tun-send": tun_send, "set-localnet": set_localnet,
            "frag-send": frag_send}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        sys.exit(__doc__)
    cmds[sys.argv[1]](*sys.argv[2:])
