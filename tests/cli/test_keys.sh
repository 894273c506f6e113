# kaoshi keys: creating and showing the signing key that signs certificates.

t_init_creates_private_key_once() {
    run keys init --key sign.key
    expect_rc 0
    expect_out_has "created signing key sign.key"
    [ "$(stat -c %a sign.key)" = 600 ] || fail "mode $(stat -c %a sign.key), expected 600"
    local before
    before=$(cat sign.key)
    run keys init --key sign.key
    expect_rc 1
    expect_err "kaoshi: sign.key exists; a signing key is never overwritten"
    [ "$(cat sign.key)" = "$before" ] || fail "the key file changed"
}

t_show_prints_the_public_key_of_init() {
    run keys init --key a.key --json
    expect_rc 0
    local created=$OUT
    KAOSHI_KEY=a.key run keys show --json
    expect_rc 0
    expect_out "$created"
    case $OUT in '{"public_key": "'????????????????????????????????????????????'", "fingerprint": "'????-????-????-????'"}') ;;
    *) fail "unexpected output $OUT" ;; esac
}

t_show_of_known_seed() {
    # RFC 8032 test vector 1.
    echo "kaoshi-ed25519-seed 9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60" >k
    chmod 600 k
    run keys show --key k
    expect_rc 0
    expect_out "public key   11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=
fingerprint  c466-07ca-b5cd-8e90"
    chmod 640 k
    run keys show --key k
    expect_rc 1
    expect_err "kaoshi: k: group or others may access the signing key (mode 640); run chmod 600 on it"
}

t_show_without_key() {
    run keys show --key none.key
    expect_rc 1
    expect_err "kaoshi: none.key: No such file or directory (create the key with 'kaoshi keys init')"
    run keys rotate
    expect_rc 2
    expect_err_has "unknown subcommand 'rotate'"
}
