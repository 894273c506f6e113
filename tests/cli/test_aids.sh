# Permitted aids (scripts/SCRIPTING.md "Permitted aids", docs/api.md): a
# wrong `aids` declaration names its line; `kaoshi preview` prints the aids;
# the candidate's API gives them ("aids" in /api/me and the attempt) and
# POST /api/attempts/{id}/aids writes one audit entry attempt.aid per attempt,
# refused for a certification without a calculator and for an attempt that
# is paused or has ended.

. "$ROOT/tests/cli/http_fixture.sh"

# aids_cert AIDS: certification T (scripts/t.lua, bank t) declaring AIDS
# from line 6 on.
aids_cert() {
    printf 'bank: t\ntitle: t\nitems:\n  - id: t-1\n    type: true_false\n    chapter: 1\n    stem: s\n    answer: true\n' \
        >banks/t.yaml
    cat >scripts/t.lua <<EOF
return certification {
  code = "T", title = "t",
  banks = { "t" },
  duration = "30m",
  sections = { { title = "one", from = { chapter = 1 }, pick = 1, points = 1 } },
$1
}
EOF
}

declaration_error() { # AIDS MESSAGE: checking T with AIDS fails with MESSAGE
    aids_cert "$1"
    run check scripts/t.lua
    expect_rc 1
    expect_err "$2"
}

t_a_wrong_aids_declaration_names_its_line() {
    declaration_error '  aids = "calculator",' \
        "scripts/t.lua:6: certification: 'aids' must be a table such as { calculator = \"basic\", notes = { ... } } (got \"calculator\")"
    declaration_error '  aids = { calculator = "graphing" },' \
        "scripts/t.lua:6: certification: aids: 'calculator' must be \"basic\" or \"scientific\" (got \"graphing\")"
    declaration_error '  aids = {
    calculator = "basic",
    calculater = true,
  },' "scripts/t.lua:8: certification: aids: unknown key 'calculater'; expected calculator, notes"
    declaration_error '  aids = { notes = "允许使用草稿纸" },' \
        "scripts/t.lua:6: certification: aids: 'notes' must be a list of texts (got \"允许使用草稿纸\")"
    declaration_error '  aids = {
    notes = {
      "允许使用草稿纸",
      "",
    },
  },' "scripts/t.lua:9: certification: aids: note 2 must be a non-empty text (got \"\")"
}

