#!/bin/bash
# The GitHub Actions job of docs/ci.md, its shell steps run here as the
# runner would run them (sudo is a pass-through: we are root; the build
# step is left out: ktrail is the binary under test): a first run with no
# baseline, a second with the first's capture as the baseline (every
# step exits 0, the report is written), a third whose test gained an
# fsync (the diff step exits 1 naming it; check and report still pass).
. "$(dirname "$0")/lib/record.bash"
kt_init ci_example ci_example_first ci_example_same ci_example_regression
DOC=$KT_ROOT/docs/ci.md
J=$T/job
mkdir -p "$J/ci" "$T/bin" "$J/work"
ln -s "$KTRAIL" "$T/bin/ktrail"
printf '#!/bin/sh\nexec "$@"\n' >"$T/bin/sudo"
chmod +x "$T/bin/sudo"

# the steps: "NAME<TAB>FILE" lines, each FILE a step's run script
python3 - "$DOC" "$T" >"$T/steps" <<'PY' || { for c in $KT_CASES; do kt_fail $c "cannot read the job in docs/ci.md"; done; exit 1; }
import re, sys
doc, out = sys.argv[1], sys.argv[2]
y = open(doc).read().split("```yaml\n", 1)[1].split("```", 1)[0].split("\n")
name, i, n = None, 0, 0
while i < len(y):
    m = re.match(r"^\s*- name: (.*)$", y[i])
    if m:
        name = m.group(1)
    elif re.match(r"^\s*- uses: ", y[i]):
        name = None
    m = re.match(r"^(\s*)run: (.*)$", y[i])
    if not m:
        i += 1
        continue
    ind, body = len(m.group(1)), m.group(2)
    i += 1
    if body == "|":
        lines = []
        while i < len(y) and (not y[i].strip() or
                              len(y[i]) - len(y[i].lstrip()) > ind):
            lines.append(y[i][ind + 2:])
            i += 1
        body = "\n".join(lines)
    n += 1
    f = "%s/step%d.sh" % (out, n)
    open(f, "w").write(body + "\n")
    print("%s\t%s" % (name, f))
PY

# the test the job records: the diff tests' workload, MODE from a file
cat >"$J/ci/integration-test.sh" <<EOF2
#!/bin/bash
exec bash "$KT_ROOT/tests/live/lib/diff_work.sh" "\$(cat "$T/mode")" "$J/work"
EOF2
chmod +x "$J/ci/integration-test.sh"
cat >"$J/ci/ktrail-rules.json" <<'EOF2'
{ "rules": [ { "rule": "no-oom" }, { "rule": "no-retransmits" },
             { "rule": "exit-codes", "comm": "dd" },
             { "rule": "max-syscall", "ms": 2000, "comm": "dd" } ] }
EOF2

# job CASE: run every step but the build in $J; "step=status" words into
# $T/CASE.rc, their output into $T/CASE.log
job() {
	: >"$T/$1.rc"
	# every run of the job starts from a fresh checkout: no capture of
	# a run before (record refuses to overwrite one without --force)
	rm -f "$J/build.ktr"
	while IFS=$'\t' read -r name file; do
		[ "$name" = "build ktrail" ] && continue
		(cd "$J" && PATH=$T/bin:$PATH bash -e "$file") >>"$T/$1.log" 2>&1
		printf '%s=%s;' "$name" $? >>"$T/$1.rc"
	done <"$T/steps"
}
want="record the integration test=0;check=0;diff with the baseline=0;report=0;"

echo same >"$T/mode"
job first
[ "$(cat "$T/first.rc")" = "$want" ] && grep -q "no baseline yet: diff skipped" "$T/first.log" &&
	[ -s "$J/report.html" ] && [ -s "$J/build.ktr" ] &&
	kt_pass ci_example_first || kt_fail ci_example_first "$(cat "$T/first.rc") $(tail -3 "$T/first.log" | tr '\n' '|')"

# the artifact of that run is the next run's baseline
mkdir -p "$J/baseline" && cp "$J/build.ktr" "$J/baseline/build.ktr" && rm -f "$J/report.html"
job same
[ "$(cat "$T/same.rc")" = "$want" ] && grep -q "^no change crossed a threshold" "$T/same.log" &&
	[ -s "$J/report.html" ] &&
	kt_pass ci_example_same || kt_fail ci_example_same "$(cat "$T/same.rc") $(grep -A3 'crossed a threshold:' "$T/same.log" | tr '\n' '|')"

echo fsync >"$T/mode"
job regression
[ "$(cat "$T/regression.rc")" = "${want/baseline=0/baseline=1}" ] &&
	grep -qE "syscall  new +dd: fsync +0 -> 1" "$T/regression.log" &&
	kt_pass ci_example_regression || kt_fail ci_example_regression "$(cat "$T/regression.rc")"
