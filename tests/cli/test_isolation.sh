# Script state never flows between candidates or attempts: a question type
# whose present() and score() keep module-level lists shows each candidate
# only their own data, through the web API with one worker and with several,
# and grades each attempt as if it were the only one.

. "$ROOT/tests/cli/http_fixture.sh"

# MEMO: the example certification plus one own question type whose hooks
# remember, at module level, every number they were called with.
memo_cert() {
    cat >scripts/memo.lua <<'LUA'
local seen = {}    -- module-level: grows with every call the state survives
local scored = {}
return certification {
  code = "MEMO",
  title = "记忆测试",
  banks = { "memo" },
  duration = "30m",
  pass = 50,
  review = "full",
  question_types = {
    memo = {
      label = "记忆题",
      fields = { stem = "text" },
      prepare = function(item, rng) return { n = rng:int(1, 1000000000) } end,
      present = function(item, data)
        seen[#seen + 1] = data.n
        return { stem = item.stem .. "：" .. table.concat(seen, ","), widget = "number" }
      end,
      score = function(item, response, data)
        scored[#scored + 1] = data.n
        return #scored == 1 and response.value == data.n and 1 or 0
      end,
      solve = function(item, data) return { value = data.n } end,
    },
  },
  sections = { { title = "一、记忆", from = { type = "memo" }, pick = 1, points = 10 } },
}
LUA
    cat >banks/memo.yaml <<'YAML'
bank: memo
items:
  - id: memo-1
    type: memo
    chapter: 1
    stem: 已见的数
YAML
    run check scripts/memo.lua
    expect_rc 0
}

# Starts the three candidates' attempts; ID1..ID3.
start_all() {
    local i code
    for i in 1 2 3; do
        code=CODE$i
        login_candidate "j$i" "C00$i" "${!code}"
        req POST /api/attempts '{}'
        expect_status 200
        eval "ID$i=\$(jq 'b[\"attempt\"]')"
    done
}

# The numbers the stem of attempt $1's question shows, as the candidate sees it.
shown() {
    as "j$1"
    local id=ID$1
    req GET "/api/attempts/${!id}"
    expect_status 200
    jq 'b["questions"][0]["view"]["stem"].split("：")[1]'
}

# Every view shows exactly one number, its own attempt's, however the calls
# of the three candidates interleave.
views_stay_apart() {
    local round i first
    for round in 1 2 3; do
        for i in 1 2 3; do
            SHOWN[$i]=$(shown "$i")
            case ${SHOWN[$i]} in
            *,* | "") fail "round $round: candidate $i sees ${SHOWN[$i]}" ;;
            esac
        done
    done
    [ "${SHOWN[1]}" != "${SHOWN[2]}" ] || fail "two candidates drew the same number"
    first=$(shown 1)
    [ "$first" = "${SHOWN[1]}" ] || fail "a reload of candidate 1 shows $first, before ${SHOWN[1]}"
}

t_one_worker_shows_each_candidate_only_their_own_data() {
    memo_cert
    open_now s1 MEMO
    serve_start --threads 1
    start_all
    views_stay_apart
    serve_stop
}

t_many_workers_show_each_candidate_only_their_own_data() {
    memo_cert
    open_now s1 MEMO
    serve_start --threads 4
    start_all
    views_stay_apart
    serve_stop
}

t_grading_sees_no_other_attempt() {
    memo_cert
    open_now s1 MEMO
    serve_start --threads 1
    start_all
    local i id
    for i in 1 2 3; do
        as "j$i"
        id=ID$i
        req PUT "/api/attempts/${!id}/answers/0" "{\"response\": {\"value\": $(shown "$i")}}"
        expect_status 200
        req POST "/api/attempts/${!id}/submit" '{}'
        expect_status 200
    done
    serve_stop
    run grade s1
    expect_rc 0
    run results s1 --json
    expect_rc 0
    # score() counts its calls at module level: a state shared between
    # attempts would give full marks only to the first one graded
    [ "$(python3 -c 'import json,sys; print(sorted(r["score"] for r in json.load(open(".out"))))')" = \
      "[10.0, 10.0, 10.0]" ] || fail "results: $OUT"
}

# validate() runs once, at loading, on a copy of each item: a function it
# hides in an item (with a list in its closure) never reaches a later hook
t_validate_cannot_hide_state_in_an_item() {
    memo_cert
    sed -i 's/^      label = "记忆题",/      label = "记忆题",\n      validate = function(item)\n        local store = {}\n        item.remember = function(x) store[#store + 1] = x return table.concat(store, ",") end\n      end,/' scripts/memo.lua
    sed -i 's/        seen\[#seen + 1\] = data.n/        seen[#seen + 1] = item.remember and item.remember(data.n) or data.n/' scripts/memo.lua
    run check scripts/memo.lua
    expect_rc 0
    open_now s1 MEMO
    serve_start --threads 1
    start_all
    views_stay_apart
    serve_stop
}
