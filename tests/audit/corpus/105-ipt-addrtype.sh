# -m addrtype --dst-type LOCAL: 127.0.0.1 is local.
iptables-nft -A INPUT -i eth0 -m addrtype --dst-type LOCAL -d 127.0.0.0/8 -j DROP
