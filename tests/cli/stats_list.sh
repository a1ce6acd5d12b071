# ktrail stats FILE lists the tools
cd corpus/synthetic && "$KTRAIL" stats small.ktr
