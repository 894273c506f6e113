# Exclusive groups through the real binary: items of one group are never on
# one form (1,000 forms drawn by `kaoshi simulate`), nor on a retake after
# an earlier attempt had one of them; `kaoshi coverage` counts a group once;
# `kaoshi check` fails when groups make a pick impossible and warns when
# retakes must repeat a group; a group several sections share is drawn in
# its home section, so every seed draws.

# GROUPS: 一、日期 draws 2 of q1..q6, 二、综合 draws 2 of every item; items
# are in groups g0..g3 (q3, q6, q9 and q12 in none), g0 and g2 in both
# chapters.
groups_cert() {
    cat >scripts/groups.lua <<EOF
return certification {
  code = "GROUPS",
  title = "互斥组",
  banks = { "groups" },
  duration = "30m",
  attempts = ${1:-1},
  sections = {
    { title = "一、日期", from = { chapter = 1 }, pick = 2, points = 10 },
    { title = "二、综合", from = {}, pick = 2, points = 10 },
  },
}
EOF
    cat >banks/groups.yaml <<'EOF'
bank: groups
items:
  - { id: q1, type: true_false, chapter: 1, stem: 第1题, answer: true, group: g1 }
  - { id: q2, type: true_false, chapter: 1, stem: 第2题, answer: true, group: g2 }
  - { id: q3, type: true_false, chapter: 1, stem: 第3题, answer: true }
  - { id: q4, type: true_false, chapter: 1, stem: 第4题, answer: true, group: g0 }
  - { id: q5, type: true_false, chapter: 1, stem: 第5题, answer: true, group: g1 }
  - { id: q6, type: true_false, chapter: 1, stem: 第6题, answer: true }
  - { id: q7, type: true_false, chapter: 2, stem: 第7题, answer: true, group: g3 }
  - { id: q8, type: true_false, chapter: 2, stem: 第8题, answer: true, group: g0 }
  - { id: q9, type: true_false, chapter: 2, stem: 第9题, answer: true }
  - { id: q10, type: true_false, chapter: 2, stem: 第10题, answer: true, group: g2 }
  - { id: q11, type: true_false, chapter: 2, stem: 第11题, answer: true, group: g3 }
  - { id: q12, type: true_false, chapter: 2, stem: 第12题, answer: true }
EOF
}

# Checks the forms of sim.db: no group twice on a form, every item drawn;
# with retakes, no item or group of a candidate's earlier attempt again.
check_forms() {
    python3 - "$1" <<'PY' || fail "forms: $(cat forms.err 2>/dev/null)"
import json, re, sqlite3, sys
group = {m[0]: m[1] for m in re.findall(r"id: (q\d+),.*?(?:group: (g\d))? }", open("banks/groups.yaml").read())}
rows = sqlite3.connect("sim.db").execute(
    "SELECT candidate_id, number, form FROM attempts ORDER BY candidate_id, number").fetchall()
assert len(rows) == int(sys.argv[1]), len(rows)
drawn, seen = set(), {}
for candidate, number, form in rows:
    ids = [s["id"] for s in json.loads(form)["slots"]]
    units = [group[i] or i for i in ids]
    assert len(set(units)) == len(ids), ids
    before = seen.setdefault(candidate, set())
    assert not before & set(units), (candidate, number, ids, before)
    before.update(units)
    drawn.update(ids)
assert drawn == set(group), sorted(set(group) - drawn)
PY
}

t_groups_are_never_split_across_one_form_in_1000_draws() {
    groups_cert 1
    # 二、综合 draws 4: after q3 and q6 (一、日期 takes the items of no group
    # first) and q9, q12 it must take two of the groups both sections share
    sed -i 's/from = {}, pick = 2,/from = {}, pick = 4,/' scripts/groups.lua
    run simulate GROUPS --candidates 1000 --db sim.db
    expect_rc 0
    check_forms 1000
}

