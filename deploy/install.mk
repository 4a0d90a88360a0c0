# `make install` and `make uninstall`, honouring PREFIX (/usr/local) and
# DESTDIR: the binary in sbin, lnwatch(8), the systemd units (ExecStart
# rewritten to PREFIX) and the bash completion. uninstall removes exactly
# the files install wrote, never a directory (it may hold others' files).
#
#   sudo make install                        # /usr/local
#   make install DESTDIR=/tmp/pkg PREFIX=/usr # a staging tree
PREFIX      ?= /usr/local
DESTDIR     ?=
SBINDIR     := $(PREFIX)/sbin
MAN8DIR     := $(PREFIX)/share/man/man8
UNITDIR     := $(PREFIX)/lib/systemd/system
BASHCOMPDIR := $(PREFIX)/share/bash-completion/completions
UNITS       := lnwatch.service lnwatch-audit.service lnwatch-audit.timer

INSTALLED := $(SBINDIR)/lnwatch $(MAN8DIR)/lnwatch.8 \
	     $(addprefix $(UNITDIR)/,$(UNITS)) $(BASHCOMPDIR)/lnwatch

.PHONY: install uninstall
install: $(OUT)/lnwatch $(OUT)/lnwatch.8
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)install -D -m 0755 $(OUT)/lnwatch $(DESTDIR)$(SBINDIR)/lnwatch
	$(Q)install -D -m 0644 $(OUT)/lnwatch.8 $(DESTDIR)$(MAN8DIR)/lnwatch.8
	$(Q)install -D -m 0644 deploy/bash-completion/lnwatch $(DESTDIR)$(BASHCOMPDIR)/lnwatch
	$(Q)install -d -m 0755 $(DESTDIR)$(UNITDIR)
	$(Q)for u in $(UNITS); do \
		sed 's|/usr/local/sbin/|$(SBINDIR)/|g' deploy/systemd/$$u > $(DESTDIR)$(UNITDIR)/$$u.tmp && \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$$u.tmp && \
		mv $(DESTDIR)$(UNITDIR)/$$u.tmp $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done

uninstall:
	$(call msg,UNINSTALL,$(DESTDIR)$(PREFIX))
	$(Q)rm -f $(addprefix $(DESTDIR),$(INSTALLED))
