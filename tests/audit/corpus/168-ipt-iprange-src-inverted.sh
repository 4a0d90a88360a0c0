# Sources outside a range dropped: a forged 127.0.0.5 is inside.
iptables-nft -A INPUT -d 127.0.0.0/8 -m iprange ! --src-range 127.0.0.1-127.255.255.255 -j DROP
