# iptables-nft DNAT to 127.0.0.1, no guard.
iptables-nft -t nat -A PREROUTING -i eth0 -p udp --dport 8080 -j DNAT --to-destination 127.0.0.1:5000
iptables-nft -t nat -A PREROUTING -i eth0 -p tcp --dport 8081 -j DNAT --to-destination 127.0.0.1:5001
