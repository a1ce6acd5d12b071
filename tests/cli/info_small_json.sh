# ktrail info --json on the checked-in synthetic capture
cd corpus/synthetic && "$KTRAIL" info --json small.ktr
