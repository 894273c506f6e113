-- The author API: the `certification{...}` declaration and its checks, the
-- registry of question types, and the entry points the engine calls (check a
-- bank's items, draw a form, present a question, grade an attempt, decide a
-- retake). Compiled into the kaoshi binary; runs inside the sandbox like the
-- scripts it serves. Depends on the C modules `score` and `kaoshi` (set by
-- engine/lua/cert.c). The contract is scripts/SCRIPTING.md.

local api = {}
local builtins = {}     -- name -> built-in question type definition
local declared = setmetatable({}, { __mode = "k" })  -- certification()'s result -> its declaration

local function fail(level, fmt, ...)
  error(string.format(fmt, ...), level + 1)
end

local function describe(v)
  if type(v) == "string" then return string.format("%q", v) end
  if type(v) == "table" then return "a table" end
  return tostring(v)
end

local function is_list(t)
  if type(t) ~= "table" then return false end
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  for i = 1, n do if t[i] == nil then return false end end
  return true
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  return keys
end

-- Field kinds a question type may declare, with the check and its wording.
local kinds = {
  text = { "a non-empty string", function(v) return type(v) == "string" and v ~= "" end },
  integer = { "an integer", function(v) return math.type(v) == "integer" end },
  number = { "a number", function(v) return type(v) == "number" and v == v end },
  boolean = { "true or false", function(v) return type(v) == "boolean" end },
  ["text list"] = { "a list of non-empty strings", function(v)
    if not is_list(v) or #v == 0 then return false end
    for _, x in ipairs(v) do if type(x) ~= "string" or x == "" then return false end end
    return true
  end },
  ["integer list"] = { "a list of integers", function(v)
    if not is_list(v) or #v == 0 then return false end
    for _, x in ipairs(v) do if math.type(x) ~= "integer" then return false end end
    return true
  end },
  any = { "a value", function(v) return v ~= nil end },
}

-- Fields every item may have; the C bank parser checks their values.
local common_fields = { id = true, type = true, chapter = true, topic = true,
                        difficulty = true, tags = true, explanation = true, points = true,
                        group = true, angoff = true }

local type_keys = { fields = true, validate = true, prepare = true, present = true,
                    score = true, manual = true, description = true, reveal = true,
                    label = true, solve = true }

