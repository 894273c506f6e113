-- CCOM-OMP 现场管理岗: blueprint of the role exam (policy in scripts/lib/ccom.lua).
-- Chapter 2 (plan, improve, execute and check of each on-site area) is recall at
-- 2 points a question; the customer-satisfaction bullet draws 2 questions because
-- its tools bullet in chapter 3 examines the same area. Chapter 3 bullets are the
-- tools (Erlang, control charts, scorecards, leadership models, NPS) at 4 points a
-- question. 35 questions, 100 points.
local ccom = require "ccom"
return ccom.certification {
  code = "CCOM-OMP",
  blueprint = {
    { {3, 2}, {3, 2} },                                 -- chapter 1 (common)
    { {3, 2}, {3, 2}, {3, 2}, {3, 2}, {2, 2} },         -- chapter 2
    { {3, 4}, {3, 4}, {3, 4}, {3, 4}, {3, 4} },         -- chapter 3
  },
}
