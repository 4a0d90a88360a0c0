# -m ttl: not read.
iptables-nft -A INPUT -d 127.0.0.0/8 -m ttl --ttl-eq 64 -j DROP
