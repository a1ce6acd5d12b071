# check --help: the manual with the rules format
$KTRAIL check --help