t_preview_prints_the_aids() {
    run preview DEMO-CS --seed 1
    expect_rc 0
    [ "$(sed -n 2,3p .out)" = "permitted aids: basic calculator (on screen)
  - 允许使用草稿纸（考场提供）" ] || fail "preview: $(head -4 .out)"
    run preview DEMO-CS --seed 1 --json
    [ "$(python3 -c 'import json; print(json.dumps(json.load(open(".out"))["aids"], ensure_ascii=False))')" = \
      '{"calculator": "basic", "notes": ["允许使用草稿纸（考场提供）"]}' ] || fail "preview --json: $(head -8 .out)"
    run preview CCOM-WFMP --seed 1
    [ "$(sed -n 2p .out)" = "permitted aids: scientific calculator (on screen)" ] || fail "CCOM: $(head -3 .out)"
    aids_cert ''
    run preview T --seed 1
    expect_rc 0
    [ "$(sed -n 2,3p .out)" = "permitted aids: no calculator" ] || fail "no aids: $(head -3 .out)"
    run preview T --seed 1 --json
    [ "$(python3 -c 'import json; print(json.load(open(".out"))["aids"])')" = \
      "{'calculator': None, 'notes': []}" ] || fail "no aids --json: $(head -8 .out)"
}

# The attempt.aid entries of sitting s1's audit log, one a line.
aid_entries() {
    run sitting log s1
    grep ' attempt\.aid ' .out | cut -d' ' -f2-
}

t_the_api_gives_the_aids_and_audits_their_use_once() {
    open_now s1 DEMO-CS
    serve_start
    login_candidate a C001 "$CODE1"
    req GET /api/me
    [ "$(jq 'b["sitting"]["aids"]')" = '{"calculator": "basic", "notes": ["允许使用草稿纸（考场提供）"]}' ] ||
        fail "me: $BODY"
    req POST /api/attempts '{}'
    ID=$(jq 'b["attempt"]')
    req GET "/api/attempts/$ID"
    [ "$(jq 'b["aids"]["calculator"]')" = basic ] || fail "attempt: $BODY"
    req POST "/api/attempts/$ID/aids" '{"aid":"calculator"}'
    expect_status 200
    [ "$(jq 'b')" = '{"aid": "calculator"}' ] || fail "use: $BODY"
    [ "$(aid_entries)" = "candidate:C001 attempt.aid attempt $ID {\"aid\":\"calculator\"}" ] ||
        fail "audit log: $(aid_entries)"
    # a later use (another page load) is accepted and not written again
    req POST "/api/attempts/$ID/aids" '{"aid":"calculator"}'
    expect_status 200
    [ "$(aid_entries | wc -l)" = 1 ] || fail "a second use was written: $(aid_entries)"
    # what is not a permitted aid, another candidate's attempt, no CSRF token
    req POST "/api/attempts/$ID/aids" '{"aid":"phone"}'
    expect_status 400
    [ "$(jq '[b["error"], b["message"], b["detail"]]')" = \
      '["invalid", "本场考试不允许使用该辅助工具", "unknown aid '"'"'phone'"'"'; expected calculator"]' ] ||
        fail "phone: $BODY"
    req POST "/api/attempts/$ID/aids" '{}'
    expect_status 400
    login_candidate b C002 "$CODE2"
    req POST "/api/attempts/$ID/aids" '{"aid":"calculator"}'
    expect_status 404
    as a
    mv a.csrf a.token
    req POST "/api/attempts/$ID/aids" '{"aid":"calculator"}'
    expect_status 403
    mv a.token a.csrf
    [ "$(aid_entries | wc -l)" = 1 ] || fail "refused uses were audited: $(aid_entries)"
    # paused, then ended
    run proctor pause "$ID"
    expect_rc 0
    req POST "/api/attempts/$ID/aids" '{"aid":"calculator"}'
    expect_status 409
    [ "$(jq '[b["error"], b["message"]]')" = '["paused", "考试已被监考老师暂停"]' ] || fail "paused: $BODY"
    run proctor submit "$ID"
    expect_rc 0
    req POST "/api/attempts/$ID/aids" '{"aid":"calculator"}'
    expect_status 409
    [ "$(jq '[b["error"], b["message"]]')" = '["ended", "考试已结束"]' ] || fail "ended: $BODY"
    [ "$(aid_entries | wc -l)" = 1 ] || fail "refused uses were audited: $(aid_entries)"
    serve_stop
}

t_a_certification_without_a_calculator_refuses_its_use() {
    sed -e 's/code = "DEMO-CS"/code = "NOCALC"/' -e '/^  aids = /d' scripts/demo.lua >scripts/nocalc.lua
    open_now s1 NOCALC
    serve_start
    login_candidate a C001 "$CODE1"
    req GET /api/me
    [ "$(jq 'b["sitting"]["aids"]')" = '{"calculator": null, "notes": []}' ] || fail "me: $BODY"
    req POST /api/attempts '{}'
    ID=$(jq 'b["attempt"]')
    req POST "/api/attempts/$ID/aids" '{"aid":"calculator"}'
    expect_status 400
    [ "$(jq 'b["detail"]')" = "certification NOCALC permits no calculator" ] || fail "use: $BODY"
    [ -z "$(aid_entries)" ] || fail "a refused use was audited: $(aid_entries)"
    serve_stop
}

t_a_draft_sitting_has_no_aids_yet() {
    run sitting create s1 --cert DEMO-CS --opens "$(utc '-1 minute')" --closes "$(utc '+2 hours')"
    expect_rc 0
    printf 'number,name\nC001,张三\n' >roster.csv
    run enroll s1 roster.csv
    expect_rc 0
    CODE1=$(sed -n 's/^C001,张三,//p' .out)
    serve_start
    login_candidate a C001 "$CODE1"
    req GET /api/me
    expect_status 200
    [ "$(jq 'b["sitting"]["aids"]')" = null ] || fail "draft: $BODY"
    serve_stop
}
