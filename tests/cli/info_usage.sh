# usage errors of info and recover: one message and the usage line, exit 2
k() { echo "\$ ktrail $*"; "$KTRAIL" "$@" 2>&1; echo "exit $?"; }
k info
k info --jsn small.ktr
k info -x small.ktr
k info a.ktr b.ktr
k recover
k recover -o
k recover a.ktr b.ktr
k recover --bogus a.ktr
k info missing.ktr
k recover missing.ktr
