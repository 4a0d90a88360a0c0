# -m hashlimit above: the first packets are under it and pass.
iptables-nft -A INPUT -d 127.0.0.0/8 -m hashlimit --hashlimit-name lo --hashlimit-above 100/second --hashlimit-mode srcip -j DROP
