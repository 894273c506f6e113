# Shared set-up for the tests of the exercise of a certification's hooks
# ('kaoshi check', 'kaoshi sitting open'): use_kw installs certification KW
# (scripts/kw.lua, banks/kw.yaml) whose hooks all pass: item kw-1 of its own
# type 'keyword' (present() returns its view at line 12, score() reads the
# response at line 15, solve() returns at line 20) and the calculated item
# kw-2 of generator 'double' (line 3 of scripts/lib/kw_generators.lua draws
# its number). Tests break one line with sed. open_kw (with
# sitting_fixture.sh) then opens sitting s1 of KW, enrolls C001 and starts
# their attempt ATTEMPT, whose form holds kw-1 and kw-2.

use_kw() {
    cat >scripts/kw.lua <<'EOF'
return certification {
  code = "KW",
  title = "关键词",
  banks = { "kw" },
  duration = "30m",
  window = { opens = "09:00", closes = "12:00" },
  generators = require "kw_generators",
  question_types = {
    keyword = {
      fields = { stem = "text", words = "text list" },
      present = function(item)
        return { stem = item.stem, widget = "blanks", blanks = 1 }
      end,
      score = function(item, response)
        local given = response.blanks[1]
        if type(given) ~= "string" then return 0 end
        return given == item.words[1] and 1 or 0
      end,
      solve = function(item)
        return { blanks = { item.words[1] } }
      end,
    },
  },
  sections = { { title = "一、概念", from = { chapter = 1 }, pick = 2, points = 50 } },
}
EOF
    cat >scripts/lib/kw_generators.lua <<'EOF'
local M = {}
function M.double(rng)
  local n = rng:int(1, 20)
  return { data = { n = n }, key = 2 * n, explanation = n .. " × 2 = " .. 2 * n }
end
return M
EOF
    cat >banks/kw.yaml <<'EOF'
bank: kw
title: 关键词
items:
  - id: kw-1
    type: keyword
    chapter: 1
    stem: 接通前挂断的来电占比叫什么？
    words: [放弃率]
  - id: kw-2
    type: calculated
    chapter: 1
    stem: "{n} 的两倍是多少？"
    generator: double
EOF
}

open_kw() {
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create s1 --cert KW --date $WINDOW_DATE
    run sitting open s1
    expect_rc 0
    printf 'number,name\nC001,张三\n' >roster.csv
    run enroll s1 roster.csv
    CODE1=$(sed -n 's/^C001,张三,//p' .out)
    start_c001
}
