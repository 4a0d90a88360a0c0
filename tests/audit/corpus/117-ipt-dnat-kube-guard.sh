# iptables-nft DNAT with kube-proxy's guard: DNAT works, direct dropped.
iptables-nft -t nat -A PREROUTING -i eth0 -p udp --dport 8080 -j DNAT --to-destination 127.0.0.1:5000
iptables-nft -t nat -A PREROUTING -i eth0 -p tcp --dport 8081 -j DNAT --to-destination 127.0.0.1:5001
iptables-nft -A INPUT ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
