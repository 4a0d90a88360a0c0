# The raw PREROUTING guard the audit prints as its fix.
iptables-nft -t raw -I PREROUTING -i eth0 -d 127.0.0.0/8 -j DROP
