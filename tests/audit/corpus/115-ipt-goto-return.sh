# -g and RETURN: the neighbour's subnet returns to INPUT and is dropped.
iptables-nft -N SRC-CLASS
iptables-nft -N TRUSTED
iptables-nft -A TRUSTED -j ACCEPT
iptables-nft -A SRC-CLASS -s 10.0.0.0/8 -j RETURN
iptables-nft -A SRC-CLASS -g TRUSTED
iptables-nft -A INPUT -j SRC-CLASS
iptables-nft -A INPUT -d 127.0.0.0/8 -j DROP
