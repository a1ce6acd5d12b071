"$KTRAIL" sql --help
echo "exit $?"
