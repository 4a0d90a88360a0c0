# -m multiport on source ports: the neighbour's ports are its own choice.
iptables-nft -A INPUT -d 127.0.0.0/8 -p udp -m multiport --sports 1:1024 -j DROP
