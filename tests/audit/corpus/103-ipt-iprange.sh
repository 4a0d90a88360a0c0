# -m iprange: not read (may-drop).
iptables-nft -A INPUT -m iprange --dst-range 127.0.0.1-127.0.0.1 -j DROP
