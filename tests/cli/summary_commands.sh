# Every command the summary gives runs (exit 0) and says what the line
# said: for each anomaly of each corpus capture, its kind, its command's
# exit status, and whether the command's output holds the line's facts
# (the span and duration why explains, the exit status or signal, the
# errno row and count, the request's latency, the TCP rows, the lost
# count).  "ok" on every line; a "MISMATCH" line names what is missing.
for f in corpus/scenarios/*.ktr corpus/synthetic/small.ktr; do
	"$KTRAIL" summary "$f" --json
done | python3 -c '
import json, os, re, subprocess, sys
dec = json.JSONDecoder()
text = sys.stdin.read()
pos = 0
while pos < len(text):
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if pos >= len(text):
        break
    s, pos = dec.raw_decode(text, pos)
    print(s["file"])
    for a in s["anomalies"]:
        argv = a["command"].split()
        argv[0] = os.environ["KTRAIL"]
        p = subprocess.run(argv, capture_output=True, text=True)
        out, what, k = p.stdout, a["what"], a["kind"]
        want = []
        if k in ("exit", "signal"):
            m = re.search(r"status (\d+)", what)
            want = ["exit %s" % m.group(1)] if m else \
                [re.search(r"killed by (SIG\w+)", what).group(1)]
        elif k == "slow":
            want = [re.search(r" took (.*?) at ", what).group(1),
                    re.search(r" at ([0-9.]+)", what).group(1)]
        elif k == "errno":
            m = re.search(r"\] (\w+) failed with (\w+) (\d+) time", what)
            want = [re.compile(r"^%s +%s +%s$" % (m.group(1), m.group(2),
                    m.group(3)), re.M)]
        elif k == "disk":
            ms = a["ns"] / 1e6
            want = ["%.3f" % (int(ms * 1000) / 1000.0)]
        elif k == "tcp":
            want = [re.search(r"(\d+\.\d+\.\d+\.\d+)", what).group(1)]
        elif k == "lost":
            want = ["lost:       %d events" % a["count"]]
        elif k == "oom":
            want = ["OOM killer" if argv[1] == "why" else
                    "OOM kill of PID %d" % a["pid"]]
        miss = [w if isinstance(w, str) else w.pattern for w in want
                if (w not in out if isinstance(w, str) else not w.search(out))]
        print("  %-6s exit %d %s" % (k, p.returncode,
              "ok" if not miss else "MISMATCH: %s not in: %s" % (miss, a["command"])))
'
