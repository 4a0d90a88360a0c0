# --syn (tcp flags): not read, may-drop for tcp; udp untouched.
iptables-nft -A INPUT -p tcp --syn -d 127.0.0.0/8 -j DROP
