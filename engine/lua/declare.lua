-- The `certification { ... }` declaration: checks every key of an author's
-- table and returns the engine's copy of it (durations in ms, the pass rule:
-- a mark or a function, section minimums, the certification's own question
-- types and generators). Run with the author API (engine/lua/author.lua) as
-- its argument; adds api.certification. The contract is scripts/SCRIPTING.md.
--
-- Where a failure points: `return certification { ... }` is a tail call, so
-- Lua knows no line for the errors raised here. Before raising, each check
-- records what it blames in api.entry.declaration_error = { path = PATH,
-- message = TEXT }: PATH leads from the author's table to the offending key
-- or table, string keys and list positions, e.g. { "titel" }, { "sections",
-- 2, "from", "chapter" }, { "window", "opens" }; TEXT is the message raised.
-- engine/lua/cert.c reads it after the script failed with that message and
-- finds PATH in the script's text (engine/base/declscan.c) to name the line.
-- The checks of a question type's definition (check_type, author.lua) raise
-- with no record of their own: the one made before the call, with no
-- message, blames the type's entry. certification() clears the record when
-- it starts and when it succeeds.
local api = ...
local fail, describe, is_list, sorted_keys = api.fail, api.describe, api.is_list, api.sorted_keys
local kinds = api.kinds
local entry = api.entry

-- Raises the error fail(level, fmt, ...) raises, recording path as the place
-- it blames (above).
local function fail_at(path, level, fmt, ...)
  local message = string.format(fmt, ...)
  entry.declaration_error = { path = path, message = message }
  fail(level + 1, "%s", message)
end

-- The declaration -------------------------------------------------------------

local cert_keys = {
  code = true, title = true, banks = true, duration = true, window = true,
  timezone = true, grace = true, pass = true, attempts = true, retake = true,
  retake_wait = true,
  sections = true, shuffle_options = true, review = true, question_types = true,
  certificate = true, description = true, generators = true, aids = true, balance = true,
}
local section_keys = { title = true, from = true, pick = true, points = true, shuffle = true,
                       min = true }
local from_keys = { bank = true, chapter = true, topic = true, type = true, tags = true,
                    difficulty = true }
local review_values = { none = true, score = true, answers = true, full = true }
local calculator_kinds = { basic = true, scientific = true }

local function check_duration(text, what, level)
  if type(text) ~= "string" or not kaoshi.duration_ms(text) then
    fail_at({ what }, level,
            "certification: '%s' must be a duration such as \"90m\" or \"1h30m\" (got %s)",
            what, describe(text))
  end
  return kaoshi.duration_ms(text)
end

-- The waiting period between attempts: a duration, days allowed ("7d",
-- "1d12h", "36h").
local function check_wait(text, level)
  local ms = type(text) == "string" and kaoshi.duration_ms(text) or nil
  if not ms or ms <= 0 then
    fail_at({ "retake_wait" }, level,
            "certification: 'retake_wait' must be a duration such as \"7d\", \"36h\" or "
            .. "\"1d12h\" (got %s)", describe(text))
  end
  return ms
end

local function check_clock_time(text, what, level)
  local h, m
  if type(text) == "string" then h, m = text:match("^(%d%d):(%d%d)$") end
  if not h or tonumber(h) > 23 or tonumber(m) > 59 then
    fail_at({ "window", what }, level,
            "certification: window: '%s' must be a time of day \"HH:MM\" (got %s)",
            what, describe(text))
  end
  return tonumber(h) * 60 + tonumber(m)
end

