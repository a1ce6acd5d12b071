# absurd counts and sizes, with valid checksums (a hostile file): a frame
# column claiming 4 GiB decompressed, a frame claiming 2^32-1 events, a
# block claiming 4 GiB, an index claiming 2^32-1 frames, a trailer
# pointing past the end
ROOT=$PWD
cd "$KT_TMP" || exit 1
S=$ROOT/corpus/synthetic/small.ktr
blk() { "$KT_TOOL" blocks "$S" | awk -v t="$1" -v n="$2" '$2 == t { c++; if (c == n) print $1 }'; }
F=$(blk frame 2); I=$(blk index 1); L=$(stat -c %s "$S")
t() {
	local name=$1; shift
	"$KT_TOOL" mangle "$S" "$name" "$@"
	echo "\$ ktrail info $name"; "$KTRAIL" info "$name" 2>&1 >/dev/null; echo "exit $?"
	echo "\$ kt-test-tool read $name"; "$KT_TOOL" read "$name" 2>&1; echo "exit $?"
	echo "\$ kt-test-tool read --scan $name"; "$KT_TOOL" read "$name" --scan 2>&1; echo "exit $?"
}
# frame header at F+20: column entries start at +36, raw length at +1
t col4g.ktr set32=$((F + 20 + 36 + 1)):0xffffffff recrc=$F
t events4g.ktr set32=$((F + 20 + 16)):0xffffffff recrc=$F
t block4g.ktr set32=$((F + 4)):0xfffffff0 recrc=$F
t index4g.ktr set32=$((I + 20)):0xffffffff recrc=$I
t trailer-past.ktr set32=$((L - 24)):0x7fffffff recrc=-1
