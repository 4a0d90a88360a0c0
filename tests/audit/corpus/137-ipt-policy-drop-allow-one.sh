# Policy DROP with one udp port allowed.
iptables-nft -A INPUT -i lo -j ACCEPT
iptables-nft -A INPUT -i eth0 -p udp --dport 5002 -j ACCEPT
iptables-nft -P INPUT DROP
