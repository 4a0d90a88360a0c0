# -m statistic: every other packet (the audit cannot tell which).
iptables-nft -A INPUT -d 127.0.0.0/8 -m statistic --mode nth --every 2 --packet 0 -j DROP
