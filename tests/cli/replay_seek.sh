# the same instant written four ways gives the same first event; windows
# at the edges of the capture
k() { echo "\$ ktrail $*"; "$KTRAIL" "$@" 2>&1 | head -2; echo "exit ${PIPESTATUS[0]}"; }
cd corpus/synthetic
k replay small.ktr --from +2ms --to +2.01ms
k replay small.ktr --from 1000.002000155 --to 1000.002010155
k replay small.ktr --from 1000002000155ns --to 1000002010155ns
k replay small.ktr --from 2026-11-23T10:00:00.002000155Z --to 2026-11-23T10:00:00.002010155Z
k replay small.ktr --from +0s --to +1us
k replay small.ktr --from 1000.003805462
k replay small.ktr --from +1h
k replay small.ktr --to 1000.000000156
