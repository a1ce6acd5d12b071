# why's error paths (docs/cli.md): a missing file or a bad option exit 2,
# and so does nothing to explain; stdout on a full disk 3 with the reason;
# a reader that goes away 0 without a word
. tests/cli/lib.bash
F=corpus/scenarios/fsync_pipeline.ktr
P=$(sed -n 's/^front=//p' corpus/scenarios/fsync_pipeline.ids | head -1)
k why corpus/no-such-file.ktr --pid 1
k why $F --pid $P --bogus
k why $F --pid $P --at soon
full why $F --pid $P
full why $F --pid $P --json
head1 why $F --pid $P
gone why $F --pid $P --json
k why $F --pid 99999
