# -j CT --notrack in raw, then --ctstate NEW drop: untracked passes.
iptables-nft -t raw -A PREROUTING -p udp --dport 5002 -j CT --notrack
iptables-nft -A INPUT -d 127.0.0.0/8 -m conntrack --ctstate NEW -j DROP
