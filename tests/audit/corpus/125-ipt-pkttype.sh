# -m pkttype: not read (may-drop).
iptables-nft -A INPUT -d 127.0.0.0/8 -m pkttype --pkt-type unicast -j DROP
