#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# lnwatch(8) on stdout, made from what already says it once, so that it
# cannot drift (`make man` runs it: docs/docs.mk):
#
# - help2man reads the binary: `lnwatch --help` and `--version` give the
#   NAME (the help's first paragraph), SYNOPSIS, OPTIONS, EXAMPLES and
#   EXIT STATUS; `lnwatch audit --help` gives the AUDIT section the same
#   way, its headings one level down;
# - the prose is the README's and docs/audit.md's own: each region between
#   the lines `<!-- man SECTION -->` and `<!-- /man -->` goes, through
#   lowdown, to SECTION, written as in help2man's --include files:
#   `=DESCRIPTION` replaces that section, `>OPTIONS` appends to it,
#   `VERDICTS` is one of its own. Regions of one SECTION join, in order.
#
# usage: docs/man.sh BUILD/lnwatch > lnwatch.8   (from the top directory)
set -eu

bin=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lnwman.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The page's date: the last commit's, so that a rebuild is the same page.
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null) || SOURCE_DATE_EPOCH=
	[ -z "$SOURCE_DATE_EPOCH" ] || export SOURCE_DATE_EPOCH
fi

h2m() {
	help2man --no-info --section=8 \
		--manual='System Administration Utilities' "$@"
}

# help2man takes a line `[X]` of an include file for a section and one
# `/X/` for a pattern: no roff line may start so, hence a zero-width \&.
include_text() {
	sed -e 's/^\[/\\\&[/' -e 's|^/|\\\&/|'
}

# NAME: the help's first paragraph, without "lnwatch: ".
"$bin" --help > "$tmp/help"
awk 'NR == 1 { next } /^$/ { exit }
	{ printf "%s%s", sep, $0; sep = " " } END { print "" }' "$tmp/help" |
	sed -e 's/^lnwatch: //' -e 's/\.$//' > "$tmp/name"

# prose FILE: FILE's marked regions as include text, each through lowdown.
prose() {
	rm -f "$tmp"/prose.*
	awk -v dir="$tmp" '
	function fail(why) { print FILENAME ": " why > "/dev/stderr"; err = 1; exit 1 }
	/^<!-- man [^ ]+ -->$/ {
		if (key != "") fail("region in a region")
		key = $3; n++; f = sprintf("%s/prose.%03d", dir, n)
		print key > (f ".key"); close(f ".key"); next
	}
	/^<!-- \/man -->$/ {
		if (key == "") fail("end of a region not begun")
		key = ""; close(f ".md"); next
	}
	key != "" { print > (f ".md") }
	END { if (!err && key != "") fail("region not closed"); exit err }
	' "$1"
	for k in "$tmp"/prose.*.key; do
		[ -e "$k" ] || continue
		lowdown -tman --parse-no-intraemph --nroff-nolinks "${k%.key}.md" > "${k%.key}.man"
		printf '[%s]\n' "$(cat "$k")"
		include_text < "${k%.key}.man"
	done
}

# The audit, from `lnwatch audit --help`: its synopsis goes beside the
# watch's; its description, docs/audit.md's prose, then its options,
# examples and exit status make the AUDIT section.
h2m --name=audit --help-option='audit --help' \
	--version-option='audit --version' --output="$tmp/audit.8" "$bin"
# part FIRST LAST: audit.8 from the line `.SH FIRST` to before `.SH LAST`
part() {
	sed -n "/^\.SH $1\$/,/^\.SH $2\$/p" "$tmp/audit.8" | sed '1d;$d'
}

# The include file. Sections of our own come in its order: the README's
# (VERDICTS), then the audit, then the pointers.
{
	prose README.md
	echo '[>SYNOPSIS]'
	echo '.br'
	part SYNOPSIS DESCRIPTION | include_text |
		sed 's/\\fI\\,audit \\\/\\fR/\\fBaudit\\fR /'
	echo '[AUDIT]'
	part DESCRIPTION OPTIONS | include_text
	prose docs/audit.md
	echo '[AUDIT]'
	echo '.SS OPTIONS'
	part OPTIONS '"REPORTING BUGS"' | include_text |
		sed -e 's/^\.SH /.SS /' -e 's/^\.SS "Exit status:"$/.SS "EXIT STATUS"/'
	echo '[SEE ALSO]'
	echo '.BR sysctl (8),'
	echo '.BR ip (8),'
	echo '.BR nft (8),'
	echo '.BR bpftool (8);'
	echo 'in the source tree: README.md, docs/audit.md, docs/kernels.md,'
	echo 'docs/performance.md.'
} > "$tmp/lnwatch.h2m"

# The watch's "Exit status:" ends its examples: a section of its own.
h2m --name="$(cat "$tmp/name")" --include="$tmp/lnwatch.h2m" \
	--output="$tmp/lnwatch.8" "$bin"
sed 's/^\.SS "Exit status:"$/.SH "EXIT STATUS"/' "$tmp/lnwatch.8"
