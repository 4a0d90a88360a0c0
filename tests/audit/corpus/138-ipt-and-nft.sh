# iptables-nft accepts everything; a native nft table still drops.
iptables-nft -A INPUT -j ACCEPT
nft -f - <<'NFT'
table inet guard {
	chain input {
		type filter hook input priority 10;
		ip daddr 127.0.0.0/8 iifname "eth0" drop
	}
}
NFT
