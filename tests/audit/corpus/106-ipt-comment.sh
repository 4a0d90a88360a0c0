# -m comment changes nothing.
iptables-nft -A INPUT -i eth0 -p tcp -d 127.0.0.1 -m comment --comment "no loopback from the link" -j REJECT --reject-with tcp-reset
iptables-nft -A INPUT -i eth0 -p udp -d 127.0.0.1 -m comment --comment "no loopback from the link" -j REJECT
