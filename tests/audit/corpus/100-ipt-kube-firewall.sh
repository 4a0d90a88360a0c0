# kube-proxy's KUBE-FIREWALL guard (iptables-nft): conntrack ! RELATED,ESTABLISHED,DNAT
iptables-nft -N KUBE-FIREWALL
iptables-nft -A INPUT -j KUBE-FIREWALL
iptables-nft -A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 \
	-m comment --comment "block incoming localnet connections" \
	-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
