# verify's error paths (docs/cli.md): a missing file or a bad option exit 2;
# stdout on a full disk exits 3 with the reason; a reader that goes away
# (| head) is a normal end: exit 0, nothing said
. tests/cli/lib.bash
F=corpus/scenarios/cpu_contention.ktr
k verify corpus/no-such-file.ktr
k verify --jsn $F
full verify $F
full verify --json $F
full verify --help
head1 verify --json $F
gone verify $F
gone verify --help
