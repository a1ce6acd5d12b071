# man-style help of info and recover
"$KTRAIL" info --help && "$KTRAIL" help recover
