-- CCOM-TMP 培训管理岗: blueprint of the role exam (policy in scripts/lib/ccom.lua).
-- 35 questions: chapter 2 (requirements, recall) 3 questions of 2 points per
-- bullet; chapter 3 (tools) 2 questions of 5 points for each of the four
-- tool bullets (competency model, knowledge structuring, learning map,
-- trainer and courseware checks, the last with computations) and 3 questions
-- of 3 points for the two system-building bullets.
local ccom = require "ccom"
return ccom.certification {
  code = "CCOM-TMP",
  blueprint = {
    { {3, 2}, {3, 2} },                                      -- chapter 1 (common)
    { {3, 2}, {3, 2}, {3, 2}, {3, 2}, {3, 2} },              -- chapter 2
    { {2, 5}, {2, 5}, {2, 5}, {2, 5}, {3, 3}, {3, 3} },      -- chapter 3
  },
}
