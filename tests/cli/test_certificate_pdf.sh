# kaoshi certificate pdf: the PDF of a certificate that verifies, its Chinese
# text as written (pdftotext), its font embedded (pdffonts), its QR code
# readable (zbarimg); a revoked, altered or unknown certificate refused with
# nothing written; the file written whole or not at all.
. "$ROOT/tests/cli/sitting_fixture.sh"
. "$ROOT/tests/cli/certificate_fixture.sh"

LATER=2027-07-20T10:00:00+08:00
NUMBER=DEMO-CS-2027-000001

# C001 passes with 85 of 100 and is issued certificate $NUMBER.
issue_c001() {
    declare_certificate "$CCOM_CERTIFICATE"
    open_demo
    start_c001
    KAOSHI_NOW=$T0 answer_right "$ATTEMPT"
    KAOSHI_NOW=$T0 run attempt submit "$ATTEMPT"
    KAOSHI_NOW=$T0 run grade s1
    expect_rc 0
    run keys init --key sign.key
    expect_rc 0
    KAOSHI_NOW=$LATER run certificate issue s1 --key sign.key
    expect_out_has "issued $NUMBER C001 张三"
}

text_of() { # PDF: its text as pdftotext lays it out, in .text
    pdftotext -layout "$1" .text || fail "pdftotext cannot read $1"
}

expect_text() { # STRING...: each is in .text
    for s in "$@"; do
        grep -qF -- "$s" .text || fail "the PDF lacks '$s'; its text:
$(cat .text)"
    done
}

expect_no_files() { # DIR: holds no file but those listed after it
    local dir=$1
    shift
    local left
    left=$(cd "$dir" && ls -A | grep -vxF -e "$(printf '%s\n' "$@")" | tr '\n' ' ')
    [ -z "$left" ] || fail "left behind in $dir: $left"
}

t_pdf_has_the_certificate_text_and_an_embedded_font() {
    issue_c001
    run certificate pdf $NUMBER --key sign.key -o cert.pdf
    expect_rc 0
    expect_out "wrote cert.pdf"
    [ "$(head -c 5 cert.pdf)" = "%PDF-" ] || fail "cert.pdf is no PDF"
    text_of cert.pdf
    expect_text "张三" "排班管理岗" "第一期《CCOM 标准关键岗位认证证书》" \
        "中国电子商会呼叫中心与客户关系管理专业委员会（CNCCA）" "证书编号：$NUMBER" \
        "DEMO-CS" "85 / 100 分" "发证日期：2027年7月20日" "验证：/verify/$NUMBER"
    # the fingerprints of the stored signature and of the key
    local sig fp
    sig=$(sqlite3 exam.db "SELECT signature FROM certificates WHERE number = '$NUMBER'")
    fp=$(python3 -c 'import base64,hashlib,sys
h = hashlib.blake2b(base64.b64decode(sys.argv[1]), digest_size=8).hexdigest()
print("-".join(h[i:i + 4] for i in range(0, 16, 4)))' "$sig")
    expect_text "签名指纹：$fp"
    run keys show --key sign.key --json
    expect_text "公钥指纹：$(python3 -c 'import json,sys; print(json.load(sys.stdin)["fingerprint"])' <.out)"
    [ "$(pdfinfo cert.pdf | sed -n 's/^Pages: *//p')" = 1 ] || fail "not one page: $(pdfinfo cert.pdf)"
    # A4 landscape: 842 x 595 points
    pdfinfo cert.pdf | grep -q '^Page size: *841.89 x 595.28 pts (A4)' ||
        fail "not A4 landscape: $(pdfinfo cert.pdf | grep 'Page size')"
    pdffonts cert.pdf >fonts.txt
    grep -q 'WenQuanYiZenHei.* yes yes ' fonts.txt || fail "WenQuanYi Zen Hei not embedded: $(cat fonts.txt)"
    # every font the PDF uses is embedded: the 'emb' column is yes throughout
    [ "$(awk 'NR > 2 && $(NF - 4) != "yes"' fonts.txt)" = "" ] || fail "a font not embedded: $(cat fonts.txt)"
}

t_default_name_and_full_url_with_qr_code() {
    issue_c001
    run certificate pdf $NUMBER --key sign.key --url https://kaoshi.example.org/
    expect_rc 0
    expect_out "wrote $NUMBER.pdf"
    text_of $NUMBER.pdf
    expect_text "验证：https://kaoshi.example.org/verify/$NUMBER" "扫码验证"
    pdftoppm -png -r 150 $NUMBER.pdf page
    [ "$(zbarimg -q --raw page-1.png 2>/dev/null)" = "https://kaoshi.example.org/verify/$NUMBER" ] ||
        fail "the QR code does not read as the address: $(zbarimg -q --raw page-1.png 2>&1)"
    # a path alone gets no QR code
    run certificate pdf $NUMBER --key sign.key -o plain.pdf
    text_of plain.pdf
    ! grep -qF "扫码验证" .text || fail "a QR code without a full address"
    pdftoppm -png -r 150 plain.pdf plain
    [ -z "$(zbarimg -q --raw plain-1.png 2>/dev/null)" ] || fail "a QR code without a full address"
    run certificate pdf $NUMBER --key sign.key -o x.pdf --url ftp://example.org
    expect_rc 1
    expect_err "kaoshi: 'ftp://example.org' is not the base of a verification address (expected http:// or https:// and a host, like https://kaoshi.example.org)"
    [ ! -e x.pdf ] || fail "x.pdf written for a bad --url"
}

t_public_key_alone_verifies() {
    issue_c001
    run keys show --key sign.key --json
    local pk
    pk=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["public_key"])' <.out)
    run certificate pdf $NUMBER --public-key "$pk" --output by-public-key.pdf
    expect_rc 0
    [ -s by-public-key.pdf ] || fail "nothing written with --public-key"
    run keys init --key other.key
    run certificate pdf $NUMBER --key other.key -o other.pdf
    expect_rc 1
    expect_err "kaoshi: certificate $NUMBER does not verify (the signature does not match the certificate's contents: it was altered or not signed with this installation's key); no PDF is made"
    [ ! -e other.pdf ] || fail "a PDF of a certificate another key does not verify"
}

