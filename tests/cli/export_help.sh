"$KTRAIL" export --help
echo "exit $?"
"$KTRAIL" help export | cmp - <("$KTRAIL" export -h) && echo "help export = export -h"
