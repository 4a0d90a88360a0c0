# Docker's iptables shape for `-p 8125:8125/udp -p 8126:8126` on a host
# whose iptables is iptables-legacy: the same DNAT behind -m addrtype
# --dst-type LOCAL, in tables nf_tables does not hold. The audit cannot
# read them: it must say it cannot tell (exit 2), never "nothing exposed",
# while a neighbour's 127.0.0.1:8125 reaches the container.
ipt() { iptables-legacy "$@"; }
ipt -t nat -N DOCKER
ipt -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
ipt -t nat -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
ipt -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
ipt -t nat -A DOCKER -i docker0 -j RETURN
ipt -t nat -A DOCKER ! -i docker0 -p udp -m udp --dport 8125 -j DNAT --to-destination 172.17.0.2:8125
ipt -t nat -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8126 -j DNAT --to-destination 172.17.0.2:8126
ipt -N DOCKER
ipt -N DOCKER-USER
ipt -P FORWARD DROP
ipt -A FORWARD -j DOCKER-USER
ipt -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
ipt -A FORWARD -o docker0 -j DOCKER
ipt -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
ipt -A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p udp -m udp --dport 8125 -j ACCEPT
ipt -A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 8126 -j ACCEPT
ipt -A DOCKER-USER -j RETURN