t_revoked_is_refused_and_nothing_written() {
    issue_c001
    mkdir out
    KAOSHI_NOW=$LATER run certificate revoke $NUMBER --reason "考试违规"
    expect_rc 0
    run certificate pdf $NUMBER --key sign.key -o out/cert.pdf
    expect_rc 1
    expect_out ""
    expect_err "kaoshi: certificate $NUMBER does not verify (revoked: 考试违规); no PDF is made"
    expect_no_files out
}

t_altered_row_is_refused() {
    issue_c001
    sqlite3 exam.db "UPDATE certificates SET payload = replace(payload, '张三', '张五')"
    run certificate pdf $NUMBER --key sign.key -o cert.pdf
    expect_rc 1
    expect_err "kaoshi: certificate $NUMBER does not verify (the signature does not match the certificate's contents: it was altered or not signed with this installation's key); no PDF is made"
    [ ! -e cert.pdf ] || fail "a PDF of an altered certificate"
}

t_unknown_number_is_refused() {
    issue_c001
    run certificate pdf DEMO-CS-2027-000002 --key sign.key
    expect_rc 1
    expect_err "kaoshi: no certificate numbered DEMO-CS-2027-000002 was issued here"
    [ ! -e DEMO-CS-2027-000002.pdf ] || fail "a PDF of an unknown number"
}

t_missing_directory_writes_nothing() {
    issue_c001
    run certificate pdf $NUMBER --key sign.key -o missing/cert.pdf
    expect_rc 1
    expect_err "kaoshi: cannot write missing/cert.pdf: No such file or directory"
    [ ! -e missing ] || fail "the directory was created"
    # a directory in the way: the rename fails, the temporary file is removed
    mkdir -p out/cert.pdf
    run certificate pdf $NUMBER --key sign.key -o out/cert.pdf
    expect_rc 1
    expect_err "kaoshi: cannot write out/cert.pdf: Is a directory"
    expect_no_files out cert.pdf
}

t_replaces_an_older_file_whole() {
    issue_c001
    umask 022
    echo "old" >cert.pdf
    chmod 640 cert.pdf
    run certificate pdf $NUMBER --key sign.key -o cert.pdf
    expect_rc 0
    [ "$(head -c 5 cert.pdf)" = "%PDF-" ] || fail "cert.pdf not replaced"
    # a new file's mode under the umask, not the temporary file's 0600
    [ "$(stat -c %a cert.pdf)" = 644 ] || fail "mode $(stat -c %a cert.pdf)"
    expect_no_files . cert.pdf exam.db exam.db-wal exam.db-shm sign.key answers.txt roster.csv \
        scripts banks .out .err .text
}

t_usage() {
    run certificate pdf --key sign.key
    expect_rc 2
    expect_err "kaoshi certificate pdf: expected one certificate number
Try 'kaoshi certificate pdf --help'."
    run certificate pdf A -o
    expect_rc 2
    expect_err "kaoshi certificate pdf: option '-o' needs a value
Try 'kaoshi certificate pdf --help'."
    run certificate verify A --url http://x
    expect_rc 2
    expect_err_has "--url and --output are for 'certificate pdf'"
    run certificate --help
    expect_rc 0
    expect_out_has "kaoshi certificate pdf NUMBER [-o FILE] [--url BASE]"
}

t_without_the_font_nothing_is_written() {
    issue_c001
    # a fontconfig that knows no font at all
    printf '<?xml version="1.0"?>\n<fontconfig><cachedir>%s/fc-cache</cachedir></fontconfig>\n' "$PWD" >fonts.conf
    FONTCONFIG_FILE=$PWD/fonts.conf run certificate pdf $NUMBER --key sign.key -o cert.pdf
    expect_rc 1
    expect_err "kaoshi: the font \"WenQuanYi Zen Hei\" is not installed (Debian package fonts-wqy-zenhei); a certificate is never set in a fallback font"
    [ ! -e cert.pdf ] || fail "a PDF without its font"
}
