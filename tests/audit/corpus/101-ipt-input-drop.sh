# The plain iptables guard.
iptables-nft -A INPUT ! -i lo -d 127.0.0.0/8 -j DROP
