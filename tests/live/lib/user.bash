# Shared by the tests that need an unprivileged user (sourced).
#
#   kt_test_user      create the system user ktrail-test when it is missing
#                     (useradd -r, no home, no login shell) and print its
#                     name; it is kept for the next run and the other tests
#                     (removing it while another test uses it would break
#                     that test).  Prints nothing when it cannot be made.
#   kt_as_user USER CMD...   run CMD as USER with USER's groups and no
#                     capability at all (setpriv; file capabilities of an
#                     executed binary still apply)
KT_TEST_USER=ktrail-test

kt_test_user() {
	if ! id -u "$KT_TEST_USER" >/dev/null 2>&1; then
		# two tests may race to create it: the loser finds it made
		useradd -r -M -s /usr/sbin/nologin "$KT_TEST_USER" >/dev/null 2>&1 ||
			id -u "$KT_TEST_USER" >/dev/null 2>&1 || return 0
	fi
	echo "$KT_TEST_USER"
}

kt_as_user() {
	local u=$1
	shift
	setpriv --reuid="$u" --regid="$u" --init-groups --inh-caps=-all -- "$@"
}
