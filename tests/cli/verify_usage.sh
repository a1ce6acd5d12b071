# usage errors and unreadable captures: exit 2 with one line
"$KTRAIL" verify; echo "exit $?"
"$KTRAIL" verify --jsn corpus/synthetic/small.ktr; echo "exit $?"
"$KTRAIL" verify corpus/synthetic/small.ktr extra; echo "exit $?"
"$KTRAIL" verify /nonexistent.ktr; echo "exit $?"
"$KTRAIL" verify tests/cli/verify_usage.sh; echo "exit $?"
