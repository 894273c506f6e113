-- The author API: the `certification{...}` declaration and its checks, the
-- registry of question types, and the entry points the engine calls (check a
-- bank's items, draw a form, present a question, grade an attempt, decide a
-- retake). Compiled into the kaoshi binary; runs inside the sandbox like the
-- scripts it serves. Depends on the C modules `score` and `kaoshi` (set by
-- engine/lua/cert.c). The contract is scripts/SCRIPTING.md.

local api = {}
local types = {}        -- name -> question type definition
local declared = setmetatable({}, { __mode = "k" })  -- tables certification() made

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
                        difficulty = true, tags = true, explanation = true }

local type_keys = { fields = true, validate = true, prepare = true, present = true,
                    score = true, manual = true, description = true, reveal = true }

-- Checks and registers a question type. `where` prefixes errors.
local function define_type(name, def, level)
  if type(name) ~= "string" or not name:match("^[a-z_][a-z0-9_]*$") then
    fail(level, "question type name must match [a-z_][a-z0-9_]* (got %s)", describe(name))
  end
  if type(def) ~= "table" then
    fail(level, "question type '%s': expected a table, got %s", name, describe(def))
  end
  for k in pairs(def) do
    if not type_keys[k] then
      fail(level, "question type '%s': unknown key '%s'; expected one of: %s", name,
           tostring(k), table.concat(sorted_keys(type_keys), ", "))
    end
  end
  if type(def.fields) ~= "table" then
    fail(level, "question type '%s': 'fields' must be a table of field kinds", name)
  end
  for field, kind in pairs(def.fields) do
    local base = type(kind) == "string" and kind:gsub("%?$", "") or nil
    if not kinds[base] then
      fail(level, "question type '%s': field '%s': kind must be one of text, integer, "
           .. "number, boolean, text list, integer list, any (with ? if optional), got %s",
           name, tostring(field), describe(kind))
    end
  end
  for _, hook in ipairs { "validate", "prepare", "present", "score", "reveal" } do
    if def[hook] ~= nil and type(def[hook]) ~= "function" then
      fail(level, "question type '%s': '%s' must be a function", name, hook)
    end
  end
  if type(def.present) ~= "function" then
    fail(level, "question type '%s': 'present' is required", name)
  end
  if def.manual ~= true and type(def.score) ~= "function" then
    fail(level, "question type '%s': 'score' is required unless manual = true", name)
  end
  types[name] = def
end

function api.define_builtin(name, def) define_type(name, def, 2) end

-- The declaration -------------------------------------------------------------

local cert_keys = {
  code = true, title = true, banks = true, duration = true, window = true,
  timezone = true, grace = true, pass = true, attempts = true, retake = true,
  retake_wait = true,
  sections = true, shuffle_options = true, review = true, question_types = true,
  certificate = true, description = true, generators = true,
}
local section_keys = { title = true, from = true, pick = true, points = true, shuffle = true }
local from_keys = { bank = true, chapter = true, topic = true, type = true, tags = true,
                    difficulty = true }
local review_values = { none = true, score = true, answers = true, full = true }

local function check_duration(text, what, level)
  if type(text) ~= "string" or not kaoshi.duration_ms(text) then
    fail(level, "certification: '%s' must be a duration such as \"90m\" or \"1h30m\" (got %s)",
         what, describe(text))
  end
  return kaoshi.duration_ms(text)
end

-- The waiting period between attempts: a duration, days allowed ("7d",
-- "1d12h", "36h").
local function check_wait(text, level)
  local ms = type(text) == "string" and kaoshi.duration_ms(text) or nil
  if not ms or ms <= 0 then
    fail(level, "certification: 'retake_wait' must be a duration such as \"7d\", \"36h\" or "
         .. "\"1d12h\" (got %s)", describe(text))
  end
  return ms
end

local function check_clock_time(text, what, level)
  local h, m
  if type(text) == "string" then h, m = text:match("^(%d%d):(%d%d)$") end
  if not h or tonumber(h) > 23 or tonumber(m) > 59 then
    fail(level, "certification: window: '%s' must be a time of day \"HH:MM\" (got %s)",
         what, describe(text))
  end
  return tonumber(h) * 60 + tonumber(m)
end

