# lnwatch(8), made so that it cannot drift (docs/man.sh): help2man reads
# the binary's --help and --version (and `lnwatch audit --help`); the prose
# is the README's and docs/audit.md's, from the regions they mark for it.
# Written whole or not at all.
man: $(OUT)/lnwatch.8
$(OUT)/lnwatch.8: $(OUT)/lnwatch docs/man.sh README.md docs/audit.md
	$(call msg,MAN,$@)
	$(Q)docs/man.sh $(OUT)/lnwatch > $@.tmp && mv $@.tmp $@
