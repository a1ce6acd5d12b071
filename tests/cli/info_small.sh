# ktrail info on the checked-in synthetic capture
cd corpus/synthetic && "$KTRAIL" info small.ktr