local function check_from(from, where, level)
  if type(from) ~= "table" then
    fail(level, "certification: %s: 'from' must be a table of draw rules (got %s)", where,
         describe(from))
  end
  for k in pairs(from) do
    if not from_keys[k] then
      fail(level, "certification: %s: from: unknown key '%s'; expected one of: %s", where,
           tostring(k), table.concat(sorted_keys(from_keys), ", "))
    end
  end
  if from.chapter ~= nil and (math.type(from.chapter) ~= "integer" or from.chapter < 1) then
    fail(level, "certification: %s: from: 'chapter' must be a positive integer (got %s)",
         where, describe(from.chapter))
  end
  for _, k in ipairs { "bank", "topic", "type" } do
    if from[k] ~= nil and (type(from[k]) ~= "string" or from[k] == "") then
      fail(level, "certification: %s: from: '%s' must be a non-empty string (got %s)",
           where, k, describe(from[k]))
    end
  end
  if from.tags ~= nil and not kinds["text list"][2](from.tags) then
    fail(level, "certification: %s: from: 'tags' must be a list of strings", where)
  end
  local d = from.difficulty
  if d ~= nil then
    local ok = math.type(d) == "integer" and d >= 1 and d <= 5
    if is_list(d) and #d == 2 then
      ok = math.type(d[1]) == "integer" and math.type(d[2]) == "integer"
           and d[1] >= 1 and d[1] <= d[2] and d[2] <= 5
    end
    if not ok then
      fail(level, "certification: %s: from: 'difficulty' must be 1..5 or a range {lo, hi}",
           where)
    end
  end
end