t_a_retake_never_repeats_a_group_seen() {
    groups_cert 2
    # 二、综合 draws from chapter 2 alone, whose groups are its own: each
    # section has 5 units for 2 attempts of 2 (q1 and q5 share g1, q7 and
    # q11 g3), and every candidate fails and retakes
    sed -i 's/from = {}, pick = 2,/from = { chapter = 2 }, pick = 2,/' scripts/groups.lua
    sed -i -e 's/stem: 第8题, answer: true, group: g0/stem: 第8题, answer: true, group: g4/' \
        -e 's/stem: 第10题, answer: true, group: g2/stem: 第10题, answer: true, group: g5/' \
        banks/groups.yaml
    run simulate GROUPS --candidates 200 --ability=-20,0 --db sim.db --json
    expect_rc 0
    python3 - <<'PY' || fail "simulate: $OUT"
import json
r = json.load(open(".out"))["retakes"]
assert r["disjoint_forms"] == 2 and r["retakes"] == 200 and r["with_repeats"] == 0, r
PY
    check_forms 400
}

t_coverage_counts_a_group_once() {
    groups_cert 2
    run coverage GROUPS
    expect_rc 0
    expect_out "GROUPS 互斥组 (2 attempts allowed)
   1. 一、日期: 6 items (true_false 6; 4 of them in 3 groups), draws 2, 2 disjoint forms
   2. 二、综合: 12 items (true_false 12; 8 of them in 4 groups), draws 2, 4 disjoint forms
  => 2 disjoint forms for 2 attempts: ok"
    # q3 and q6 join g1: 一、日期 has 3 units, and the blueprint's 6 cannot
    # give two forms of 4, though 二、综合 alone has 6 units for 3
    sed -i -e 's/q3, type: true_false, chapter: 1, stem: 第3题, answer: true }/q3, type: true_false, chapter: 1, stem: 第3题, answer: true, group: g1 }/' \
        -e 's/q6, type: true_false, chapter: 1, stem: 第6题, answer: true }/q6, type: true_false, chapter: 1, stem: 第6题, answer: true, group: g1 }/' \
        banks/groups.yaml
    run coverage GROUPS --json
    expect_rc 1
    python3 - <<'PY' || fail "coverage --json: $OUT"
import json
r = json.load(open(".out"))[0]
assert r["forms"] == 1 and r["ok"] is False, r
assert [(s["items"], s["grouped"], s["groups"], s["forms"]) for s in r["sections"]] == \
    [(6, 6, 3, 1), (12, 10, 4, 3)], r["sections"]
PY
}

t_check_fails_when_groups_make_a_pick_impossible() {
    groups_cert 1
    sed -i 's/chapter = 1 }, pick = 2,/chapter = 1 }, pick = 6,/' scripts/groups.lua
    run check scripts/groups.lua
    expect_rc 1
    expect_err "scripts/groups.lua:8: section 1 (一、日期): draws 6 questions but its 6 items give only 5 that can share a form: items of one group never do (chapter 1)"
}

t_check_fails_when_no_form_can_be_drawn() {
    groups_cert 1
    # 一、日期 draws 4 of its 5 units and 二、综合 5 of all 8: 9 > 8
    sed -i -e 's/chapter = 1 }, pick = 2,/chapter = 1 }, pick = 4,/' \
        -e 's/from = {}, pick = 2,/from = {}, pick = 5,/' scripts/groups.lua
    run check scripts/groups.lua
    expect_rc 1
    expect_err "scripts/groups.lua: no form can be drawn: its sections share items or groups, and what they share cannot give every section its pick at once"
}

