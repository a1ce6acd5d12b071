# graph's error paths (docs/cli.md): a missing file or a bad option exit
# 2; stdout on a full disk 3 with the reason; a reader that goes away
# (| head: 140 KB of JSON) 0 without a word; a selection that matches
# nothing 0 with a note
. tests/cli/lib.bash
S=corpus/synthetic/small.ktr
k graph corpus/no-such-file.ktr
k graph $S --window x
full graph $S
full graph $S --window all --json
head1 graph $S --window all --json
gone graph $S
k graph $S --pid 99999
