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
# pictures: an unknown extension is a usage error (one line); an output
# that cannot be created exits 3 before the capture is read; options of
# the picture without -o, and of the listing with it, are usage errors
k timeline $S -o x.jpg
k timeline $S -o /nonexistent-dir/x.svg
k timeline $S --width 100 -o x.svg
k timeline $S --lanes 5
k timeline $S --json -o x.svg
k timeline $S --min 1ms --json
k timeline $S --min soon
