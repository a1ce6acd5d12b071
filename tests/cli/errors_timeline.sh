# timeline's error paths (docs/cli.md): a missing file or a bad option
# exit 2; stdout on a full disk 3 with the reason; a reader that goes away
# (| head: 1.1 MB of NDJSON) 0 without a word; a selection that matches
# nothing 0 with a note
. tests/cli/lib.bash
S=corpus/synthetic/small.ktr
k timeline corpus/no-such-file.ktr
k timeline $S --bogus
full timeline $S
full timeline $S --json
head1 timeline $S --json
gone timeline $S
k timeline $S --pid 99999
