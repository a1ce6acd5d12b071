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
# nothing to explain, and why (issue 15): a thread of another process, a
# thread not in the capture, an end not in the capture, a range outside
k why $F --pid $P --tid $(sed -n 's/^middle=//p' corpus/scenarios/fsync_pipeline.ids | head -1)
k why $F --pid $P --tid 99999
k why $F --pid $(sed -n 's/^jbd2=//p' corpus/scenarios/fsync_pipeline.ids | head -1) --exit
k why $F --pid $P --from +10s --to +11s
k why $F --pid $P --from +1s --to +0.5s
k why $F --pid $P --exit --tid $P
k why $F --pid $P --from +0.1s --at +0.2s
# a range where the thread was not alive: the front's first moment
k why $F --pid $P --tid $P --from +0s --to +1ns
