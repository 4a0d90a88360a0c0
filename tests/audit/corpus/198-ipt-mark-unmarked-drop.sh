# -m mark ! --mark: a packet nobody marked (mark 0) is dropped for certain.
iptables-nft -A INPUT -d 127.0.0.0/8 -m mark ! --mark 0x10/0x10 -j DROP
