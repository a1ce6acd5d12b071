# ktrail replay --json: proc, oom, signal, tcp and block events as NDJSON
cd corpus/synthetic && "$KTRAIL" replay small.ktr --json -e proc,oom,signal,tcp,block
