# The build itself: a development package pkg-config cannot find stops make
# at once with its name and the command that installs it, before any compile.

t_a_missing_package_is_named() {
    env -u MAKEFLAGS -u MAKELEVEL make --no-print-directory -C "$ROOT" -n PKGS="lua5.4 kaoshi-no-such-package" all >.out 2>.err
    RC=$?
    ERR=$(cat .err)
    expect_rc 2
    expect_err_has "pkg-config cannot find: kaoshi-no-such-package (run 'make deps').  Stop."
    [ ! -s .out ] || fail "make went on: $(cat .out)"
}
