-- The policy shared by the seven CCOM role certifications (programme text:
-- 90 minutes, 15:30-17:00 on the second course day, pass mark 70, two retakes
-- after a fail, certificate issued by CNCCA) and the blueprint rule: every
-- syllabus bullet of the role (scripts/lib/ccom_syllabus.lua) is its own
-- section, so every bullet is examined on every form. Chapter 3 (the tools,
-- where the points are) draws only items of difficulty 3 or more, and every
-- form is balanced to a professional's level: mean difficulty 3.0 ± 0.1 and
-- an Angoff score of 70 ± 2, so that a candidate who just deserves the
-- certificate is expected to score the pass mark on every form
-- (scripts/SCRIPTING.md, "Balanced forms").
--
-- A role script gives its code and, per chapter, the number of questions and
-- the points per question for each bullet, in syllabus order:
--   return ccom.certification {
--     code = "CCOM-WFMP",
--     blueprint = { { {3, 2}, {3, 2} }, { ... }, { ... } },  -- {pick, points}
--   }
-- The points must add up to 100.

local syllabus = require "ccom_syllabus"

local ccom = {}

local numerals = { "一", "二", "三" }

-- A bullet's words before its dash ("过程改进 4 步骤 —— 参考标杆数据、…" gives
-- "过程改进 4 步骤"): section titles are shown to candidates, and the part
-- after the dash often lists what a question asks them to recall.
local function headline(bullet)
  local cut = bullet:find(" ——", 1, true) or bullet:find(" ─", 1, true)
  return cut and bullet:sub(1, cut - 1) or bullet
end

-- Titles for bullets whose headline another bullet of their chapter
-- shares: what tells them apart, without the list a question asks for.
local own_titles = {
  ["客户投诉的有效处理 —— 同理心「虽然我不能马上…，但是我会立即…」工具的有效掌握"] =
    "客户投诉的有效处理：同理心句式",
  ["客户投诉的有效处理 —— 投诉处理 6 步骤理解确认、说明解释、转移解决、解决执行、替代弥补、提醒建议的有效运用"] =
    "客户投诉的有效处理：投诉处理 6 步骤",
}

-- The section titles of a chapter's bullets: each its headline, or its own
-- title when another bullet shares the headline (an error without one, so
-- that no two sections of a form read alike).
local function titles_of(bullets)
  local seen, titles = {}, {}
  for _, bullet in ipairs(bullets) do
    local h = headline(bullet)
    seen[h] = (seen[h] or 0) + 1
  end
  for b, bullet in ipairs(bullets) do
    local h = headline(bullet)
    titles[b] = seen[h] > 1 and own_titles[bullet] or h
    if seen[h] > 1 and not own_titles[bullet] then
      error(string.format("ccom: bullets share the headline %q: give %q a title in own_titles",
                          h, bullet), 3)
    end
  end
  return titles
end

function ccom.certification(spec)
  if type(spec) ~= "table" then error("ccom.certification: expected a table", 2) end
  for k in pairs(spec) do
    if k ~= "code" and k ~= "blueprint" then
      error(string.format("ccom.certification: unknown key '%s'; expected code, blueprint",
                          tostring(k)), 2)
    end
  end
  local role = syllabus[spec.code]
  if not role then
    error(string.format("ccom.certification: unknown role code %q", tostring(spec.code)), 2)
  end
  local blueprint = spec.blueprint
  if type(blueprint) ~= "table" or #blueprint ~= #role.chapters then
    error(string.format("ccom.certification: 'blueprint' must list the %d chapters",
                        #role.chapters), 2)
  end
  local sections, total = {}, 0
  for c, chapter in ipairs(role.chapters) do
    local rows = blueprint[c]
    if type(rows) ~= "table" or #rows ~= #chapter.bullets then
      error(string.format("ccom.certification: blueprint chapter %d must give {pick, points} "
                          .. "for each of its %d bullets", c, #chapter.bullets), 2)
    end
    local titles = titles_of(chapter.bullets)
    for b, bullet in ipairs(chapter.bullets) do
      local pick, points = rows[b][1], rows[b][2]
      sections[#sections + 1] = {
        title = string.format("第%s章 %s｜%d. %s", numerals[c], chapter.title, b, titles[b]),
        from = { bank = c == 1 and "ccom_common" or role.bank, chapter = c, topic = bullet,
                 difficulty = c == 3 and { 3, 5 } or nil },
        pick = pick,
        points = points,
      }
      if type(pick) == "number" and type(points) == "number" then
        total = total + pick * points
      end
    end
  end
  if math.abs(total - 100) > 1e-9 then
    error(string.format("ccom.certification: the blueprint's points add up to %g, not 100",
                        total), 2)
  end
  return certification {
    code = spec.code,
    title = role.role .. "认证",
    banks = { "ccom_common", role.bank },
    duration = "90m",
    window = { opens = "15:30", closes = "17:00" },
    timezone = "+08:00",
    pass = 70,
    balance = { difficulty = { 3.0, 0.1 }, angoff = { 70, 2 } },
    attempts = 3,            -- the first attempt and two retakes
    review = "score",
    sections = sections,
    generators = require "ccom_generators",  -- for calculated questions
    aids = {
      calculator = "scientific",
      notes = { "考试页面提供科学计算器（页面上方的“计算器”按钮），可用于本试卷的各类"
                .. "计算题；不得使用其他计算工具或资料" },
    },
    certificate = {
      title = "《CCOM 标准关键岗位认证证书》",
      series = "第一期",
      issuer = "中国电子商会呼叫中心与客户关系管理专业委员会（CNCCA）",
      role = role.role,
    },
  }
end

return ccom
