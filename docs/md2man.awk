#!/usr/bin/awk -f
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# README.md -> lnwatch(8): one source for both. Handles the subset the
# README uses: headings, paragraphs, indented blocks, "term / :   text"
# definitions, "- " lists, tables, `code` and **bold**.

function esc(s) {
	gsub(/\\/, "\\e", s)
	gsub(/-/, "\\-", s)
	return s
}
function inline(s) {
	s = esc(s)
	while (match(s, /`[^`]+`/))
		s = substr(s, 1, RSTART - 1) "\\fB" substr(s, RSTART + 1, RLENGTH - 2) "\\fR" substr(s, RSTART + RLENGTH)
	while (match(s, /\*\*[^*]+\*\*/))
		s = substr(s, 1, RSTART - 1) "\\fB" substr(s, RSTART + 2, RLENGTH - 4) "\\fR" substr(s, RSTART + RLENGTH)
	if (s ~ /^[.']/)
		s = "\\&" s
	return s
}
function close_block() {
	if (inblock) { print ".fi"; print ".RE"; inblock = 0 }
}
BEGIN {
	print ".TH LNWATCH 8 \"" date "\" \"lnwatch\" \"System Administration\""
	print ".SH NAME"
	print "lnwatch \\- live route_localnet verdicts for IPv4 packets to or from 127.0.0.0/8"
	print ".SH SYNOPSIS"
	print ".B lnwatch"
	print "[\\fB\\-i\\fR \\fIIFACE\\fR]... [\\fB\\-\\-all\\-netns\\fR] [\\fB\\-j\\fR] [\\fB\\-w\\fR] [\\fB\\-d\\fR \\fISECONDS\\fR] [\\fB\\-\\-ready\\-file\\fR \\fIPATH\\fR] [\\fB\\-v\\fR]"
	print ".SH DESCRIPTION"
}
NR == 1 && /^# / { next }
/^## / {
	close_block()
	h = toupper(substr($0, 4))
	print ".SH " esc(h)
	next
}
/^    / && indef { print inline(substr($0, 5)); next }
/^    / {
	if (!inblock) { print ".RS"; print ".nf"; inblock = 1 }
	else if (pending_blank) print ""
	pending_blank = 0
	print esc(substr($0, 5))
	next
}
/^$/ {
	indef = 0
	if (inblock) { pending_blank = 1; next }
	print ".PP"
	next
}
{
	if (inblock) { close_block(); print ".PP" }
	pending_blank = 0
}
/^\|[-| ]+\|$/ { next }
/^\|/ {
	n = split($0, cell, /\|/)
	print ".TP"
	print inline(cell[2])
	print inline(cell[3])
	next
}
/^:   / { print inline(substr($0, 5)); indef = 1; next }
/^`[^`]+`( \(.*\))?$/ { print ".TP"; print inline($0); next }
/^- / { print ".IP \\(bu 2"; print inline(substr($0, 3)); next }
{ print inline($0) }
END { close_block() }
