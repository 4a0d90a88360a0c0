# kube-proxy's iptables-mode shape (kubernetes pkg/proxy/iptables): a
# NodePort service (8081) whose endpoint is on 127.0.0.1:5001 behind
# KUBE-NODEPORTS, KUBE-EXT, KUBE-SVC with -m statistic, KUBE-SEP; the
# KUBE-FIREWALL guard in filter INPUT.
ipt() { iptables-nft "$@"; }
ipt -t nat -N KUBE-SERVICES
ipt -t nat -N KUBE-NODEPORTS
ipt -t nat -N KUBE-POSTROUTING
ipt -t nat -N KUBE-MARK-MASQ
ipt -t nat -N KUBE-EXT-WEB
ipt -t nat -N KUBE-SVC-WEB
ipt -t nat -N KUBE-SEP-A
ipt -t nat -N KUBE-SEP-B
ipt -t nat -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
ipt -t nat -A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
ipt -t nat -A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
ipt -t nat -A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
ipt -t nat -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
ipt -t nat -A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
ipt -t nat -A KUBE-POSTROUTING -j MASQUERADE
ipt -t nat -A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-SVC-WEB
ipt -t nat -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
ipt -t nat -A KUBE-NODEPORTS -p tcp -m comment --comment "default/web:http" -m tcp --dport 8081 -j KUBE-EXT-WEB
ipt -t nat -A KUBE-EXT-WEB -m comment --comment "masquerade traffic for default/web:http external destinations" -j KUBE-MARK-MASQ
ipt -t nat -A KUBE-EXT-WEB -j KUBE-SVC-WEB
ipt -t nat -A KUBE-SVC-WEB -m comment --comment "default/web:http -> 127.0.0.1:5001" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-A
ipt -t nat -A KUBE-SVC-WEB -j KUBE-SEP-B
ipt -t nat -A KUBE-SEP-A -s 127.0.0.1/32 -j KUBE-MARK-MASQ
ipt -t nat -A KUBE-SEP-A -p tcp -m tcp -j DNAT --to-destination 127.0.0.1:5001
ipt -t nat -A KUBE-SEP-B -p tcp -m tcp -j DNAT --to-destination 127.0.0.1:5001
ipt -N KUBE-FIREWALL
ipt -N KUBE-FORWARD
ipt -N KUBE-EXTERNAL-SERVICES
ipt -A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally visible service portals" -j KUBE-EXTERNAL-SERVICES
ipt -A INPUT -j KUBE-FIREWALL
ipt -A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
ipt -A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
ipt -A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
