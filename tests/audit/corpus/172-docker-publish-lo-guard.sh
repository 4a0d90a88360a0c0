# Docker 28's iptables shape for `-p 127.0.0.1:8125:8125/udp` and
# `-p 127.0.0.1:8126:8126`: the DNAT, and in raw PREROUTING a drop of
# remote traffic to the loopback-published port (moby's
# filterPortMappedOnLoopback) and of direct access to the container.
ipt() { iptables-nft "$@"; }
ipt -t nat -N DOCKER
ipt -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
ipt -t nat -A DOCKER -d 127.0.0.1/32 ! -i docker0 -p udp -m udp --dport 8125 -j DNAT --to-destination 172.17.0.2:8125
ipt -t nat -A DOCKER -d 127.0.0.1/32 ! -i docker0 -p tcp -m tcp --dport 8126 -j DNAT --to-destination 172.17.0.2:8126
ipt -t raw -A PREROUTING -d 172.17.0.2/32 ! -i docker0 -j DROP
ipt -t raw -A PREROUTING -d 127.0.0.1/32 ! -i lo -p udp -m udp --dport 8125 -j DROP
ipt -t raw -A PREROUTING -d 127.0.0.1/32 ! -i lo -p tcp -m tcp --dport 8126 -j DROP
