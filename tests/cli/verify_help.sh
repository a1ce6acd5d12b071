# man-style help of verify
"$KTRAIL" verify --help && "$KTRAIL" help verify | head -3
