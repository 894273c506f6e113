# kaoshi certificate: issuing signed certificates for passed attempts,
# verifying them (from the register and as presented) and revoking them.
. "$ROOT/tests/cli/sitting_fixture.sh"
. "$ROOT/tests/cli/certificate_fixture.sh"

LATER=2027-07-20T10:00:00+08:00

# C001 answers every question right but the essay (85 of 100: a final pass);
# C002 answers only the essay, which waits for a person's mark.
sit_and_grade() {
    declare_certificate '{ title = "《客户服务基础认证证书》", series = "第一期", issuer = "示例认证中心", role = "客户服务代表" }'
    open_demo
    start_c001
    KAOSHI_NOW=$T0 answer_right "$ATTEMPT"
    KAOSHI_NOW=$T0 run attempt submit "$ATTEMPT"
    KAOSHI_NOW=$T0 run attempt start s1 C002 --code "$CODE2" --json
    ATTEMPT2=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["attempt"])' <.out)
    KAOSHI_NOW=$T0 run attempt answer "$ATTEMPT2" "$ESSAY" '{"text": "先道歉，再跟进。"}'
    expect_rc 0
    KAOSHI_NOW=$T0 run attempt submit "$ATTEMPT2"
    KAOSHI_NOW=$T0 run grade s1
    expect_rc 0
    run keys init --key sign.key
    expect_rc 0
}

issue_c001() {
    sit_and_grade
    KAOSHI_NOW=$LATER run certificate issue s1 --key sign.key
    expect_rc 0
    NUMBER=DEMO-CS-2027-000001
}

t_issue_passed_only_with_note_for_pending() {
    issue_c001
    expect_out "issued DEMO-CS-2027-000001 C001 张三
1 certificate issued"
    expect_err "note: C002: attempt 2 waits for a person's mark; no certificate yet"
    run certificate show $NUMBER
    expect_rc 0
    local payload
    payload=$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps(d["certificate"], ensure_ascii=False, sort_keys=True, separators=(",", ":")))' <.out)
    [ "$payload" = '{"candidate":{"name":"张三","number":"C001"},"certification":{"code":"DEMO-CS","issuer":"示例认证中心","role":"客户服务代表","series":"第一期","title":"《客户服务基础认证证书》"},"date":"2027-07-20","format":"kaoshi-certificate-1","max_score":100.0,"number":"DEMO-CS-2027-000001","score":85.0}' ] || fail "payload $payload"
    sqlite3 exam.db "SELECT action, detail FROM audit WHERE action LIKE 'certificate%'" >audit.txt
    [ "$(cat audit.txt)" = 'certificate.issue|{"candidate":"C001","number":"DEMO-CS-2027-000001"}' ] ||
        fail "audit: $(cat audit.txt)"
}

t_issuing_twice_gives_no_second_certificate() {
    issue_c001
    KAOSHI_NOW=$LATER run certificate issue s1 --key sign.key
    expect_rc 0
    expect_out "0 certificates issued"
    expect_err_has "note: C001: attempt 1 already has certificate DEMO-CS-2027-000001"
    [ "$(sqlite3 exam.db 'SELECT count(*) FROM certificates')" = 1 ] || fail "a second certificate"
}

t_numbers_follow_per_code_and_year() {
    sit_and_grade
    # an earlier certificate of the same code and year, and one of another code
    sqlite3 exam.db "INSERT INTO certificates (number, attempt_id, sitting_id, code, year, seq,
        payload, signature, public_key, issued_at) VALUES
        ('DEMO-CS-2027-000041', $ATTEMPT2, 1, 'DEMO-CS', 2027, 41, '{}', '', '', 0)"
    KAOSHI_NOW=$LATER run certificate issue s1 --key sign.key
    expect_rc 0
    expect_out_has "issued DEMO-CS-2027-000042 C001 张三"
    # the year is the issue date's in the sitting's zone (+08:00)
    sqlite3 exam.db "DELETE FROM certificates WHERE seq = 42"
    KAOSHI_NOW=2027-12-31T16:30:00Z run certificate issue s1 --key sign.key
    expect_rc 0
    expect_out_has "issued DEMO-CS-2028-000001 C001 张三"
}

