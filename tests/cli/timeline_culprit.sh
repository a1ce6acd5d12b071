# Issue 11 "Done when": from the scene dump, the culprit's lane is the
# first lane and highlighted, and the root-cause sentence names it.  The
# culprits are those of the scenarios' ids: the fsync pipeline's front
# waits on the journal thread's cache flush; in the lock convoy the main
# thread waits on the holder.
check() {
	local want=$1 scene=$2 first
	first=$(grep -m1 '^rect lane' "$scene")
	echo "$first" | cut -d' ' -f2,8-
	grep -m1 '^text rootcause' "$scene" | sed 's/.*"\(.*\)"/\1/'
	case $first in
	"rect lane:culprit "*"/$want\"") echo "ok: the first lane is $want's, highlighted" ;;
	*) echo "FAIL: the first lane is not $want's" ;;
	esac
}
ids=corpus/scenarios
$KTRAIL timeline $ids/fsync_pipeline.ktr --pid $(sed -n 's/^front=//p' $ids/fsync_pipeline.ids) -o $KT_TMP/f.scene
check $(sed -n 's/^jbd2=//p' $ids/fsync_pipeline.ids) $KT_TMP/f.scene
$KTRAIL timeline $ids/lock_convoy.ktr --pid $(sed -n 's/^pid=//p' $ids/lock_convoy.ids) -o $KT_TMP/c.scene
check $(sed -n 's/^holder=//p' $ids/lock_convoy.ids) $KT_TMP/c.scene
