# -m recent: dropped only once seen before (the audit cannot tell).
iptables-nft -A INPUT -d 127.0.0.0/8 -m recent --name lo --rcheck -j DROP
iptables-nft -A INPUT -d 127.0.0.0/8 -m recent --name lo --set