-- Checks a question type's definition and returns it.
-- Within a declaration, narrows the place it blames (engine/lua/declare.lua
-- records { "question_types", NAME } before checking a type) to the key
-- path ... of the type's table.
local function blame(...)
  local e = api.entry and api.entry.declaration_error
  if e and not e.message then
    for _, key in ipairs { ... } do e.path[#e.path + 1] = key end
  end
end

local function check_type(name, def, level)
  if type(name) ~= "string" or not name:match("^[a-z_][a-z0-9_]*$") then
    fail(level, "question type name must match [a-z_][a-z0-9_]* (got %s)", describe(name))
  end
  if type(def) ~= "table" then
    fail(level, "question type '%s': expected a table, got %s", name, describe(def))
  end
  for k in pairs(def) do
    if not type_keys[k] then
      blame(k)
      fail(level, "question type '%s': unknown key '%s'; expected one of: %s", name,
           tostring(k), table.concat(sorted_keys(type_keys), ", "))
    end
  end
  if type(def.fields) ~= "table" then
    blame("fields")
    fail(level, "question type '%s': 'fields' must be a table of field kinds", name)
  end
  for field, kind in pairs(def.fields) do
    local base = type(kind) == "string" and kind:gsub("%?$", "") or nil
    if not kinds[base] then
      blame("fields", field)
      fail(level, "question type '%s': field '%s': kind must be one of text, integer, "
           .. "number, boolean, text list, integer list, any (with ? if optional), got %s",
           name, tostring(field), describe(kind))
    end
  end
  if def.label ~= nil and (type(def.label) ~= "string" or def.label == "") then
    blame("label")
    fail(level, "question type '%s': 'label' must be a non-empty string (the name candidates "
         .. "see, e.g. \"关键词题\")", name)
  end
  for _, hook in ipairs { "validate", "prepare", "present", "score", "solve", "reveal" } do
    if def[hook] ~= nil and type(def[hook]) ~= "function" then
      blame(hook)
      fail(level, "question type '%s': '%s' must be a function", name, hook)
    end
  end
  if type(def.present) ~= "function" then
    fail(level, "question type '%s': 'present' is required", name)
  end
  if def.manual ~= true and type(def.score) ~= "function" then
    fail(level, "question type '%s': 'score' is required unless manual = true", name)
  end
  return def
end

function api.define_builtin(name, def) builtins[name] = check_type(name, def, 2) end

-- For the declaration (engine/lua/declare.lua).
api.fail, api.describe, api.is_list, api.sorted_keys = fail, describe, is_list, sorted_keys
api.kinds, api.check_type, api.builtins, api.declared = kinds, check_type, builtins, declared

-- A deep copy of a plain value: hooks get copies of items, so that no hook
-- can change an item another attempt sees.
local function copy(v)
  if type(v) ~= "table" then return v end
  local out = {}
  for k, x in next, v do out[k] = copy(x) end
  return out
end
api.copy = copy

-- The question type NAME of certification cert: its own, else a built-in.
local function type_of(cert, name)
  return cert.types[name] or builtins[name]
end
api.type_of = type_of

-- Entry points for the engine (engine/lua/cert.c) ---------------------------

local entry = {}

-- The engine's declaration behind what certification{} returned, or nil.
function entry.is_certification(v) return declared[v] end

-- Checks one item against its question type; ctx is handed to validate.
-- Returns nil, or a problem table { field = NAME, expected = TEXT } /
-- { field = NAME, unknown = LIST }.
local function check_item(item, cert, ctx)
  local t = type_of(cert, item.type)
  if not t then
    local names = sorted_keys(builtins)
    for name in pairs(cert.types) do names[#names + 1] = name end
    table.sort(names)
    return { field = "type", expected = "one of the question types: " .. table.concat(names, ", ") }
  end
  for k in pairs(item) do
    if not common_fields[k] and t.fields[k] == nil then
      local allowed = sorted_keys(t.fields)
      for name in pairs(common_fields) do allowed[#allowed + 1] = name end
      table.sort(allowed)
      return { field = k, unknown = table.concat(allowed, ", ") }
    end
  end
  for _, field in ipairs(sorted_keys(t.fields)) do
    local kind = t.fields[field]
    local optional = kind:sub(-1) == "?"
    local spec = kinds[(kind:gsub("%?$", ""))]
    local v = item[field]
    if v == nil then
      if not optional then return { field = field, expected = spec[1], missing = true } end
    elseif not spec[2](v) then
      return { field = field, expected = spec[1] }
    end
  end
  if item.explanation ~= nil and not kinds.text[2](item.explanation) then
    return { field = "explanation", expected = kinds.text[1] }
  end
  if t.validate then
    local field, expected = t.validate(copy(item), ctx)
    if field then return { field = field, expected = expected or "a valid value" } end
  end
  return nil
end

-- items: list of item tables (all banks); cert: the declaration; rng: a
-- generator with a fixed seed, for trial runs. Returns a list of problems,
-- each with `index` (into items) added.
function entry.check_items(items, cert, rng)
  local ctx = { generators = cert.generators, rng = rng }
  local problems = {}
  for i, item in ipairs(items) do
    local p = check_item(item, cert, ctx)
    if p then p.index = i; problems[#problems + 1] = p end
  end
  return problems
end

-- Takes up to `want` items of list (indices into items) into chosen, in the
-- order of a Fisher–Yates shuffle of list made one step at a time, passing
-- over an item whose group `used` holds (and adding the groups it takes).
-- Each step draws what a step of ks_draw_sample (engine/base/draw.c) draws,
-- so when nothing is passed over this takes what rng:sample(#list, want)
-- takes, with the same draws: forms without groups are drawn as before.
-- Returns how many items it passed over.
local function draw(list, want, items, used, rng, chosen)
  local n, taken, i, passed = #list, 0, 0, 0
  while taken < want and i < n do
    i = i + 1
    if i < n then  -- the last step has one choice and costs no draw
      local j = i + rng:int(0, n - i)
      list[i], list[j] = list[j], list[i]
    end
    local group = items[list[i]].group
    if not (group and used[group]) then
      chosen[#chosen + 1] = list[i]
      taken = taken + 1
      if group then used[group] = true end
    else
      passed = passed + 1
    end
  end
  return passed
end

-- The groups of the items a candidate has seen.
local function groups_seen(items, seen)
  local groups = {}
  if next(seen) then
    for _, item in ipairs(items) do
      if item.group and seen[item.id] then groups[item.group] = true end
    end
  end
  return groups
end

-- Draws a form. seen: set of item ids to avoid (earlier attempts), and with
-- them their groups. rng: the attempt's generator. Returns { slots = {
-- {section, id, points, data}... } } or raises "section N: ..." when a pool
-- is too small. A form never holds an item twice, nor two items of a group.
-- An item (or group) that several sections draw from has a home section,
-- pools.homes[j] (engine/lua/cert_pools.c: a sharing out of the units that
-- gives every section pick × attempts of its own). A section draws in
-- tiers, each in the order of a shuffle: items new to the candidate and not
-- at home elsewhere, then new items at home in another section, then items
-- not seen whose group was, then seen items. So a first attempt never uses
-- up what another section's retakes need, and every attempt the pools
-- allow is fresh. Without shared units or retakes that is one draw from
-- the pool, as before tiers.
function entry.build_form(cert, items, pools, seen, rng)
  local ctx = { shuffle = cert.shuffle_options, generators = cert.generators }
  local on_form, used = {}, {}  -- the ids and the groups on the form
  local seen_group = groups_seen(items, seen)
  local homes = pools.homes or {}
  -- whether item j is at home in another section than si
  local function away(si, j) return homes[j] ~= nil and homes[j] ~= si end
  -- whether item j is new to the candidate, and so is its group
  local function fresh(j)
    local item = items[j]
    return not seen[item.id] and not (item.group and seen_group[item.group])
  end
  local form = { slots = {}, sections = {} }
  local chosen = {}  -- per section, indices into items
  local function place(si)
    local s = cert.sections[si]
    if not s.shuffle then table.sort(chosen[si]) end
    form.sections[si] = { title = s.title, points = s.points, first = #form.slots + 1,
                          count = #chosen[si] }
    for _, j in ipairs(chosen[si]) do
      local item = items[j]
      local t = type_of(cert, item.type)
      local slot = { section = si, id = item.id, points = item.points or s.points }
      if t.prepare then
        slot.data = t.prepare(copy(item), rng, ctx)
      end
      form.slots[#form.slots + 1] = slot
    end
  end
  for si, s in ipairs(cert.sections) do
    -- the tiers above (check and coverage warn when pools are too small for
    -- every retake to be fresh)
    local tiers, grouped_out = { {}, {}, {}, {} }, 0
    for _, j in ipairs(pools[si]) do
      local item = items[j]
      if item.group and used[item.group] and not on_form[item.id] then
        grouped_out = grouped_out + 1
      elseif not on_form[item.id] then
        local tier = fresh(j) and (away(si, j) and 2 or 1) or seen[item.id] and 4 or 3
        table.insert(tiers[tier], j)
      end
    end
    chosen[si] = {}
    for _, tier in ipairs(tiers) do
      grouped_out = grouped_out + draw(tier, s.pick - #chosen[si], items, used, rng, chosen[si])
    end
    if #chosen[si] < s.pick then
      error(string.format("section %d (%s) needs %d questions but only %d are available%s",
                          si, s.title, s.pick, #chosen[si], grouped_out == 0 and ""
                          or string.format(" (%d more share a group with a question already "
                                           .. "on the form)", grouped_out)), 0)
    end
    for _, j in ipairs(chosen[si]) do on_form[items[j].id] = true end
    if not cert.balance then place(si) end
  end
  if cert.balance then
    api.balance(cert, items, pools, chosen, fresh, away, used, rng)
    for si in ipairs(cert.sections) do place(si) end
  end
  return form
end

-- What a candidate sees of one slot: never a key or an explanation. With
-- with_key (authors and proctors only) the view's `key` holds what the type
-- reveals for this slot, by default the item as written.
function entry.present(cert, item, slot, with_key)
  local t = type_of(cert, item.type)
  local view = t.present(copy(item), slot.data or {})
  if type(view) ~= "table" then
    error(string.format("present() must return a view table (got %s)", describe(view)), 0)
  end
  view.type = item.type
  view.label = t.label
  if with_key then
    view.key = t.reveal and t.reveal(copy(item), slot.data or {}) or item
  end
  return view
end

-- The fraction score() gives a response to slot, checked.
local function score_of(t, item, response, slot)
  local fraction = t.score(copy(item), response, slot.data or {})
  if type(fraction) ~= "number" or fraction ~= fraction or fraction < 0 or fraction > 1 then
    error(string.format("question type '%s': score() must return a number from 0 to 1 "
                        .. "(got %s for item '%s')", item.type, describe(fraction),
                        item.id), 0)
  end
  return fraction
end

-- x with at most `decimals` decimals, rounded down, so that a score under a
-- limit never reads as the limit (49.96% is "49.9", not "50").
local function number_text(x, decimals)
  local scale = 10 ^ decimals
  local text = string.format("%." .. decimals .. "f", math.floor(x * scale + 1e-9) / scale)
  return (text:gsub("%.?0+$", ""))
end

local MAX_REASON = 200  -- characters kept of the reason pass() gives

-- The reason a pass function gave with false, as the result keeps it.
local function reason_of(reason)
  if reason == nil or reason == "" then return "未达到通过标准" end
  local n = utf8.len(reason)
  if not n then error("pass() must return its reason as UTF-8 text", 0) end
  if n <= MAX_REASON then return reason end
  return reason:sub(1, utf8.offset(reason, MAX_REASON + 1) - 1) .. "…"
end

-- Whether a graded result passes, and when not why (Chinese, for candidate
-- and proctor): every section minimum is checked first, then the pass mark,
-- or pass(result), which is called only when every minimum is met. The
-- shortfalls are joined with "；", the overall one first.
local function judge(cert, result)
  local short = {}
  for si, sec in ipairs(result.sections) do
    local decl = cert.sections[si] or {}
    if decl.min_percent and sec.percent < decl.min_percent then
      short[#short + 1] = string.format("第 %d 部分「%s」得分 %s%%，低于 %s", si,
                                        sec.title, number_text(sec.percent, 1), decl.min_text)
    elseif decl.min_points and sec.score < decl.min_points then
      short[#short + 1] = string.format("第 %d 部分「%s」得分 %s 分，低于 %s", si,
                                        sec.title, number_text(sec.score, 2), decl.min_text)
    end
  end
  if cert.pass_mark then
    if result.percent < cert.pass_mark then
      table.insert(short, 1, string.format("总分 %s%%，低于及格线 %g%%",
                                           number_text(result.percent, 1), cert.pass_mark))
    end
  elseif #short == 0 then
    -- the sections as pass() sees them: the minimum as numbers too
    local sections = copy(result.sections)
    for si, sec in ipairs(sections) do
      local decl = cert.sections[si] or {}
      sec.min_percent, sec.min_points = decl.min_percent, decl.min_points
    end
    local passed, reason = cert.pass({ score = result.score, max_score = result.max_score,
                                       percent = result.percent, sections = sections })
    if type(passed) ~= "boolean" then
      error("pass() must return true or false (got " .. describe(passed) .. ")", 0)
    end
    if reason ~= nil and type(reason) ~= "string" then
      error("pass() must return false and a reason as a string (got " .. describe(reason)
            .. " as the reason)", 0)
    end
    if not passed then short[1] = reason_of(reason) end
  end
  if #short == 0 then return true end
  return false, table.concat(short, "；")
end

-- Grades a form. answers: slot index -> response table; marks: slot index
-- -> a person's fraction, which wins over score() (on a question scored
-- automatically, the result also keeps what score() gave: auto_fraction,
-- 0 when unanswered, and overridden = true). Returns the result.
function entry.grade(cert, form, items_by_id, answers, marks)
  local result = { score = 0, max_score = 0, sections = {}, items = {}, pending = 0 }
  for si, s in ipairs(form.sections) do
    result.sections[si] = { title = s.title, score = 0, max_score = 0,
                            min = (cert.sections[si] or {}).min_text }
  end
  for i, slot in ipairs(form.slots) do
    local item = items_by_id[slot.id]
    local t = type_of(cert, item.type)
    local response = answers[i]
    local automatic  -- nil for a question a person grades
    if not t.manual then
      automatic = response == nil and 0 or score_of(t, item, response, slot)
    end
    local fraction = marks[i]
    if fraction == nil then
      if response == nil then fraction = 0 else fraction = automatic end
    end
    local overridden = marks[i] ~= nil and not t.manual
    local points = fraction and fraction * slot.points or 0
    if fraction == nil then result.pending = result.pending + 1 end
    result.items[i] = { id = slot.id, fraction = fraction, points = points,
                        max_points = slot.points, answered = response ~= nil,
                        manual = t.manual == true or nil,
                        auto_fraction = overridden and automatic or nil,
                        overridden = overridden or nil }
    local sec = result.sections[slot.section]
    sec.score = sec.score + points
    sec.max_score = sec.max_score + slot.points
    result.score = result.score + points
    result.max_score = result.max_score + slot.points
  end
  for _, sec in ipairs(result.sections) do
    sec.percent = sec.max_score > 0 and 100 * sec.score / sec.max_score or 0
  end
  result.percent = result.max_score > 0 and 100 * result.score / result.max_score or 0
  if result.pending == 0 then
    result.passed, result.reason = judge(cert, result)
  end
  return result
end

-- A waiting time in Chinese, rounded up to the minute: "6 天 23 小时 5 分钟".
local function wait_text(ms)
  local minutes = (ms + 59999) // 60000
  local parts = {}
  for _, u in ipairs { { 1440, "天" }, { 60, "小时" }, { 1, "分钟" } } do
    local n = minutes // u[1]
    minutes = minutes - n * u[1]
    if n > 0 then parts[#parts + 1] = string.format("%d %s", n, u[2]) end
  end
  return table.concat(parts, " ")
end

-- Whether another attempt may start. history: earlier attempts, oldest first,
-- each { number, finished, passed (nil while ungraded), percent, finished_at }.
-- Returns allowed (boolean), reason (string when refused).
function entry.may_start(cert, history, now_ms)
  for _, h in ipairs(history) do
    if h.passed then return false, "已通过该认证，无需补考" end
  end
  if #history >= cert.attempts then
    return false, string.format("已用完全部 %d 次考试机会", cert.attempts)
  end
  local last = history[#history]
  if last and last.passed == nil then
    return false, "上一次考试尚未评分，评分后方可补考"
  end
  if cert.retake_wait_ms and last and last.finished_at > 0 then
    local left = last.finished_at + cert.retake_wait_ms - now_ms
    if left > 0 then
      return false, string.format("距上次考试结束须满 %s方可补考，还需等待 %s",
                                  wait_text(cert.retake_wait_ms), wait_text(left))
    end
  end
  if cert.retake and last then
    local ok, reason = cert.retake(history, now_ms)
    if ok ~= true then
      return false, type(reason) == "string" and reason or "考试规则不允许补考"
    end
  end
  return true
end

api.entry = entry
return api
