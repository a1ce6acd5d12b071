# ktrail replay on the synthetic capture: a window of every family, text
cd corpus/synthetic && "$KTRAIL" replay small.ktr --from +1ms --to +1.15ms