t_verify_valid_from_register_and_file() {
    issue_c001
    run certificate verify $NUMBER --key sign.key
    expect_rc 0
    expect_out "valid: DEMO-CS-2027-000001, 张三 (C001), 《客户服务基础认证证书》, 2027-07-20"
    run certificate show $NUMBER
    echo "$OUT" >cert.json
    run keys show --key sign.key --json
    local pk
    pk=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["public_key"])' <.out)
    run certificate verify --file cert.json --public-key "$pk"
    expect_rc 0
    expect_out_has "valid: DEMO-CS-2027-000001"
}

t_tampered_name_or_score_fails() {
    issue_c001
    run certificate show $NUMBER
    echo "$OUT" >cert.json
    sed 's/张三/张五/' cert.json >name.json
    run certificate verify --file name.json --key sign.key
    expect_rc 1
    expect_out "invalid: the signature does not match the certificate's contents: it was altered or not signed with this installation's key"
    sed 's/"score": 85.0/"score": 95.0/' cert.json >score.json
    cmp -s cert.json score.json && fail "the score was not changed"
    run certificate verify --file score.json --key sign.key
    expect_rc 1
    expect_out_has "invalid: the signature does not match"
    # the register's own copy altered in the database
    sqlite3 exam.db "UPDATE certificates SET payload = replace(payload, '85.0', '95.0')"
    run certificate verify $NUMBER --key sign.key
    expect_rc 1
    expect_out_has "invalid: the signature does not match"
}

t_other_key_fails() {
    issue_c001
    run keys init --key other.key
    run certificate verify $NUMBER --key other.key
    expect_rc 1
    expect_out_has "invalid: the signature does not match"
}

t_revoked_fails_with_reason() {
    issue_c001
    run certificate revoke $NUMBER
    expect_rc 2
    run certificate revoke $NUMBER --reason $'\xff\xfe'
    expect_rc 1
    expect_err "kaoshi: the reason must be 1 to 2000 bytes of UTF-8 text"
    KAOSHI_NOW=$LATER run certificate revoke $NUMBER --reason "考试违规"
    expect_rc 0
    expect_out "revoked DEMO-CS-2027-000001"
    run certificate verify $NUMBER --key sign.key
    expect_rc 1
    expect_out "invalid: revoked: 考试违规"
    run certificate show $NUMBER
    echo "$OUT" >cert.json
    run certificate verify --file cert.json --key sign.key
    expect_rc 1
    expect_out "invalid: revoked: 考试违规"
    run certificate revoke $NUMBER --reason again
    expect_rc 1
    expect_err "kaoshi: certificate DEMO-CS-2027-000001 is already revoked"
    [ "$(sqlite3 exam.db "SELECT count(*) FROM audit WHERE action = 'certificate.revoke'")" = 1 ] ||
        fail "revocation not audited once"
}

t_unknown_number_fails() {
    issue_c001
    run certificate verify DEMO-CS-2027-000002 --key sign.key
    expect_rc 1
    expect_out "invalid: no certificate numbered DEMO-CS-2027-000002 was issued here"
    run certificate show $NUMBER
    sed 's/000001/000009/' <<<"$OUT" >forged.json
    run certificate verify --file forged.json --key sign.key
    expect_rc 1
    expect_out "invalid: no certificate numbered DEMO-CS-2027-000009 was issued here"
    run certificate revoke DEMO-CS-2027-000002 --reason x
    expect_rc 1
    expect_err "kaoshi: no certificate has the number DEMO-CS-2027-000002"
}

t_refusals() {
    open_demo
    run keys init --key sign.key
    run certificate issue s1 --key sign.key
    expect_rc 1
    expect_err "kaoshi: certification DEMO-CS declares no certificate table with a title and an issuer"
    run certificate issue s1 --key none.key
    expect_rc 1
    expect_err_has "none.key: No such file or directory"
    run certificate verify --file x.json A --key sign.key
    expect_rc 2
    run certificate frobnicate
    expect_rc 2
    expect_err_has "unknown subcommand 'frobnicate'"
}
