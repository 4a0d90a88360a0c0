# `-p 8125:8125/udp` (every address) next to a guard written for
# `-p 127.0.0.1:...`: it drops 127.0.0.1 only, 127.0.0.2 takes the DNAT.
ipt() { iptables-nft "$@"; }
ipt -t nat -N DOCKER
ipt -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
ipt -t nat -A DOCKER ! -i docker0 -p udp -m udp --dport 8125 -j DNAT --to-destination 172.17.0.2:8125
ipt -t raw -A PREROUTING -d 127.0.0.1/32 ! -i lo -p udp -m udp --dport 8125 -j DROP
