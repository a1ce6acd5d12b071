# replay --json: no object repeats a key, for every kind of small.ktr
# (schema fields named like the common members are renamed)
$KTRAIL replay corpus/synthetic/small.ktr --json | python3 -c '
import collections, json, sys
kinds, bad = set(), collections.Counter()
for line in sys.stdin:
    pairs = []
    def hook(p):
        pairs.append([k for k, v in p])
        return dict(p)
    o = json.loads(line, object_pairs_hook=hook)
    kinds.add(o["kind"])
    for keys in pairs:
        for k, n in collections.Counter(keys).items():
            if n > 1:
                bad[(o["kind"], k)] += 1
print("%d kinds" % len(kinds))
for (kind, key), n in sorted(bad.items()):
    print("%s repeats %s in %d objects" % (kind, key, n))
'
