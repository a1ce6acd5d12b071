#!/bin/bash
# live/truth_checker - the ground-truth checker's own rules (tests/truth/
# selftest.py) on hand-built inputs: overlapping running intervals, switch
# holes, right and wrong `why` answers.  Records nothing; it sits with the
# truth scenarios so that `-k live/truth_` runs it with them.
command -v python3 >/dev/null || { echo "FAIL live/truth_checker: python3 is missing"; exit 0; }
python3 "$(dirname "$0")/../truth/selftest.py" || echo "FAIL live/truth_checker: selftest.py exited $?"
