# Docker's shape (moby libnetwork iptables): DOCKER chains in nat and
# filter, DOCKER-USER and isolation stages in FORWARD, a port published
# on 127.0.0.1 to a container. Nothing of it guards the node's own
# loopback services.
ipt() { iptables-nft "$@"; }
ipt -t nat -N DOCKER
ipt -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
ipt -t nat -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
ipt -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
ipt -t nat -A DOCKER -i docker0 -j RETURN
ipt -t nat -A DOCKER -d 127.0.0.1/32 ! -i docker0 -p tcp -m tcp --dport 6000 -j DNAT --to-destination 172.17.0.2:80
ipt -N DOCKER
ipt -N DOCKER-USER
ipt -N DOCKER-ISOLATION-STAGE-1
ipt -N DOCKER-ISOLATION-STAGE-2
ipt -P FORWARD DROP
ipt -A FORWARD -j DOCKER-USER
ipt -A FORWARD -j DOCKER-ISOLATION-STAGE-1
ipt -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
ipt -A FORWARD -o docker0 -j DOCKER
ipt -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
ipt -A FORWARD -i docker0 -o docker0 -j ACCEPT
ipt -A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT
ipt -A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
ipt -A DOCKER-ISOLATION-STAGE-1 -j RETURN
ipt -A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
ipt -A DOCKER-ISOLATION-STAGE-2 -j RETURN
ipt -A DOCKER-USER -j RETURN
