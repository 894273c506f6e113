# Shared set-up for the certificate tests (test_certificate*.sh,
# test_http_verify.sh):
#   declare_certificate TABLE   gives the example certification (the scratch
#                               copy of scripts/demo.lua) `certificate = TABLE`
#   answer_right ATTEMPT        answers every question of ATTEMPT right but the
#                               essay (85 of 100: a final pass); ESSAY is the
#                               essay's question number
# Both run kaoshi with the caller's KAOSHI_NOW and KAOSHI_DB.

# The certificate table of the CCOM programme (scripts/lib/ccom.lua).
CCOM_CERTIFICATE='{ title = "《CCOM 标准关键岗位认证证书》", series = "第一期", issuer = "中国电子商会呼叫中心与客户关系管理专业委员会（CNCCA）", role = "排班管理岗" }'

declare_certificate() {
    local table=${1//&/\\&}
    sed -i "s/^  title = \"客户服务基础认证（示例）\",/&\n  certificate = ${table//\//\\/},/" scripts/demo.lua
    grep -q '^  certificate = ' scripts/demo.lua || fail "scripts/demo.lua: no certificate table added"
}

answer_right() {
    run attempt show "$1" --keys --json
    expect_rc 0
    python3 "$ROOT/tests/cli/keys_to_answers.py" <.out >answers.txt
    while read -r q response; do
        case $response in *'"text"'*) ESSAY=$q; continue ;; esac
        run attempt answer "$1" "$q" "$response"
        expect_rc 0
    done <answers.txt
}
