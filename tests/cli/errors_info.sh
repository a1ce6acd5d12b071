# info's error paths (docs/cli.md): a missing file or a bad option exit 2;
# stdout on a full disk exits 3 with the reason; a reader that goes away
# (| head) is a normal end: exit 0, nothing said
. tests/cli/lib.bash
F=corpus/scenarios/lock_convoy.ktr
k info corpus/no-such-file.ktr
k info --jsn $F
full info $F
full info --json $F
full info --help
head1 info $F
gone info $F
gone info --json $F
gone info --help
