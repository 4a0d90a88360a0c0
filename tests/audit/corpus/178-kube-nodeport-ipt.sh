# kube-proxy's iptables mode (pkg/proxy/iptables): KUBE-NODEPORTS is the
# last rule of KUBE-SERVICES, behind -m addrtype --dst-type LOCAL, so a
# NodePort (udp 8125, tcp 8126) to a pod at 172.17.0.2 is taken by a
# neighbour's 127.x; KUBE-FIREWALL's localnet drop lets DNAT'd ones pass.
ipt() { iptables-nft "$@"; }
ipt -t nat -N KUBE-SERVICES
ipt -t nat -N KUBE-NODEPORTS
ipt -t nat -N KUBE-MARK-MASQ
ipt -t nat -N KUBE-EXT-U
ipt -t nat -N KUBE-EXT-T
ipt -t nat -N KUBE-SVC-U
ipt -t nat -N KUBE-SVC-T
ipt -t nat -N KUBE-SEP-U
ipt -t nat -N KUBE-SEP-T
ipt -t nat -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
ipt -t nat -A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
ipt -t nat -A KUBE-SERVICES -d 10.96.0.20/32 -p udp -m comment --comment "default/stats cluster IP" -m udp --dport 8125 -j KUBE-SVC-U
ipt -t nat -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
ipt -t nat -A KUBE-NODEPORTS -p udp -m comment --comment "default/stats" -m udp --dport 8125 -j KUBE-EXT-U
ipt -t nat -A KUBE-NODEPORTS -p tcp -m comment --comment "default/web" -m tcp --dport 8126 -j KUBE-EXT-T
ipt -t nat -A KUBE-EXT-U -j KUBE-MARK-MASQ
ipt -t nat -A KUBE-EXT-U -j KUBE-SVC-U
ipt -t nat -A KUBE-EXT-T -j KUBE-MARK-MASQ
ipt -t nat -A KUBE-EXT-T -j KUBE-SVC-T
ipt -t nat -A KUBE-SVC-U -m comment --comment "default/stats -> 172.17.0.2:8125" -j KUBE-SEP-U
ipt -t nat -A KUBE-SVC-T -m comment --comment "default/web -> 172.17.0.2:8126" -j KUBE-SEP-T
ipt -t nat -A KUBE-SEP-U -s 172.17.0.2/32 -j KUBE-MARK-MASQ
ipt -t nat -A KUBE-SEP-U -p udp -m udp -j DNAT --to-destination 172.17.0.2:8125
ipt -t nat -A KUBE-SEP-T -s 172.17.0.2/32 -j KUBE-MARK-MASQ
ipt -t nat -A KUBE-SEP-T -p tcp -m tcp -j DNAT --to-destination 172.17.0.2:8126
ipt -N KUBE-FIREWALL
ipt -A INPUT -j KUBE-FIREWALL
ipt -A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
