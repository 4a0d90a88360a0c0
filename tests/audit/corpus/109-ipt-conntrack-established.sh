# Policy DROP with established accepted: first packets are dropped.
iptables-nft -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
iptables-nft -A INPUT -i lo -j ACCEPT
iptables-nft -A INPUT -p tcp --dport 22 -j ACCEPT
iptables-nft -P INPUT DROP
