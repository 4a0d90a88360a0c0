# Docker's shape with the raw PREROUTING drop newer Docker adds for ports
# published on 127.0.0.1, and a guard in INPUT for udp.
ipt() { iptables-nft "$@"; }
ipt -t nat -N DOCKER
ipt -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
ipt -t nat -A DOCKER -i docker0 -j RETURN
ipt -t nat -A DOCKER -d 127.0.0.1/32 ! -i docker0 -p tcp -m tcp --dport 6000 -j DNAT --to-destination 172.17.0.2:80
ipt -t raw -A PREROUTING -d 127.0.0.1/32 ! -i lo -p tcp -m tcp --dport 6000 -j DROP
ipt -N DOCKER-USER
ipt -A FORWARD -j DOCKER-USER
ipt -A DOCKER-USER -j RETURN
ipt -A INPUT -i eth0 -p udp -d 127.0.0.0/8 -j DROP
