-- CCOM-WFMP 排班管理岗: blueprint of the role exam (policy in scripts/lib/ccom.lua).
-- 36 questions, 100 points: recall bullets 2 points a question, bullets with
-- computations (forecasting, capacity, evaluation, the 3 standards) 3 points,
-- the two traffic-model tool bullets 4 questions of 4 points.
local ccom = require "ccom"
return ccom.certification {
  code = "CCOM-WFMP",
  blueprint = {           -- per chapter, per bullet in syllabus order: {pick, points}
    { {3, 2}, {3, 2} },   -- chapter 1 (common): 12 points
    {                     -- chapter 2: 39 points
      {3, 3},             -- 业务量预测
      {3, 3},             -- 容量规划
      {3, 2},             -- 预测排班
      {3, 2},             -- 优化排班
      {3, 3},             -- 评估排班
    },
    {                     -- chapter 3: 49 points
      {3, 3},             -- 班务好坏的 3 标准
      {4, 4},             -- 如何建立话务模型
      {4, 4},             -- 如何检验话务模型（离散系数）
      {4, 2},             -- 如何组建机动部队
    },
  },
}
