#!/usr/bin/env python3
"""Check a `ktrail export --chrome` file against the Chrome Trace Event
format's rules as Perfetto and chrome://tracing import it (RENDER-NOTES
§3) and print what it holds.  Exit 1 on a broken rule.

  chrome.py FILE
"""
import collections, json, re, sys

path = sys.argv[1]
raw = open(path).read()
bad = []
def rule(ok, msg):
    if not ok and len(bad) < 20:
        bad.append(msg)

rule(raw.startswith('{"traceEvents":['), 'does not start with {"traceEvents":[')
d = json.loads(raw)
ev = d['traceEvents']
rule(d.get('displayTimeUnit') == 'ns', 'displayTimeUnit is not ns')
meta = d.get('metadata', {})
rule('ts_origin_ns' in meta.get('ktrail', {}), 'no clock-sync metadata (ts_origin_ns)')
rule('clock-domain' in meta, 'no clock-domain')

# every ts and dur in microseconds with exactly three decimals (ns)
nts = raw.count('"ts":') + raw.count('"dur":')
fmt = len(re.findall(r'"(?:ts|dur)":\d+\.\d{3}[,}]', raw))
rule(nts == fmt, '%d of %d ts/dur are not µs with 3 decimals' % (nts - fmt, nts))

phases = collections.Counter(e['ph'] for e in ev)
last = -1.0
open_b = collections.defaultdict(list)      # (pid, tid) -> [B events]
async_open = {}
async_seen = set()
xs = collections.defaultdict(list)
flows = collections.defaultdict(list)
names = set()
for i, e in enumerate(ev):
    ph = e['ph']
    rule(type(e.get('pid')) is int and 0 <= e['pid'] < 2**32, '#%d: pid not a u32' % i)
    rule(type(e.get('tid')) is int and 0 <= e['tid'] < 2**32, '#%d: tid not a u32' % i)
    key = (e['pid'], e['tid'])
    if ph == 'M':
        rule(e['name'] in ('process_name', 'thread_name') and type(e['args']['name']) is str, '#%d: bad M' % i)
        rule(last < 0, '#%d: M after timed events' % i)
        names.add((e['name'], key))
        continue
    ts = e['ts']
    rule(ts >= last, '#%d: ts %s before %s (not in time order)' % (i, ts, last))
    last = ts
    if ph == 'B':
        open_b[key].append(e)
    elif ph == 'E':
        rule(bool(open_b[key]), '#%d: E with no B on %s' % (i, key))
        if open_b[key]:
            b = open_b[key].pop()
            rule(ts >= b['ts'], '#%d: E before its B' % i)
    elif ph == 'X':
        rule(e['dur'] >= 0, '#%d: negative dur' % i)
        xs[key].append((ts, ts + e['dur']))
    elif ph in ('b', 'e'):
        k = (e['cat'], e['id'])
        if ph == 'b':
            rule(k not in async_seen, '#%d: async id %s reused' % (i, k))
            async_seen.add(k)
            async_open[k] = e
        else:
            b = async_open.pop(k, None)
            rule(b is not None and b['name'] == e['name'] and ts >= b['ts'],
                 '#%d: e with no matching b (%s)' % (i, k))
    elif ph in ('s', 'f'):
        flows[(e['cat'], e['name'], e['id'])].append(e)
        # a flow binds to the slice open on its thread at its time
        rule(bool(open_b[key]), '#%d: flow %s with no slice open on %s' % (i, ph, key))
        if ph == 'f':
            rule(e.get('bp') == 'e', '#%d: f without "bp":"e"' % i)
    else:
        rule(False, '#%d: unexpected phase %s' % (i, ph))

rule(not any(open_b.values()), 'B without E: %d' % sum(len(v) for v in open_b.values()))
rule(not async_open, 'b without e: %d' % len(async_open))
for k, v in flows.items():
    rule(sorted(x['ph'] for x in v) == ['f', 's'], 'flow %s does not pair up: %s' % (k, [x['ph'] for x in v]))
for k, v in xs.items():
    v.sort()
    for a, b in zip(v, v[1:]):
        rule(b[0] >= a[1] - 1e-9, 'X slices overlap on %s at %s' % (k, b[0]))
tracks = {k for k in list(open_b) + list(xs)}
for k in tracks:
    rule(('thread_name', k) in names, 'track %s has no thread_name' % (k,))

print('events: ' + ', '.join('%s %d' % kv for kv in sorted(phases.items())))
print('every B has its E: %d slices; every b its e: %d async slices; X slices do not overlap' % (phases['B'], phases['b']))
print('flows pair up: %d, each from and to a slice open on its thread' % len(flows))
print('ts and dur: %d values, all µs with 3 decimals; in time order' % nts)
print('tracks named: %d threads, %d processes' % (
    sum(1 for n in names if n[0] == 'thread_name'), sum(1 for n in names if n[0] == 'process_name')))
for b in bad:
    print('FAIL:', b)
sys.exit(1 if bad else 0)
