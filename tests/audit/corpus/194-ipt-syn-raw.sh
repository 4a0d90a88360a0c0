# -p tcp --syn in raw PREROUTING: xt_tcp drops a first fragment too short
# for its header (hotdrop), so the fragmented SYN does not get through.
iptables-nft -t raw -A PREROUTING -p tcp --syn -d 127.0.0.0/8 -j DROP
