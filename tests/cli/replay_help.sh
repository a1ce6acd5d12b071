# replay --help, and ktrail help replay
"$KTRAIL" replay --help && "$KTRAIL" help replay | head -3
