# replay hides the proc_comm records in text by default (issue 15: the
# recorder's naming of each task it meets is noise beside perf script's
# look); --proc-comm shows them; --json keeps them whatever the option.
F=corpus/scenarios/sleep_all.ktr
echo "== default"
$KTRAIL replay $F -e proc
echo "== --proc-comm: proc_comm lines"
$KTRAIL replay $F -e proc --proc-comm | grep -c ' proc_comm: '
echo "== --json: proc_comm objects"
$KTRAIL replay $F -e proc --json | grep -c '"kind":"proc_comm"'
