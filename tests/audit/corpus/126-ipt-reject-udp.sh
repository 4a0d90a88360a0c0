# REJECT for udp only: tcp stays open.
iptables-nft -A INPUT -i eth0 -p udp -d 127.0.0.0/8 -j REJECT --reject-with icmp-port-unreachable
