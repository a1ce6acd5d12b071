# ktrail sql: its cache in $XDG_CACHE_HOME/ktrail (~/.cache/ktrail
# without it), mode 0700, never beside the capture; built once, used
# again while the capture is the same, rebuilt (the old one removed)
# when it changes; the three output forms; several statements.
T=$KT_TMP
cp corpus/scenarios/exit_kill.ktr $T/x.ktr
export XDG_CACHE_HOME=$T/cache
q="SELECT name, count(*) AS n FROM syscalls GROUP BY name ORDER BY n DESC, name LIMIT 3"
"$KTRAIL" sql $T/x.ktr "$q"; echo "exit $?"
echo "cache: mode $(stat -c %a $T/cache/ktrail), $(ls $T/cache/ktrail | wc -l) file, mode $(stat -c %a $T/cache/ktrail/*.db)"
echo "beside the capture: $(ls $T | tr '\n' ' ')"
before=$(stat -c %Y.%i $T/cache/ktrail/*.db)
"$KTRAIL" sql $T/x.ktr "$q" --csv; echo "exit $?"
[ "$(stat -c %Y.%i $T/cache/ktrail/*.db)" = "$before" ] && echo "second query: the cached export, not rebuilt"
# the capture changes: another capture's bytes at the same path
cp corpus/scenarios/lock_convoy.ktr $T/x.ktr
touch -d '2020-01-01' $T/x.ktr
"$KTRAIL" sql $T/x.ktr "$q" --json; echo "exit $?"
echo "after the change: $(ls $T/cache/ktrail | wc -l) file, $([ "$(stat -c %Y.%i $T/cache/ktrail/*.db)" != "$before" ] && echo rebuilt)"
"$KTRAIL" sql $T/x.ktr "SELECT count(*) AS events FROM events; SELECT value FROM meta WHERE key = 'export.events'"
echo "HOME without XDG_CACHE_HOME:"
unset XDG_CACHE_HOME
HOME=$T/home "$KTRAIL" sql $T/x.ktr "SELECT 1 AS one"; echo "exit $?"
echo "  $(cd $T/home && find . -printf '%p %m\n' | sort | tr '\n' ' ')" | sed 's/[0-9a-f]*-[0-9a-f]*-[0-9a-f]*-[0-9a-f]*-[0-9a-f]*-s[0-9]*\.db/KEY.db/'
