# make install puts ktrail and its man pages under DESTDIR (issue 15):
# ktrail.1 and ktrail-COMMAND.1 for every command `ktrail --help` lists,
# generated from the --help texts (mk/man.sh); each page renders without
# a groff warning, names itself for whatis ("ktrail-replay - ..."), and
# says every line its command's --help says.
R=$KT_TMP/root
make --no-print-directory -s install DESTDIR="$R" PREFIX=/usr >"$KT_TMP/make.out" 2>&1 ||
	{ echo "make install failed"; cat "$KT_TMP/make.out"; exit 1; }
(cd "$R" && find . -type f | sort)
M=$R/usr/share/man/man1
bin=$R/usr/bin/ktrail
for c in "" $("$bin" --help | awk '/^commands:/ { c = 1; next } c && /^  [a-z]/ { print $1 }'); do
	page=$M/ktrail${c:+-$c}.1
	w=$(groff -man -Tascii -ww -z "$page" 2>&1 | head -3)
	[ -n "$w" ] && echo "${c:-ktrail}: groff: $w"
	groff -man -Tascii -rLL=200n "$page" 2>/dev/null | col -bx |
		sed 's/^ *//; s/ *$//' >"$KT_TMP/page"
	# the NAME line, as whatis reads it
	sed -n '/^NAME$/{n;p;q}' "$KT_TMP/page"
	# every line but NAME's (joined above) and the list's own titles
	"$bin" $c --help | awk '/^NAME$/ { n = 1; next } /^[A-Z]/ { n = 0 } !n' |
		sed 's/^ *//; s/ *$//' | grep -v '^$' |
	while IFS= read -r l; do
		case $l in
		"usage: "*|commands:) continue ;;
		esac
		grep -qxF -- "$l" "$KT_TMP/page" || echo "${c:-ktrail}: not in the page: $l"
	done
done
