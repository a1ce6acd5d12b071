# a file that is not there: exit 2 with one line
$KTRAIL timeline corpus/scenarios/no-such-file.ktr
