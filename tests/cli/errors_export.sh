# ktrail export and ktrail sql refuse bad input with the documented exit
# status (docs/cli.md): 2 for usage (no format, an unknown one, two, no
# OUT, a bad family, a missing capture, sql without a query, a query
# SQLite refuses or that would write); 3 for an output that cannot be
# written (a read-only place, a missing directory, a full disk) and a
# cache directory that is not ours; nothing is left behind.
. tests/cli/lib.bash
T=.
cp corpus/scenarios/exit_kill.ktr "$KT_TMP/x.ktr"
cd "$KT_TMP" || exit 1
f=x.ktr
k export
k export $f
k export $f --format xml -o $T/x
k export $f --sqlite $T/a.db --json
k export $f --sqlite
k export $f --chrome
k export $f --sqlite $T/a.db -e sched,bogus
k export $f --sqlite $T/a.db --from +5s
k export missing.ktr --sqlite $T/a.db
k export $f --sqlite /proc/x.db
k export $f --chrome $T/nodir/x.json
k export $f --pcap /proc/x.pcapng
full export $f --json
gone export $f --json
echo "left here: $(ls -A | grep -v -e fifo -e x.ktr | tr '\n' ' ')"
k sql $f
k sql $f ''
k sql
k sql $f 'SELEC 1' --json
k sql $f 'SELECT * FROM nosuch'
k sql $f 'DELETE FROM meta'
k sql $f "ATTACH '$T/evil.db' AS e"
k sql $f "VACUUM INTO '$T/v.db'"
k sql $f 'PRAGMA writable_schema = 1'
k sql $f 'SELECT 1' --csv --json
echo "nothing written by the refused queries: $(ls "$T" | grep -c -e evil -e '^v.db')"
# a cache directory that belongs to another user, or is a link
mkdir -p other/ktrail && chown 65534 other/ktrail
XDG_CACHE_HOME=$KT_TMP/other k sql $f 'SELECT 1' | sed "s|$KT_TMP|\$TMP|"
mkdir -p link && ln -s /tmp link/ktrail
XDG_CACHE_HOME=$KT_TMP/link k sql $f 'SELECT 1' | sed "s|$KT_TMP|\$TMP|"
