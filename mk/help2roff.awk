# help2roff.awk - a man page (roff, man macros) from a command's --help
# text, so that `man ktrail-replay` says what `ktrail replay --help` says
# (mk/man.sh runs it for every command; `make install` installs them).
#
#   ktrail replay --help | awk -v page=ktrail-replay -v version=0.1.0 \
#       [-v summary="..."] [-v see=".BR ktrail (1)"] -f mk/help2roff.awk
#
# A manual-style text (sections in capitals at column 0, bodies indented
# four spaces: NAME, SYNOPSIS, DESCRIPTION, OPTIONS, ...) keeps its layout
# line for line (no-fill mode); NAME becomes "page \- summary" for
# whatis/apropos.  Any other text (ktrail --help: "usage: ..." and the
# command list) becomes NAME from -v summary, SYNOPSIS from its usage
# line and COMMANDS from the rest.
function esc(s) {
	gsub(/\\/, "\\e", s)
	gsub(/-/, "\\-", s)
	if (s ~ /^[.']/)
		s = "\\&" s
	return s
}
function section(name) {
	if (open)
		print ".fi"
	print ".SH " name
	open = 0
}
function body(line) {
	if (!open) {
		print ".nf"
		open = 1
	}
	sub(/^    /, "", line)
	print (line == "" ? "" : esc(line))
}
BEGIN {
	print ".TH " toupper(page) " 1 \"\" \"ktrail " version "\" \"ktrail manual\""
	manual = -1
}
manual < 0 {
	manual = ($0 == "NAME")
	if (!manual) {
		section("NAME")
		print page " \\- " esc(summary)
		section("SYNOPSIS")
		line = $0
		sub(/^usage: /, "", line)
		body(line)
		section("COMMANDS")
		skip = 1
		next
	}
}
manual && /^[A-Z][A-Z ]*$/ {
	if (name)               # NAME's lines as one, for whatis
		print page " \\- " esc(what)
	section($0)
	name = ($0 == "NAME")
	next
}
manual && name {
	line = $0
	sub(/^ +/, "", line)
	n = index(line, " - ")
	if (n)
		what = substr(line, n + 3)
	else if (line != "")
		what = what " " line
	next
}
{
	# the command list's blank line after the usage line
	if (skip && $0 == "") { skip = 0; next }
	skip = 0
	if (!manual && $0 == "commands:")       # the section's own title
		next
	body($0)
}
END {
	if (open)
		print ".fi"
	if (see != "") {
		print ".SH SEE ALSO"
		print see
	}
}
