-- CCOM-QAP 质检管理岗: blueprint of the role exam (policy in scripts/lib/ccom.lua).
-- 36 questions: chapter 2 (requirements, recall) 3 questions of 2 points per
-- bullet; chapter 3 (tools) 2 questions per bullet, 5 points for the two
-- computation bullets (process analysis, T test) and 4 points for the others.
local ccom = require "ccom"
return ccom.certification {
  code = "CCOM-QAP",
  blueprint = {
    { {3, 2}, {3, 2} },                                      -- chapter 1 (common)
    { {3, 2}, {3, 2}, {3, 2}, {3, 2}, {3, 2}, {3, 2} },      -- chapter 2
    { {2, 4}, {2, 4}, {2, 5}, {2, 4}, {2, 5}, {2, 4} },      -- chapter 3
  },
}
