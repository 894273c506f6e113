# Helpers for black-box CLI tests, sourced by tests/cli/runner.sh.
#   run ARGS...          runs kaoshi; sets RC, OUT (stdout), ERR (stderr)
#   expect_rc N          the exit status was N
#   expect_err TEXT      stderr was exactly TEXT (one trailing newline ignored)
#   expect_out TEXT      stdout was exactly TEXT
#   expect_out_has TEXT  stdout contains TEXT;  expect_err_has TEXT likewise
# A failed expectation prints where it was and marks the test failed; the test
# goes on so one run shows every difference.

run() {
    "$KAOSHI" "$@" >.out 2>.err
    RC=$?
    OUT=$(cat .out)
    ERR=$(cat .err)
}

fail() {
    echo "  $TEST_NAME (line ${BASH_LINENO[1]}): $*" >&2
    touch .failed
}

expect_rc() {
    [ "$RC" = "$1" ] || fail "exit status $RC, expected $1; stderr: $ERR"
}

expect_err() {
    [ "$ERR" = "$1" ] || fail "stderr was:
$ERR
expected:
$1"
}

expect_out() {
    [ "$OUT" = "$1" ] || fail "stdout was:
$OUT
expected:
$1"
}

expect_out_has() {
    case $OUT in *"$1"*) ;; *) fail "stdout lacks '$1'; it was:
$OUT" ;; esac
}

expect_err_has() {
    case $ERR in *"$1"*) ;; *) fail "stderr lacks '$1'; it was:
$ERR" ;; esac
}
