# `-p 8125:8125/udp -p 8126:8126` with the audit's fix in place: a raw
# PREROUTING drop of 127.0.0.0/8 from every device but lo.
ipt() { iptables-nft "$@"; }
ipt -t nat -N DOCKER
ipt -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
ipt -t nat -A DOCKER ! -i docker0 -p udp -m udp --dport 8125 -j DNAT --to-destination 172.17.0.2:8125
ipt -t nat -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8126 -j DNAT --to-destination 172.17.0.2:8126
ipt -t raw -I PREROUTING ! -i lo -d 127.0.0.0/8 -j DROP
