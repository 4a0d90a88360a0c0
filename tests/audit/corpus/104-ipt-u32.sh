# -m u32 on the destination address (16=127.0.0.1): an address match.
iptables-nft -A INPUT -m u32 --u32 "16=0x7f000001" -j DROP
