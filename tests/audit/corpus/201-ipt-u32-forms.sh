# -m u32: a masked form (not read: may drop), and the source address
# outside one neighbour's (another neighbour passes).
iptables-nft -A INPUT -p udp -m u32 --u32 "16&0xff000000=0x7f000000" -j DROP
iptables-nft -A INPUT -p tcp -m u32 ! --u32 "12=0x0a630002" -j DROP
