# Docker's iptables shape for `-p 127.0.0.1:8125:8125/udp` and
# `-p 127.0.0.1:8126:8126` without the raw guard newer Docker adds: the
# DNAT matches -d 127.0.0.1, the neighbour's 127.0.0.1 takes it.
ipt() { iptables-nft "$@"; }
ipt -t nat -N DOCKER
ipt -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
ipt -t nat -A DOCKER -i docker0 -j RETURN
ipt -t nat -A DOCKER -d 127.0.0.1/32 ! -i docker0 -p udp -m udp --dport 8125 -j DNAT --to-destination 172.17.0.2:8125
ipt -t nat -A DOCKER -d 127.0.0.1/32 ! -i docker0 -p tcp -m tcp --dport 8126 -j DNAT --to-destination 172.17.0.2:8126
