# recover's error paths (docs/cli.md): a missing file or a bad option exit
# 2; an output that cannot be created 3 naming it; stdout on a full disk 3
# with the reason (the capture is recovered all the same); a reader that
# goes away 0 without a word
. tests/cli/lib.bash
# small.ktr cut in its fourth frame (an intact capture has nothing to
# recover and writes nothing)
off=$("$KT_TOOL" blocks corpus/synthetic/small.ktr | awk '$2 == "frame" { n++; if (n == 4) print $1 + 5000 }')
"$KT_TOOL" mangle corpus/synthetic/small.ktr "$KT_TMP/small.ktr" truncate="$off"
cd "$KT_TMP" || exit 1
mkdir dir
k recover no-such-file.ktr
k recover small.ktr --bogus
k recover small.ktr -o /nonexistent/dir/x.ktr
k recover small.ktr -o dir
full recover small.ktr -o full.ktr
"$KTRAIL" info full.ktr >/dev/null 2>&1 && echo "full.ktr was recovered"
head1 recover small.ktr -o head.ktr
gone recover small.ktr -o gone.ktr
