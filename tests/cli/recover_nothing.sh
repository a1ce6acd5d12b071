# nothing to recover: not a capture, an empty file, a damaged header
ROOT=$PWD
cd "$KT_TMP" || exit 1
printf 'hello, this is not a capture file at all' > text.ktr
: > empty.ktr
"$KT_TOOL" mangle "$ROOT/corpus/synthetic/small.ktr" hdr.ktr flip=20:3
for f in text.ktr empty.ktr hdr.ktr; do
	echo "\$ ktrail recover $f"; "$KTRAIL" recover "$f" 2>&1; echo "exit $?"
done
