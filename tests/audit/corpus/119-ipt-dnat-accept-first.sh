# An ACCEPT in nat PREROUTING before the DNAT: the DNAT never runs.
iptables-nft -t nat -A PREROUTING -p udp --dport 8080 -j ACCEPT
iptables-nft -t nat -A PREROUTING -p udp --dport 8080 -j DNAT --to-destination 127.0.0.1:5000
