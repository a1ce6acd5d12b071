# ktrail stats --help
"$KTRAIL" stats --help
