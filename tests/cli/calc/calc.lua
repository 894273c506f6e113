-- CALC-TEST: one calculated item for every generator of ccom_generators (and
-- each of its questions), all on every form, for tests/cli/test_calculated.sh.
return certification {
  code = "CALC-TEST",
  title = "计算题生成器测试",
  banks = { "calc" },
  duration = "60m",
  generators = require "ccom_generators",
  sections = {
    { title = "计算题", from = {}, pick = 34, points = 1, shuffle = false },
  },
}
