# A DNAT behind -m addrtype --dst-type LOCAL, Docker's way in.
iptables-nft -t nat -N TO-LO
iptables-nft -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j TO-LO
iptables-nft -t nat -A TO-LO -p tcp --dport 8081 -j DNAT --to-destination 127.0.0.1:5001
