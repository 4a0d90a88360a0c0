# Only forged loopback sources dropped.
iptables-nft -A INPUT -s 127.0.0.0/8 ! -i lo -j DROP
