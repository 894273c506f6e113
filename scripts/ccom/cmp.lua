-- CCOM-CMP 投诉管理岗: blueprint of the role exam (policy in scripts/lib/ccom.lua).
-- Chapter 2 bullets are recall and judgement (2 questions × 2 points each);
-- chapter 3 tool bullets weigh more, most of all the control-chart
-- computations and the indicator calculations. 36 questions, 100 points.
local ccom = require "ccom"
return ccom.certification {
  code = "CCOM-CMP",
  blueprint = {
    { {3, 2}, {3, 2} },                                  -- chapter 1 (common)
    { {2, 2}, {2, 2}, {2, 2}, {2, 2}, {2, 2}, {2, 2} },  -- chapter 2: 24 points
    { {2, 3},    -- 同理心句式
      {3, 3},    -- 投诉处理 6 步骤
      {3, 5},    -- 控制图分析
      {3, 3},    -- 根源分析
      {3, 3},    -- 重复投诉和越级投诉
      {4, 4} },  -- 关键指标管控: chapter 3 64 points
  },
}
