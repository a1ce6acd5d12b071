# record: option errors exit 2 with one line naming the option, before
# anything is loaded or created (no root needed)
cd "$KT_TMP" || exit 1
t() { echo "\$ ktrail record $*"; "$KTRAIL" record "$@" 2>&1; echo "exit $?"; }
t --force
t -o ''
t -o x.ktr --bogus
t -o x.ktr -e sched,bogus
t -o x.ktr -e net
t -o x.ktr -p 12x
t -o x.ktr --follow
t -o x.ktr -d soon
t -o x.ktr -m lots
t -o x.ktr --syscalls read,nosuchcall
t -o x.ktr --trigger oom
t -o x.ktr --flight 10s --trigger sometimes
t -o x.ktr --snaplen 64
t -o x.ktr -p 1 --cgroup /x
t -o x.ktr -p 1 -- true
t -o x.ktr --fault-sample 0
t -o x.ktr -p 2147483646
t -o x.ktr --cgroup /kt-no-such-cgroup
t -o x.ktr --redact args,secrets
t -o x.ktr --redact args, -- true
t -o x.ktr -u nobody -d 1
t -o x.ktr -u kt-no-such-user -- true
ls x.ktr 2>&1
