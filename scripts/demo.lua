-- DEMO-CS: a small example certification that uses every built-in question
-- type, calculated questions included. Copy it to start a new certification;
-- scripts/SCRIPTING.md explains each field.
return certification {
  code = "DEMO-CS",
  title = "客户服务基础认证（示例）",
  banks = { "demo" },
  duration = "30m",
  window = { opens = "09:00", closes = "12:00" },
  timezone = "+08:00",
  pass = 60,                  -- percent of the maximum score
  attempts = 2,               -- the first attempt and one retake
  review = "score",
  generators = require "ccom_generators",  -- for the calculated items
  sections = {
    { title = "一、服务基础", from = { chapter = 1 }, pick = 4, points = 10 },
    { title = "二、服务指标与流程", from = { chapter = 2 }, pick = 3, points = 15 },
    { title = "三、案例分析", from = { chapter = 3 }, pick = 1, points = 15 },
  },
  aids = { calculator = "basic", notes = { "允许使用草稿纸（考场提供）" } },
}
