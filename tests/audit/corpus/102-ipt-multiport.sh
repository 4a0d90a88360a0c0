# -m multiport: an xt match the audit does not read (may-drop).
iptables-nft -A INPUT -d 127.0.0.0/8 -p udp -m multiport --dports 5000,5002 -j DROP
