-- The CCOM programme's syllabus as data, transcribed from the programme text
-- (《CCOM 标准 — 7 大关键岗位认证考试》): for each of the seven role
-- certifications, its three chapters and their bullets, in the programme's
-- order. Chapter 1 is common to every role. Bank items name their bullet in
-- `topic`, exactly as written here; scripts/lib/ccom.lua turns every bullet
-- into a section so that every bullet is examined on every form. One word
-- is completed where the programme text breaks it off: PMP's "绩效计划制订工"
-- is "绩效计划制订工具" (its sibling bullets name tools: 绩效监控工具, …).

local chapter1 = {
  title = "CCOM 标准制订与主要精神",
  bullets = { "CCOM 的历史发展", "CCOM 内容框架与主要精神" },
}

local chapter3_title = "如何使用工具来达到 CCOM 标准规范要求"

return {
  ["CCOM-WFMP"] = {
    role = "排班管理岗",
    bank = "ccom_wfmp",
    chapters = {
      chapter1,
      { title = "CCOM 标准对于排班管理的规范要求",
        bullets = { "业务量预测", "容量规划", "预测排班", "优化排班", "评估排班" } },
      { title = chapter3_title,
        bullets = {
          "班务好坏的 3 标准 ─ 利用率、人性化、公平性",
          "如何建立话务模型 ─ 历史数据建模",
          "如何检验话务模型 ─ 离散系数模型可靠性检验",
          "如何组建机动部队 ─ 机动资源的建设",
        } },
    },
  },
  ["CCOM-QAP"] = {
    role = "质检管理岗",
    bank = "ccom_qap",
    chapters = {
      chapter1,
      { title = "CCOM 标准对于质检管理的规范要求",
        bullets = {
          "人员质检 —— 各级人员全部得到监控",
          "流程质检 —— 全面质量管理，过程所有节点得到监控",
          "过程分析 4 方法 —— 根源分析、关联分析、趋势分析、对比分析",
          "过程改进 4 步骤 —— 参考标杆数据、分析问题根源、制定改进措施、修正设定目标",
          "指标校准机制",
          "客户满意度管理体系建设",
        } },
      { title = chapter3_title,
        bullets = {
          "质检评分表设计与校准",
          "流程质检表设计与优化",
          "过程分析 4 方法的有效运用 —— 根源分析、关联分析、趋势分析、对比分析",
          "过程改进 4 步骤的有效掌握 —— 参考标杆数据、分析问题根源、制定改进措施、修正设定目标",
          "指标校准机制的 T 检验工具",
          "客户满意度全流程管理 —— 调查设计、实施、数据收集、分析、问题反馈以及跟踪解决",
        } },
    },
  },
  ["CCOM-TMP"] = {
    role = "培训管理岗",
    bank = "ccom_tmp",
    chapters = {
      chapter1,
      { title = "CCOM 标准对于培训管理的规范要求",
        bullets = {
          "制定明确的培训与发展计划",
          "针对技能设计适宜的培训手段",
          "确认培训手段的有效性",
          "岗前培训体系建设",
          "在岗培训体系建设",
        } },
      { title = chapter3_title,
        bullets = {
          "员工胜任力模型 —— 如何将工作要求与技能要求进行匹配",
          "知识结构化工具运用 —— 如何让员工掌握海量变动的业务知识",
          "技能学习地图搭建与落地 —— 如何将技能要求结构化，并有序学习",
          "培训效果的有效性检验 —— 讲师质量与课件质量检验",
          "新员工成长体系建设 —— 培训期、实习期、上岗期细化管理",
          "在岗培训体系建设 —— 培训内容、培训方式、培训时机的深化创新",
        } },
    },
  },
  ["CCOM-CMP"] = {
    role = "投诉管理岗",
    bank = "ccom_cmp",
    chapters = {
      chapter1,
      { title = "CCOM 标准对于投诉管理的规范要求",
        bullets = {
          "客户投诉信息的收集",
          "客户投诉内容的分析",
          "客户投诉的有效处理",
          "客户投诉的反馈",
          "客户投诉处理过程的有效管理",
          "客户投诉处理过程的持续改善",
        } },
      { title = chapter3_title,
        bullets = {
          "客户投诉的有效处理 —— 同理心「虽然我不能马上…，但是我会立即…」工具的有效掌握",
          "客户投诉的有效处理 —— 投诉处理 6 步骤理解确认、说明解释、转移解决、解决执行、替代弥补、提醒建议的有效运用",
          "控制图分析 —— 投诉分析最有效的数字化工具",
          "根源分析 —— 找到客户投诉的深层原因，从源头进行改善",
          "重复投诉和越级投诉管控 —— 利用根源分析减少重复投诉和越级投诉",
          "投诉处理过程关键指标管控",
        } },
    },
  },
  ["CCOM-PMP"] = {
    role = "绩效管理岗",
    bank = "ccom_pmp",
    chapters = {
      chapter1,
      { title = "CCOM 标准对于绩效管理的规范要求",
        bullets = {
          "绩效管理过程应包括：绩效计划、绩效监控、绩效评估与绩效改进",
          "明确指标内容，满足运营需要",
          "明确关键指标目标值",
          "员工绩效计划应定期调整，确保与呼叫中心战略相匹配",
          "未达标个人绩效应制定改进方案",
        } },
      { title = chapter3_title,
        bullets = {
          "绩效计划制订工具 —— DCDIER 方法论的掌握",
          "绩效与战略目标一致 —— 利用相关分析检验绩效公式与战略是否一致",
          "绩效与员工目标一致 —— 利用相关分析检验绩效公式与员工目标是否一致",
          "绩效与员工技能设置一致 —— 绩效与员工技能拆解分析",
          "绩效监控工具 —— 绩效过程分解与过程指标监控",
          "绩效改善工具 —— DCDIER 方法论的实战练习",
          "绩效案例分享 —— 前后台关键岗位常见的绩效设计",
        } },
    },
  },
  ["CCOM-DAP"] = {
    role = "数据分析岗",
    bank = "ccom_dap",
    chapters = {
      chapter1,
      { title = "CCOM 标准对于数据分析规范要求",
        bullets = {
          "根源分析的掌握与运用",
          "趋势分析的掌握与运用",
          "相关分析的掌握与运用",
          "对比分析的掌握与运用",
          "预测模型的建立",
          "指标校准分析的掌握与运用",
          "抽样调查方法的掌握与运用",
        } },
      { title = chapter3_title,
        bullets = {
          "根源分析的掌握与运用 —— 源头分析的使用技巧",
          "趋势分析的掌握与运用 —— 控制图的绘制与 6、8、1、3、5 特殊原因判定",
          "相关分析的掌握与运用 —— 相关系数检验与相关图绘制",
          "对比分析的掌握与运用 —— 标准差过程分析法的使用",
          "预测模型的建立 —— 预测模型建立与模型有效性检验",
          "指标校准分析的掌握与运用 —— T TEST 显着差异检验",
          "抽样调查方法的掌握与运用 —— 客户满意度调查与人员流失率分析的关键要点",
        } },
    },
  },
  ["CCOM-OMP"] = {
    role = "现场管理岗",
    bank = "ccom_omp",
    chapters = {
      chapter1,
      { title = "CCOM 标准对于现场管理的规范要求",
        bullets = {
          "预测排班计划、改善、执行与检测",
          "质量控制过程计划、改善、执行与检测",
          "绩效管理计划、改善、执行与检测",
          "人员管理计划、改善、执行与检测",
          "客户满意度计划、改善、执行与检测",
        } },
      { title = chapter3_title,
        bullets = {
          "预测排班 —— 预测排班工具的掌握与排班师管理",
          "质量控制过程 —— 质量控制工具的掌握与服务质量管理",
          "绩效管理 —— 绩效工具的掌握与管理",
          "人员管理 —— 人员管理工具的掌握与领导力培养",
          "客户满意度 —— 客户满意度工具的掌握与管理",
        } },
    },
  },
}
