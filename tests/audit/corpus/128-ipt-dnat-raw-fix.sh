# The audit's fix for a DNAT host: the raw guard; DNAT keeps working.
iptables-nft -t nat -A PREROUTING -i eth0 -p udp --dport 8080 -j DNAT --to-destination 127.0.0.1:5000
iptables-nft -t nat -A PREROUTING -i eth0 -p tcp --dport 8081 -j DNAT --to-destination 127.0.0.1:5001
iptables-nft -t raw -I PREROUTING -i eth0 -d 127.0.0.0/8 -j DROP