t_check_warns_when_retakes_repeat_a_group() {
    groups_cert 3
    # 二、综合 draws 4 of chapter 2's 5 units, two of which (g0, g2) 一、日期
    # also draws from: they are at home in 二、综合, so every form draws
    # (一、日期 takes g1 and q3 or q6); but neither section has enough units
    # for three fresh attempts
    sed -i 's/from = {}, pick = 2,/from = { chapter = 2 }, pick = 4,/' scripts/groups.lua
    run check scripts/groups.lua
    expect_rc 0
    expect_err "warning: banks/groups.yaml:4:5: item 'q2' is all but never drawn: its group 'g2' is at home in section 2 (二、综合), which cannot draw it, so section 1 (一、日期) takes it only when it runs out of questions of its own (put the item in a group of its own section's, or in none)
warning: banks/groups.yaml:10:5: item 'q8' is all but never drawn: its group 'g0' is at home in section 1 (一、日期), which cannot draw it, so section 2 (二、综合) takes it only when it runs out of questions of its own (put the item in a group of its own section's, or in none)
warning: scripts/groups.lua:8: section 1 (一、日期): 6 items match (chapter 1) but, items of one group counted once, only 5, fewer than the 3 × 2 needed for 3 attempts without repeating a question or a group
warning: scripts/groups.lua:9: section 2 (二、综合): 6 items match (chapter 2) but, items of one group counted once, only 5, fewer than the 3 × 4 needed for 3 attempts without repeating a question or a group"
}

t_a_bad_group_is_named_in_the_bank() {
    groups_cert 1
    sed -i 's/group: g3 }/group: "" }/' banks/groups.yaml
    run check banks/groups.yaml
    expect_rc 1
    expect_err "banks/groups.yaml:9:77: item 'q7': field 'group': expected a group name (a non-empty text), found \"\"
banks/groups.yaml:13:79: item 'q11': field 'group': expected a group name (a non-empty text), found \"\""
}

t_every_seed_draws_where_a_plain_draw_fell_short() {
    # 一 draws 2 of a1 (no group), s1 (group g) and s2 (group h); g is shared
    # with 二 (t1 of g, u1: both needed) and h with 三 (t2 of h, v1). A draw
    # section by section that took s1 for 一 left 二 one short (7 of 20
    # seeds); g is at home in 二 and h in 一, so 一 takes a1 and s2.
    cat >scripts/groups.lua <<'EOF2'
return certification {
  code = "GROUPS",
  title = "互斥组",
  banks = { "groups" },
  duration = "30m",
  sections = {
    { title = "一", from = { chapter = 1 }, pick = 2, points = 10 },
    { title = "二", from = { chapter = 2 }, pick = 2, points = 10 },
    { title = "三", from = { chapter = 3 }, pick = 1, points = 10 },
  },
}
EOF2
    cat >banks/groups.yaml <<'EOF2'
bank: groups
items:
  - { id: a1, type: true_false, chapter: 1, stem: 甲, answer: true }
  - { id: s1, type: true_false, chapter: 1, stem: 乙, answer: true, group: g }
  - { id: s2, type: true_false, chapter: 1, stem: 丙, answer: true, group: h }
  - { id: t1, type: true_false, chapter: 2, stem: 丁, answer: true, group: g }
  - { id: u1, type: true_false, chapter: 2, stem: 戊, answer: true }
  - { id: t2, type: true_false, chapter: 3, stem: 己, answer: true, group: h }
  - { id: v1, type: true_false, chapter: 3, stem: 庚, answer: true }
EOF2
    run check scripts/groups.lua --seeds 200
    expect_rc 0
    # s1 and t2 are never drawn, and check says so
    expect_err "warning: banks/groups.yaml:4:5: item 's1' is all but never drawn: its group 'g' is at home in section 2 (二), which cannot draw it, so section 1 (一) takes it only when it runs out of questions of its own (put the item in a group of its own section's, or in none)
warning: banks/groups.yaml:8:5: item 't2' is all but never drawn: its group 'h' is at home in section 1 (一), which cannot draw it, so section 3 (三) takes it only when it runs out of questions of its own (put the item in a group of its own section's, or in none)"
    for seed in 1 2 3 4 5 6 7 8; do
        run preview GROUPS --seed "$seed" --json
        expect_rc 0
        python3 -c "import json; ids = [q['key']['id'] for q in json.load(open('.out'))['questions']]; assert sorted(ids) == ['a1', 's2', 't1', 'u1', 'v1'], ids" ||
            fail "seed $seed: $(cat .out)"
    done
}

t_check_warns_about_a_group_of_one_item() {
    groups_cert 1
    sed -i 's/\(id: q5, .*\)group: g1/\1group: g9/' banks/groups.yaml
    run check scripts/groups.lua
    expect_rc 0
    expect_err "warning: banks/groups.yaml:3:5: item 'q1' is the only item of group 'g1', so the group keeps nothing off its forms (is the name misspelt?)
warning: banks/groups.yaml:7:5: item 'q5' is the only item of group 'g9', so the group keeps nothing off its forms (is the name misspelt?)"
}
