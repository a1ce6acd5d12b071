# stats' error paths (docs/cli.md): a missing file or a bad option exit 2;
# stdout on a full disk 3 with the reason; a reader that goes away 0
# without a word; a selection that matches nothing 0 with a note
. tests/cli/lib.bash
S=corpus/synthetic/small.ktr
k stats corpus/no-such-file.ktr syscount
k stats $S syscount --bogus
full stats $S syscount
full stats $S execsnoop --json
full stats $S
head1 stats $S execsnoop
gone stats $S syscount
gone stats $S
k stats $S syscount --pid 99999
k stats $S execsnoop --comm no-such-comm
