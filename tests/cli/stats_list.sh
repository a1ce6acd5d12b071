# ktrail stats FILE lists the tools
cd corpus/synthetic && "$KTRAIL" stats small.ktr
# and with --json, as one JSON object (issue 15: it was the text list)
"$KTRAIL" stats small.ktr --json
