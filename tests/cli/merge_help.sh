# merge --help: the manual (the clock model, the identities, the options)
$KTRAIL merge --help; echo "exit $?"
$KTRAIL help merge | head -3; echo "exit $?"