function api.certification(decl)
  local level = 2
  if type(decl) ~= "table" then
    fail(level, "certification: expected a table, got %s", describe(decl))
  end
  for k in pairs(decl) do
    if not cert_keys[k] then
      fail(level, "certification: unknown key '%s'; expected one of: %s", tostring(k),
           table.concat(sorted_keys(cert_keys), ", "))
    end
  end
  if type(decl.code) ~= "string" or not decl.code:match("^[A-Z][A-Z0-9-]*$") then
    fail(level, "certification: 'code' must be upper-case letters, digits and '-', "
         .. "like \"CCOM-WFMP\" (got %s)", describe(decl.code))
  end
  if type(decl.title) ~= "string" or decl.title == "" then
    fail(level, "certification: 'title' must be a non-empty string (got %s)",
         describe(decl.title))
  end
  if not kinds["text list"][2](decl.banks) then
    fail(level, "certification: 'banks' must be a list of bank names like { \"demo\" } (got %s)",
         describe(decl.banks))
  end
  local c = {
    code = decl.code, title = decl.title, banks = decl.banks,
    description = decl.description,
    duration_ms = check_duration(decl.duration, "duration", level + 1),
    grace_ms = decl.grace ~= nil and check_duration(decl.grace, "grace", level + 1) or 30000,
    attempts = decl.attempts or 1,
    shuffle_options = decl.shuffle_options ~= false,
    review = decl.review or "score",
    retake = decl.retake,
    retake_wait_ms = decl.retake_wait ~= nil and check_wait(decl.retake_wait, level + 1) or nil,
    certificate = decl.certificate,
    timezone = decl.timezone or "+08:00",
  }
  if c.duration_ms <= 0 then fail(level, "certification: 'duration' must be positive") end
  if math.type(c.attempts) ~= "integer" or c.attempts < 1 then
    fail(level, "certification: 'attempts' must be a positive integer (got %s)",
         describe(decl.attempts))
  end
  if not review_values[c.review] then
    fail(level, "certification: 'review' must be one of none, score, answers, full (got %s)",
         describe(decl.review))
  end
  if c.retake ~= nil and type(c.retake) ~= "function" then
    fail(level, "certification: 'retake' must be a function(history) (got %s)",
         describe(c.retake))
  end
  if type(c.timezone) ~= "string" or not c.timezone:match("^[+-]%d%d:%d%d$") then
    fail(level, "certification: 'timezone' must look like \"+08:00\" (got %s)",
         describe(decl.timezone))
  end
  if decl.certificate ~= nil and type(decl.certificate) ~= "table" then
    fail(level, "certification: 'certificate' must be a table (got %s)",
         describe(decl.certificate))
  end
  local pass = decl.pass == nil and 60 or decl.pass
  if type(pass) == "number" then
    if pass < 0 or pass > 100 then
      fail(level, "certification: 'pass' must be a percentage from 0 to 100 (got %s)",
           describe(pass))
    end
    local mark = pass
    c.pass_mark = mark
    c.pass = function(result) return result.percent >= mark end
  elseif type(pass) == "function" then
    c.pass = pass
  else
    fail(level, "certification: 'pass' must be a percentage or a function(result) (got %s)",
         describe(pass))
  end
  if decl.window ~= nil then
    local w = decl.window
    if type(w) ~= "table" then
      fail(level, "certification: 'window' must be { opens = \"HH:MM\", closes = \"HH:MM\" }")
    end
    for k in pairs(w) do
      if k ~= "opens" and k ~= "closes" then
        fail(level, "certification: window: unknown key '%s'; expected opens, closes",
             tostring(k))
      end
    end
    local o = check_clock_time(w.opens, "opens", level + 1)
    local cl = check_clock_time(w.closes, "closes", level + 1)
    if cl <= o then fail(level, "certification: window: 'closes' must be after 'opens'") end
    c.window = { opens = w.opens, closes = w.closes }
  end
  if decl.question_types ~= nil then
    if type(decl.question_types) ~= "table" then
      fail(level, "certification: 'question_types' must be a table of type definitions")
    end
    for name, def in pairs(decl.question_types) do
      if types[name] then
        fail(level, "certification: question type '%s' is built in; choose another name",
             tostring(name))
      end
      define_type(name, def, level + 1)
    end
  end
  c.generators = {}
  if decl.generators ~= nil then
    if type(decl.generators) ~= "table" then
      fail(level, "certification: 'generators' must be a table of generator functions, "
           .. "like require \"ccom_generators\" (got %s)", describe(decl.generators))
    end
    for name, fn in pairs(decl.generators) do
      if type(name) ~= "string" or not name:match("^[a-z_][a-z0-9_]*$") then
        fail(level, "certification: generators: names must match [a-z_][a-z0-9_]* (got %s)",
             describe(name))
      end
      if type(fn) ~= "function" then
        fail(level, "certification: generators: '%s' must be a function(rng, params) (got %s)",
             name, describe(fn))
      end
      c.generators[name] = fn
    end
  end
  if not is_list(decl.sections) or #decl.sections == 0 then
    fail(level, "certification: 'sections' must be a non-empty list of sections")
  end
  c.sections = {}
  local total = 0
  for i, s in ipairs(decl.sections) do
    local where = "section " .. i
    if type(s) ~= "table" then fail(level, "certification: %s: expected a table", where) end
    for k in pairs(s) do
      if not section_keys[k] then
        fail(level, "certification: %s: unknown key '%s'; expected one of: %s", where,
             tostring(k), table.concat(sorted_keys(section_keys), ", "))
      end
    end
    if type(s.title) ~= "string" or s.title == "" then
      fail(level, "certification: %s: 'title' must be a non-empty string (got %s)", where,
           describe(s.title))
    end
    check_from(s.from, where, level + 1)
    if math.type(s.pick) ~= "integer" or s.pick < 1 then
      fail(level, "certification: %s: 'pick' must be a positive integer (got %s)", where,
           describe(s.pick))
    end
    if type(s.points) ~= "number" or s.points <= 0 then
      fail(level, "certification: %s: 'points' must be a positive number per question (got %s)",
           where, describe(s.points))
    end
    c.sections[i] = { title = s.title, from = s.from, pick = s.pick, points = s.points,
                      shuffle = s.shuffle ~= false }
    total = total + s.pick * s.points
  end
  c.max_score = total
  declared[c] = true
  return c
end

-- Entry points for the engine (engine/lua/cert.c) ---------------------------

local entry = {}

function entry.is_certification(v) return declared[v] == true end

