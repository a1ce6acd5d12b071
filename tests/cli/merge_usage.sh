# merge's refusals: exit 2, one line naming the file or option and why.
# A capture without clock anchors (format 1.0, corpus/compat) cannot be
# aligned; two captures with one host id (two corpus scenarios recorded
# on this VM without --host-id) cannot be told apart until named with
# --host-id; a partial capture needs --allow-partial; OUT is never an
# input and never overwritten without --force.
ROOT=$PWD
S=$ROOT/corpus/scenarios
cd "$KT_TMP" || exit 1
cp $S/truth_tcp.ktr tcp.ktr
cp $S/truth_fsync.ktr fsync.ktr
cp $ROOT/corpus/compat/exit_kill-1.0.ktr old.ktr
$KTRAIL merge; echo "exit $?"
$KTRAIL merge tcp.ktr; echo "exit $?"
$KTRAIL merge tcp.ktr -o ''; echo "exit $?"
$KTRAIL merge tcp.ktr --bogus -o x.ktr; echo "exit $?"
$KTRAIL merge tcp.ktr fsync.ktr -o x.ktr --host-id 'a b'; echo "exit $?"
$KTRAIL merge tcp.ktr fsync.ktr -o x.ktr --host-id a,b,c; echo "exit $?"
$KTRAIL merge tcp.ktr old.ktr -o x.ktr; echo "exit $?"
$KTRAIL merge tcp.ktr fsync.ktr -o x.ktr; echo "exit $?"
$KTRAIL merge tcp.ktr fsync.ktr -o x.ktr --host-id web,web; echo "exit $?"
$KTRAIL merge tcp.ktr no-such.ktr -o x.ktr; echo "exit $?"
# a capture whose recorder never wrote its index: refused unless
# --allow-partial
cut=$("$KT_TOOL" blocks tcp.ktr | awk '$2 == "index" { print $1; exit }')
"$KT_TOOL" mangle tcp.ktr partial.ktr truncate="$cut"
$KTRAIL merge fsync.ktr partial.ktr -o x.ktr --host-id a,b; echo "exit $?"
ls
# an empty id keeps the capture's own; OUT exists; OUT is an input
$KTRAIL merge tcp.ktr fsync.ktr -o x.ktr --host-id ,server; echo "exit $?"
$KTRAIL merge tcp.ktr fsync.ktr -o x.ktr --host-id a,b; echo "exit $?"
$KTRAIL merge tcp.ktr fsync.ktr -o tcp.ktr --host-id a,b --force; echo "exit $?"
$KTRAIL merge fsync.ktr partial.ktr -o x.ktr --host-id a,b --force --allow-partial; echo "exit $?"
ls
