-- CCOM-DAP 数据分析岗: blueprint of the role exam (policy in scripts/lib/ccom.lua).
-- Chapter 2 bullets are recall and short computations (2 points a question);
-- chapter 3 bullets are the tools: control charts and forecasting carry 5 points a
-- question, the other tools 4. 34 questions, 100 points.
local ccom = require "ccom"
return ccom.certification {
  code = "CCOM-DAP",
  blueprint = {
    { {3, 2}, {3, 2} },                                          -- chapter 1 (common)
    { {2, 2}, {2, 2}, {2, 2}, {2, 2}, {2, 2}, {2, 2}, {2, 2} },  -- chapter 2
    { {2, 4}, {2, 5}, {2, 4}, {2, 4}, {2, 5}, {2, 4}, {2, 4} },  -- chapter 3
  },
}
