# -m limit accept before a drop: the first packets are accepted.
iptables-nft -A INPUT -d 127.0.0.0/8 -m limit --limit 100/second -j ACCEPT
iptables-nft -A INPUT -d 127.0.0.0/8 -j DROP
