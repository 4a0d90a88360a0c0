# A user chain behind -m mark, and MARK in mangle that sets it for udp.
iptables-nft -t mangle -A PREROUTING -p udp -d 127.0.0.0/8 -j MARK --set-mark 0x7
iptables-nft -N LOGDROP
iptables-nft -A LOGDROP -j LOG --log-prefix "lo: "
iptables-nft -A LOGDROP -j DROP
iptables-nft -A INPUT -m mark --mark 0x7 -j LOGDROP
