# iptables-nft DNAT blocked by a guard without the exemption.
iptables-nft -t nat -A PREROUTING -i eth0 -p udp --dport 8080 -j DNAT --to-destination 127.0.0.1:5000
iptables-nft -A INPUT ! -i lo -d 127.0.0.0/8 -j DROP
