# -m state --state NEW from eth0.
iptables-nft -A INPUT -i eth0 -m state --state NEW -p udp -j DROP
