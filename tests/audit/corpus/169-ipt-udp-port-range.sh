# -m udp with a port range, -m tcp with one port.
iptables-nft -A INPUT -d 127.0.0.0/8 -p udp -m udp --dport 4990:5001 -j DROP
iptables-nft -A INPUT -d 127.0.0.0/8 -p tcp -m tcp --dport 5003 -j DROP
