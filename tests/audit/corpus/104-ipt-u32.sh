# -m u32 (destination address 127.0.0.1): not read (may-drop).
iptables-nft -A INPUT -m u32 --u32 "16=0x7f000001" -j DROP
