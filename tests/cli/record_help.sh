# record --help is the manual; `ktrail help record` is the same
"$KTRAIL" record --help; echo "exit $?"
"$KTRAIL" help record | cmp - <("$KTRAIL" record --help) && echo same
