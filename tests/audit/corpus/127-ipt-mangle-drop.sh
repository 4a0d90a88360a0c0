# A DROP in mangle PREROUTING.
iptables-nft -t mangle -A PREROUTING -i eth0 -d 127.0.0.0/8 -p tcp -j DROP
