# replay's error paths (docs/cli.md): a missing file or a bad option exit
# 2; stdout on a full disk 3 with the reason; a reader that goes away
# (| head: 470 KB of output, more than a pipe holds) 0 without a word; a
# selection that matches nothing 0 with a note
. tests/cli/lib.bash
S=corpus/synthetic/small.ktr
k replay corpus/no-such-file.ktr
k replay $S --bogus
k replay $S --pid x
full replay $S
full replay $S --json
head1 replay $S
gone replay $S --json
k replay $S --pid 99999
k replay $S -e tcp --comm no-such-comm
