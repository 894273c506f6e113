-- CCOM-PMP 绩效管理岗: blueprint of the role exam (policy in scripts/lib/ccom.lua).
-- Chapter 2 bullets are recall and judgement (2 questions × 2 points; the
-- target-value bullet, with its calculations, 2 × 3); chapter 3 weighs the
-- two correlation-analysis bullets most. 34 questions, 100 points.
local ccom = require "ccom"
return ccom.certification {
  code = "CCOM-PMP",
  blueprint = {
    { {3, 2}, {3, 2} },                          -- chapter 1 (common)
    { {2, 2}, {2, 2}, {2, 3}, {2, 2}, {2, 2} },  -- chapter 2: 22 points
    { {2, 3},    -- 绩效计划制订（DCDIER）
      {3, 5},    -- 相关分析：绩效公式与战略
      {3, 5},    -- 相关分析：绩效公式与员工目标
      {2, 3},    -- 绩效与员工技能拆解
      {3, 3},    -- 过程分解与过程指标监控
      {2, 3},    -- 绩效改善（DCDIER 实战）
      {3, 3} },  -- 前后台岗位绩效设计: chapter 3 66 points
  },
}
