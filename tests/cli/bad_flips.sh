# single bit flips in the header, a tasks block, a frame, the index and
# the trailer; wrong magic; a future major version; an empty file
ROOT=$PWD
cd "$KT_TMP" || exit 1
S=$ROOT/corpus/synthetic/small.ktr
blk() { "$KT_TOOL" blocks "$S" | awk -v t="$1" -v n="$2" '$2 == t { c++; if (c == n) print $1 }'; }
t() {
	local name=$1; shift
	"$KT_TOOL" mangle "$S" "$name" "$@"
	echo "\$ ktrail info $name  # $*"; "$KTRAIL" info "$name" 2>&1 >/dev/null; echo "exit $?"
	echo "\$ kt-test-tool read $name"; "$KT_TOOL" read "$name" 2>&1; echo "exit $?"
}
t magic.ktr flip=0:1
t header.ktr flip=13:0
t version.ktr set32=8:0x00010002 recrc=0
t tasks.ktr flip=$(( $(blk tasks 1) + 40 )):4
t frame-hdr.ktr flip=$(( $(blk frame 2) + 30 )):2
t frame-col.ktr flip=$(( $(blk frame 2) + 2000 )):6
t index.ktr flip=$(( $(blk index 1) + 60 )):0
t meta.ktr flip=$(( $(blk meta 2) + 30 )):5
t trailer.ktr flip=$(( $(stat -c %s "$S") - 20 )):1
: > empty.ktr
echo "\$ ktrail info empty.ktr"; "$KTRAIL" info empty.ktr 2>&1; echo "exit $?"
head -c 20 "$S" > short.ktr
echo "\$ ktrail info short.ktr"; "$KTRAIL" info short.ktr 2>&1; echo "exit $?"
