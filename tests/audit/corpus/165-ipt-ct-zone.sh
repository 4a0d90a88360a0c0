# -j CT --zone (no notrack): neutral; the guard after it is certain.
iptables-nft -t raw -A PREROUTING -i eth0 -j CT --zone 5
iptables-nft -A INPUT -i eth0 -d 127.0.0.0/8 -j DROP
