# report's error paths (docs/cli.md): no -o, an unknown extension, --tid
# without --pid, a missing or damaged capture exit 2 with one line; an
# output that cannot be created or written 3; a --pid or --tid with no
# span still writes the report, warns, exits 0
. tests/cli/lib.bash
S=corpus/scenarios/exit_kill.ktr
cases() {
k report $S
k report $S -o $KT_TMP/r.png
k report $S -o $KT_TMP/r
k report $S -o $KT_TMP/r.html --tid 5
k report corpus/no-such-file.ktr -o $KT_TMP/r.html
k report tests/cli/report_help.sh -o $KT_TMP/r.html
k report $S -o /nonexistent-dir/r.html
k report $S -o /dev/full/r.svg
k report $S -o $KT_TMP/r.html --pid 99999
test -s $KT_TMP/r.html && echo "the report was written"
k report $S -o $KT_TMP/r.svg --pid $(sed -n 's/^parent=//p' ${S%.ktr}.ids) --tid $(sed -n 's/^killed=//p' ${S%.ktr}.ids)
k report $S -o $KT_TMP/r.svg --pid $(sed -n 's/^parent=//p' ${S%.ktr}.ids) --tid 4242
}
# the scratch directory's name changes from run to run
cases | sed "s|$KT_TMP|TMP|g"
