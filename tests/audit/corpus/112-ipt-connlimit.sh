# -m connlimit above 10: a first connection is under it.
iptables-nft -A INPUT -p tcp -d 127.0.0.0/8 -m connlimit --connlimit-above 10 -j DROP