-- Checks one item against its question type; ctx is handed to validate.
-- Returns nil, or a problem table { field = NAME, expected = TEXT } /
-- { field = NAME, unknown = LIST }.
local function check_item(item, ctx)
  local t = types[item.type]
  if not t then
    local names = sorted_keys(types)
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
    local field, expected = t.validate(item, ctx)
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
    local p = check_item(item, ctx)
    if p then p.index = i; problems[#problems + 1] = p end
  end
  return problems
end

-- Draws a form. seen: set of item ids to avoid (earlier attempts). rng: the
-- attempt's generator. Returns { slots = { {section, id, points, data}... } }
-- or raises "section N: ..." when a pool is too small.
function entry.build_form(cert, items, pools, seen, rng)
  local ctx = { shuffle = cert.shuffle_options, generators = cert.generators }
  local on_form = {}
  local form = { slots = {}, sections = {} }
  for si, s in ipairs(cert.sections) do
    -- prefer items the candidate has never seen; fall back to seen ones only
    -- when the pool is too small (check and coverage warn about that)
    local fresh, fallback = {}, {}
    for _, j in ipairs(pools[si]) do
      local id = items[j].id
      if not on_form[id] then
        if seen[id] then fallback[#fallback + 1] = j else fresh[#fresh + 1] = j end
      end
    end
    local chosen = {}
    for _, k in ipairs(rng:sample(#fresh, math.min(s.pick, #fresh))) do
      chosen[#chosen + 1] = fresh[k]
    end
    local short = s.pick - #chosen
    for _, k in ipairs(rng:sample(#fallback, math.min(short, #fallback))) do
      chosen[#chosen + 1] = fallback[k]
    end
    if #chosen < s.pick then
      error(string.format("section %d (%s) needs %d questions but only %d are available",
                          si, s.title, s.pick, #chosen), 0)
    end
    if not s.shuffle then table.sort(chosen) end
    form.sections[si] = { title = s.title, points = s.points, first = #form.slots + 1,
                          count = #chosen }
    for _, j in ipairs(chosen) do
      local item = items[j]
      on_form[item.id] = true
      local t = types[item.type]
      local slot = { section = si, id = item.id, points = s.points }
      if t.prepare then
        slot.data = t.prepare(item, rng, ctx)
      end
      form.slots[#form.slots + 1] = slot
    end
  end
  return form
end

-- What a candidate sees of one slot: never a key or an explanation. With
-- with_key (authors and proctors only) the view's `key` holds what the type
-- reveals for this slot, by default the item as written.
function entry.present(item, slot, with_key)
  local t = types[item.type]
  local view = t.present(item, slot.data or {})
  view.type = item.type
  if with_key then
    view.key = t.reveal and t.reveal(item, slot.data or {}) or item
  end
  return view
end

-- Grades a form. answers: slot index -> response table. Returns the result.
function entry.grade(cert, form, items_by_id, answers, marks)
  local result = { score = 0, max_score = 0, sections = {}, items = {}, pending = 0 }
  for si, s in ipairs(form.sections) do
    result.sections[si] = { title = s.title, score = 0, max_score = 0 }
  end
  for i, slot in ipairs(form.slots) do
    local item = items_by_id[slot.id]
    local t = types[item.type]
    local response = answers[i]
    local fraction
    if marks[i] ~= nil then
      fraction = marks[i]
    elseif response == nil then
      fraction = 0
    elseif t.manual then
      fraction = nil
    else
      fraction = t.score(item, response, slot.data or {})
      if type(fraction) ~= "number" or fraction ~= fraction or fraction < 0 or fraction > 1 then
        error(string.format("question type '%s': score() must return a number from 0 to 1 "
                            .. "(got %s for item '%s')", item.type, describe(fraction),
                            item.id), 0)
      end
    end
    local points = fraction and fraction * slot.points or 0
    if fraction == nil then result.pending = result.pending + 1 end
    result.items[i] = { id = slot.id, fraction = fraction, points = points,
                        max_points = slot.points, answered = response ~= nil,
                        manual = t.manual == true or nil }
    local sec = result.sections[slot.section]
    sec.score = sec.score + points
    sec.max_score = sec.max_score + slot.points
    result.score = result.score + points
    result.max_score = result.max_score + slot.points
  end
  result.percent = result.max_score > 0 and 100 * result.score / result.max_score or 0
  if result.pending == 0 then
    local passed = cert.pass({ score = result.score, max_score = result.max_score,
                               percent = result.percent, sections = result.sections })
    if type(passed) ~= "boolean" then
      error("pass() must return true or false (got " .. describe(passed) .. ")", 0)
    end
    result.passed = passed
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
api.types = types
return api
