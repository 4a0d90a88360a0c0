# -m connmark on a connection nobody marked: its mark is 0, the drop of
# unmarked ones is certain.
iptables-nft -A INPUT -d 127.0.0.0/8 -m connmark ! --mark 0x1/0x1 -j DROP
