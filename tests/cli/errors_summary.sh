# summary's error paths (docs/cli.md): a missing file, a bad option, a
# damaged capture exit 2; stdout on a full disk 3 with the reason; a
# reader that goes away 0 without a word
. tests/cli/lib.bash
S=corpus/synthetic/small.ktr
k summary corpus/no-such-file.ktr
k summary $S --top x
k summary tests/cli/summary_help.sh
full summary $S
full summary $S --json
gone summary $S
gone summary $S --json
