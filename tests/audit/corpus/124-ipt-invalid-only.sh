# Only INVALID dropped: first packets are new.
iptables-nft -A INPUT -m conntrack --ctstate INVALID -j DROP
