# recover on a complete capture (finalized, every block intact) says so
# and leaves it alone: same bytes, same mtime, -o OUT not written.  A
# capture with no intact frame: nothing to recover, exit 2, file
# untouched.  A recovered capture says so in info.  -o on a symbolic
# link replaces the link and leaves its target alone.
ROOT=$PWD
cd "$KT_TMP" || exit 1
cp "$ROOT/corpus/synthetic/small.ktr" whole.ktr
touch -d '2020-01-02 03:04:05' whole.ktr
before=$(md5sum < whole.ktr)
echo "\$ ktrail recover whole.ktr"; "$KTRAIL" recover whole.ktr 2>&1; echo "exit $?"
echo "\$ ktrail recover whole.ktr -o out.ktr"; "$KTRAIL" recover whole.ktr -o out.ktr 2>&1; echo "exit $?"
[ "$(md5sum < whole.ktr)" = "$before" ] && echo "same bytes"
stat -c 'mtime %y' whole.ktr
[ -e out.ktr ] && echo "out.ktr was written"
# header, metadata and the task snapshot, no frame
off=$("$KT_TOOL" blocks whole.ktr | awk '$2 == "frame" { print $1; exit }')
head -c "$off" whole.ktr > noframe.ktr
touch -d '2020-01-02 03:04:05' noframe.ktr
echo "\$ ktrail recover noframe.ktr"; "$KTRAIL" recover noframe.ktr 2>&1; echo "exit $?"
echo "\$ ktrail recover noframe.ktr -o out.ktr"; "$KTRAIL" recover noframe.ktr -o out.ktr 2>&1; echo "exit $?"
stat -c '%s bytes, mtime %y' noframe.ktr
[ -e out.ktr ] && echo "out.ktr was written"
ls -A | grep '^\.' && echo "a temporary file was left"
# a recovered capture: info and info --json say so
off=$("$KT_TOOL" blocks whole.ktr | awk '$2 == "frame" { n++; if (n == 4) print $1 + 5000 }')
head -c "$off" whole.ktr > cut.ktr
"$KTRAIL" recover cut.ktr >/dev/null
echo "\$ ktrail info cut.ktr"; "$KTRAIL" info cut.ktr 2>&1 | sed -n '1,3p'
"$KTRAIL" info --json cut.ktr | python3 -c 'import json,sys; d=json.load(sys.stdin); print("recovered", d["recovered"], d["meta"]["recovered"])'
"$KTRAIL" info --json whole.ktr | python3 -c 'import json,sys; d=json.load(sys.stdin); print("whole: recovered", d["recovered"])'
# -o on a symbolic link: the link is replaced, its target left alone
head -c "$off" whole.ktr > cut2.ktr
echo "precious" > target
ln -s target link.ktr
echo "\$ ktrail recover cut2.ktr -o link.ktr"; "$KTRAIL" recover cut2.ktr -o link.ktr 2>&1 | head -1
[ -L link.ktr ] && echo "link.ktr is still a link" || echo "link.ktr is a file now: $(stat -c %a link.ktr)"
cat target
