# record's error paths (docs/cli.md), none of which needs root: a missing
# input (cgroup) or a bad option exit 2; an output that cannot be created
# exits 3 naming it, before anything is loaded and leaving nothing behind;
# stdout (the manual) on a full disk 3, to a reader that went away 0.
# tests/live/record_errors.sh covers the cases that record.
. tests/cli/lib.bash
cd "$KT_TMP" || exit 1
mkdir dir
k record -o x.ktr --cgroup /kt-no-such-cgroup -d 1
k record -o x.ktr --zstd 5x -d 1
k record -o x.ktr --bogus -d 1
k record -o x.ktr --host-id "a b" -d 1
k record -o x.ktr --host-id "" -d 1
k record -o /nonexistent/dir/x.ktr -d 1
k record -o dir -d 1
ls
full record --help
head1 record --help
gone record --help