-- The draw rules of a section; path leads to them, where names the section.
local function check_from(from, path, where, level)
  local function at(key)
    local p = table.move(path, 1, #path, 1, {})
    p[#p + 1] = key
    return p
  end
  if type(from) ~= "table" then
    fail_at(path, level, "certification: %s: 'from' must be a table of draw rules (got %s)", where,
            describe(from))
  end
  for k in pairs(from) do
    if not from_keys[k] then
      fail_at(at(k), level, "certification: %s: from: unknown key '%s'; expected one of: %s", where,
              tostring(k), table.concat(sorted_keys(from_keys), ", "))
    end
  end
  if from.chapter ~= nil and (math.type(from.chapter) ~= "integer" or from.chapter < 1) then
    fail_at(at("chapter"), level,
            "certification: %s: from: 'chapter' must be a positive integer (got %s)",
            where, describe(from.chapter))
  end
  for _, k in ipairs { "bank", "topic", "type" } do
    if from[k] ~= nil and (type(from[k]) ~= "string" or from[k] == "") then
      fail_at(at(k), level, "certification: %s: from: '%s' must be a non-empty string (got %s)",
              where, k, describe(from[k]))
    end
  end
  if from.tags ~= nil and not kinds["text list"][2](from.tags) then
    fail_at(at("tags"), level, "certification: %s: from: 'tags' must be a list of strings", where)
  end
  local d = from.difficulty
  if d ~= nil then
    local ok = math.type(d) == "integer" and d >= 1 and d <= 5
    if is_list(d) and #d == 2 then
      ok = math.type(d[1]) == "integer" and math.type(d[2]) == "integer"
           and d[1] >= 1 and d[1] <= d[2] and d[2] <= 5
    end
    if not ok then
      fail_at(at("difficulty"), level,
              "certification: %s: from: 'difficulty' must be 1..5 or a range {lo, hi}",
              where)
    end
  end
end

-- A section's minimum: a share of its maximum ("50%") or points (12).
-- Returns the engine's fields for it: min_percent or min_points, and
-- min_text, the minimum as candidates read it ("50%", "12 分").
local function check_min(min, i, level)
  local percent = type(min) == "string" and tonumber(min:match("^(%d+%.?%d*)%%$"))
  if percent and percent > 0 and percent <= 100 then
    return { min_percent = percent, min_text = min }
  end
  if type(min) == "number" and min > 0 and min < math.huge then
    return { min_points = min, min_text = string.format("%g 分", min) }
  end
  fail_at({ "sections", i, "min" }, level,
          "certification: section %d: 'min' must be a share of the section's points such as "
          .. "\"50%%\" (above 0%%, at most 100%%) or a positive number of points such as 12 "
          .. "(got %s)", i, describe(min))
end

-- The permitted aids: { calculator = "basic" | "scientific", notes = { TEXT, ... } },
-- both optional. Returns the engine's copy: calculator (nil for none) and
-- the notes (a list, maybe empty).
local function check_aids(aids, level)
  if type(aids) ~= "table" then
    fail_at({ "aids" }, level, "certification: 'aids' must be a table such as "
            .. "{ calculator = \"basic\", notes = { ... } } (got %s)", describe(aids))
  end
  for k in pairs(aids) do
    if k ~= "calculator" and k ~= "notes" then
      fail_at({ "aids", k }, level,
              "certification: aids: unknown key '%s'; expected calculator, notes", tostring(k))
    end
  end
  if aids.calculator ~= nil and not calculator_kinds[aids.calculator] then
    fail_at({ "aids", "calculator" }, level,
            "certification: aids: 'calculator' must be \"basic\" or \"scientific\" (got %s)",
            describe(aids.calculator))
  end
  local notes = aids.notes == nil and {} or aids.notes
  if not is_list(notes) then
    fail_at({ "aids", "notes" }, level,
            "certification: aids: 'notes' must be a list of texts (got %s)", describe(notes))
  end
  for i, note in ipairs(notes) do
    if type(note) ~= "string" or note == "" then
      fail_at({ "aids", "notes", i }, level,
              "certification: aids: note %d must be a non-empty text (got %s)", i,
              describe(note))
    end
  end
  return { calculator = aids.calculator, notes = { table.unpack(notes) } }
end

-- The engine keeps its own copies of what it checked, never a table the
-- script still holds: a script that changed the declaration after
-- certification{} returned would otherwise hand the engine values no check
-- has seen.

-- The certificate's texts (strings only).
local function certificate_of(t)
  if type(t) ~= "table" then return nil end
  local out = {}
  for _, k in ipairs { "title", "role", "series", "issuer" } do
    if type(t[k]) == "string" then out[k] = t[k] end
  end
  return out
end

-- A checked draw rule (check_from): its keys, lists copied.
local function from_copy(from)
  local out = {}
  for k in pairs(from_keys) do
    local v = from[k]
    out[k] = type(v) == "table" and { table.unpack(v) } or v
  end
  return out
end

-- A checked question type: its keys (check_type), its fields copied.
local function type_copy(def)
  local out = {}
  for k, v in next, def do out[k] = v end
  local fields = {}
  for k, v in next, def.fields do fields[k] = v end
  out.fields = fields
  return out
end

-- What certification{} returns to the script: a read-only view of the
-- engine's declaration c (reading gives copies), which entry.is_certification
-- maps back to c.
local function handle_of(c)
  local handle = setmetatable({}, {
    __index = function(_, k) return api.copy(c[k]) end,
    __newindex = function(_, k)
      error(string.format("certification: the declaration cannot be changed after "
                          .. "certification{} checked it (assigning '%s')", tostring(k)), 2)
    end,
    __metatable = false,
  })
  api.declared[handle] = c
  return handle
end

function api.certification(decl)
  local level = 2
  entry.declaration_error = nil
  if type(decl) ~= "table" then
    fail_at({}, level, "certification: expected a table, got %s", describe(decl))
  end
  for k in pairs(decl) do
    if not cert_keys[k] then
      fail_at({ k }, level, "certification: unknown key '%s'; expected one of: %s", tostring(k),
              table.concat(sorted_keys(cert_keys), ", "))
    end
  end
  if type(decl.code) ~= "string" or not decl.code:match("^[A-Z][A-Z0-9-]*$") then
    fail_at({ "code" }, level, "certification: 'code' must be upper-case letters, digits and '-', "
            .. "like \"CCOM-WFMP\" (got %s)", describe(decl.code))
  end
  if type(decl.title) ~= "string" or decl.title == "" then
    fail_at({ "title" }, level, "certification: 'title' must be a non-empty string (got %s)",
            describe(decl.title))
  end
  if not kinds["text list"][2](decl.banks) then
    fail_at({ "banks" }, level,
            "certification: 'banks' must be a list of bank names like { \"demo\" } (got %s)",
            describe(decl.banks))
  end
  local c = {
    code = decl.code, title = decl.title, banks = { table.unpack(decl.banks) },
    description = type(decl.description) == "string" and decl.description or nil,
    duration_ms = check_duration(decl.duration, "duration", level + 1),
    grace_ms = decl.grace ~= nil and check_duration(decl.grace, "grace", level + 1) or 30000,
    attempts = decl.attempts or 1,
    shuffle_options = decl.shuffle_options ~= false,
    review = decl.review or "score",
    retake = decl.retake,
    retake_wait_ms = decl.retake_wait ~= nil and check_wait(decl.retake_wait, level + 1) or nil,
    certificate = certificate_of(decl.certificate),
    aids = decl.aids ~= nil and check_aids(decl.aids, level + 1) or nil,
    balance = decl.balance ~= nil and api.check_balance(decl.balance, fail_at, level + 1)
              or nil,
    timezone = decl.timezone or "+08:00",
    types = {},  -- the certification's own question types
  }
  if c.duration_ms <= 0 then
    fail_at({ "duration" }, level, "certification: 'duration' must be positive")
  end
  if math.type(c.attempts) ~= "integer" or c.attempts < 1 then
    fail_at({ "attempts" }, level, "certification: 'attempts' must be a positive integer (got %s)",
            describe(decl.attempts))
  end
  if not review_values[c.review] then
    fail_at({ "review" }, level,
            "certification: 'review' must be one of none, score, answers, full (got %s)",
            describe(decl.review))
  end
  if c.retake ~= nil and type(c.retake) ~= "function" then
    fail_at({ "retake" }, level, "certification: 'retake' must be a function(history) (got %s)",
            describe(c.retake))
  end
  if type(c.timezone) ~= "string" or not c.timezone:match("^[+-]%d%d:%d%d$") then
    fail_at({ "timezone" }, level, "certification: 'timezone' must look like \"+08:00\" (got %s)",
            describe(decl.timezone))
  end
  if decl.certificate ~= nil and type(decl.certificate) ~= "table" then
    fail_at({ "certificate" }, level, "certification: 'certificate' must be a table (got %s)",
            describe(decl.certificate))
  end
  local pass = decl.pass == nil and 60 or decl.pass
  if type(pass) == "number" then
    if pass < 0 or pass > 100 then
      fail_at({ "pass" }, level,
              "certification: 'pass' must be a percentage from 0 to 100 (got %s)",
              describe(pass))
    end
    c.pass_mark = pass
  elseif type(pass) == "function" then
    c.pass = pass
  else
    fail_at({ "pass" }, level,
            "certification: 'pass' must be a percentage or a function(result) (got %s)",
            describe(pass))
  end
  if decl.window ~= nil then
    local w = decl.window
    if type(w) ~= "table" then
      fail_at({ "window" }, level,
              "certification: 'window' must be { opens = \"HH:MM\", closes = \"HH:MM\" }")
    end
    for k in pairs(w) do
      if k ~= "opens" and k ~= "closes" then
        fail_at({ "window", k }, level,
                "certification: window: unknown key '%s'; expected opens, closes",
                tostring(k))
      end
    end
    local o = check_clock_time(w.opens, "opens", level + 1)
    local cl = check_clock_time(w.closes, "closes", level + 1)
    if cl <= o then
      fail_at({ "window", "closes" }, level,
              "certification: window: 'closes' must be after 'opens'")
    end
    c.window = { opens = w.opens, closes = w.closes }
  end
  if decl.question_types ~= nil then
    if type(decl.question_types) ~= "table" then
      fail_at({ "question_types" }, level,
              "certification: 'question_types' must be a table of type definitions")
    end
    for name, def in pairs(decl.question_types) do
      if api.builtins[name] then
        fail_at({ "question_types", name }, level,
                "certification: question type '%s' is built in; choose another name",
                tostring(name))
      end
      entry.declaration_error = { path = { "question_types", name } }
      c.types[name] = type_copy(api.check_type(name, def, level + 1))
    end
  end
  c.generators = {}
  if decl.generators ~= nil then
    if type(decl.generators) ~= "table" then
      fail_at({ "generators" }, level,
              "certification: 'generators' must be a table of generator functions, "
              .. "like require \"ccom_generators\" (got %s)", describe(decl.generators))
    end
    for name, fn in pairs(decl.generators) do
      if type(name) ~= "string" or not name:match("^[a-z_][a-z0-9_]*$") then
        fail_at({ "generators", name }, level,
                "certification: generators: names must match [a-z_][a-z0-9_]* (got %s)",
                describe(name))
      end
      if type(fn) ~= "function" then
        fail_at({ "generators", name }, level,
                "certification: generators: '%s' must be a function(rng, params) (got %s)",
                name, describe(fn))
      end
      c.generators[name] = fn
    end
  end
  if not is_list(decl.sections) or #decl.sections == 0 then
    fail_at({ "sections" }, level, "certification: 'sections' must be a non-empty list of sections")
  end
  c.sections = {}
  local total = 0
  for i, s in ipairs(decl.sections) do
    local where = "section " .. i
    if type(s) ~= "table" then
      fail_at({ "sections", i }, level, "certification: %s: expected a table", where)
    end
    for k in pairs(s) do
      if not section_keys[k] then
        fail_at({ "sections", i, k }, level,
                "certification: %s: unknown key '%s'; expected one of: %s", where,
                tostring(k), table.concat(sorted_keys(section_keys), ", "))
      end
    end
    if type(s.title) ~= "string" or s.title == "" then
      fail_at({ "sections", i, "title" }, level,
              "certification: %s: 'title' must be a non-empty string (got %s)", where,
              describe(s.title))
    end
    check_from(s.from, { "sections", i, "from" }, where, level + 1)
    if math.type(s.pick) ~= "integer" or s.pick < 1 then
      fail_at({ "sections", i, "pick" }, level,
              "certification: %s: 'pick' must be a positive integer (got %s)", where,
              describe(s.pick))
    end
    if type(s.points) ~= "number" or not (s.points > 0 and s.points <= 1000) then
      fail_at({ "sections", i, "points" }, level,
              "certification: %s: 'points' must be a positive number per question, at most "
              .. "1000 (got %s)", where, describe(s.points))
    end
    local sec = s.min ~= nil and check_min(s.min, i, level + 1) or {}
    sec.title, sec.from, sec.pick = s.title, from_copy(s.from), s.pick
    sec.points, sec.shuffle = s.points, s.shuffle ~= false
    c.sections[i] = sec
    total = total + s.pick * s.points
  end
  c.max_score = total
  entry.declaration_error = nil
  return handle_of(c)
end

