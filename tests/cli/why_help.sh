# why --help: the page (the --slowest rank, --from/--to, --exit)
$KTRAIL why --help
