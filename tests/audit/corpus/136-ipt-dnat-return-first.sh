# RETURN in a user chain before the DNAT in PREROUTING: it still runs.
iptables-nft -t nat -N SKIP
iptables-nft -t nat -A SKIP -p udp --dport 8080 -j RETURN
iptables-nft -t nat -A PREROUTING -j SKIP
iptables-nft -t nat -A PREROUTING -p udp --dport 8080 -j DNAT --to-destination 127.0.0.1:5000
