-- The built-in question types: single, multiple, true_false, fill, numeric,
-- ordering, matching, essay and calculated. Each is declared exactly as an
-- author would declare their own (see scripts/SCRIPTING.md, "Question
-- types"): fields, validate, prepare (per-attempt variation, e.g. option
-- order, or a calculated item's numbers), present (what the candidate sees:
-- never a key; a view of the widget vocabulary, scripts/SCRIPTING.md
-- "Views"), score (a fraction from 0 to 1) built on the C scoring primitives
-- of the `score` module, solve (a response that earns full marks, for checks
-- and simulations) and reveal (the key of one form, for authors). Compiled
-- into the binary.
local api = ...

-- Choices are shown in the form's order and named by their place on the
-- page (1, 2, ...), never by their number in the bank: for ordering and
-- matching the bank's numbers are the key itself. data.order[d] is the bank's
-- number of the entry shown at place d.
local function options_view(texts, order)
  local view = {}
  for d, k in ipairs(order) do view[d] = { id = d, text = texts[k] } end
  return view
end

-- The bank's number of the entry shown at place d, or nil.
local function bank_number(order, d)
  return math.type(d) == "integer" and order[d] or nil
end

-- The bank's numbers of a list of places, or nil if any is not a place.
local function bank_numbers(order, places)
  if type(places) ~= "table" then return nil end
  local out = {}
  for i, d in ipairs(places) do
    out[i] = bank_number(order, d)
    if not out[i] then return nil end
  end
  return out
end

-- v when it is a list of at most `max` integers from 1 to max (a candidate's
-- points on a chart of max points), else nil: anything else scores 0, and
-- never reaches score.set, which refuses it.
local function int_list(v, max)
  if type(v) ~= "table" or #v > max then return nil end
  for _, x in ipairs(v) do
    if math.type(x) ~= "integer" or x < 1 or x > max then return nil end
  end
  return v
end

-- For authors and proctors: the item as written plus `shown`, this form's
-- order (place d shows bank entry shown[d]).
local function reveal_shown(item, data)
  local key = {}
  for k, v in pairs(item) do key[k] = v end
  key.shown = data.order
  return key
end

-- The place d showing bank entry k: the inverse of an order.
local function place_of(order, k)
  for d, bank in ipairs(order) do if bank == k then return d end end
end

-- The places of bank entries 1..n, in bank order.
local function places_in_bank_order(order)
  local out = {}
  for k = 1, #order do out[k] = place_of(order, k) end
  return out
end

local function identity(n)
  local t = {}
  for i = 1, n do t[i] = i end
  return t
end

-- A shown order of n entries that is never the key's own (n > 1): an
-- ordering shown in the right order, or matching entries each beside its
-- pair, would answer the question. A drawn identity becomes the rotation by
-- one, so no more draws are taken from rng than before.
local function scrambled(n, rng)
  local p = rng:permutation(n)
  for i = 1, n do
    if p[i] ~= i then return p end
  end
  for i = 1, n do p[i] = i % n + 1 end
  return p
end

local function option_order(n, rng, ctx)
  if ctx.shuffle then return rng:permutation(n) end
  return identity(n)
end

local set_rules = { all_or_nothing = true, right_minus_wrong = true, per_option = true }
local order_rules = { all_or_nothing = true, positions = true, adjacent = true }

api.define_builtin("single", {
  description = "one correct option among several",
  label = "单选题",
  fields = { stem = "text", options = "text list", answer = "integer" },
  validate = function(item)
    if #item.options < 2 then return "options", "at least 2 options" end
    if item.answer < 1 or item.answer > #item.options then
      return "answer", "an option number from 1 to " .. #item.options
    end
  end,
  prepare = function(item, rng, ctx) return { order = option_order(#item.options, rng, ctx) } end,
  present = function(item, data)
    return { stem = item.stem, widget = "choice", options = options_view(item.options, data.order) }
  end,
  score = function(item, response, data)
    return bank_number(data.order, response.choice) == item.answer and 1 or 0
  end,
  solve = function(item, data) return { choice = place_of(data.order, item.answer) } end,
  reveal = reveal_shown,
})

api.define_builtin("multiple", {
  description = "one or more correct options; partial credit by rule",
  label = "多选题",
  fields = { stem = "text", options = "text list", answer = "integer list", rule = "text?" },
  validate = function(item)
    if #item.options < 2 then return "options", "at least 2 options" end
    local seen = {}
    for _, a in ipairs(item.answer) do
      if a < 1 or a > #item.options or seen[a] then
        return "answer", "distinct option numbers from 1 to " .. #item.options
      end
      seen[a] = true
    end
    if item.rule and not set_rules[item.rule] then
      return "rule", "one of all_or_nothing, right_minus_wrong, per_option"
    end
  end,
  prepare = function(item, rng, ctx) return { order = option_order(#item.options, rng, ctx) } end,
  present = function(item, data)
    return { stem = item.stem, widget = "choices",
             options = options_view(item.options, data.order) }
  end,
  score = function(item, response, data)
    local choices = bank_numbers(data.order, response.choices)
    if not choices then return 0 end
    return score.set(item.answer, choices, #item.options, item.rule or "right_minus_wrong")
  end,
  solve = function(item, data)
    local places = {}
    for i, k in ipairs(item.answer) do places[i] = place_of(data.order, k) end
    table.sort(places)
    return { choices = places }
  end,
  reveal = reveal_shown,
})

api.define_builtin("true_false", {
  description = "a statement that is true or false",
  label = "判断题",
  fields = { stem = "text", answer = "boolean" },
  present = function(item) return { stem = item.stem, widget = "truth" } end,
  score = function(item, response) return response.value == item.answer and 1 or 0 end,
  solve = function(item) return { value = item.answer } end,
})

api.define_builtin("fill", {
  description = "one or more blanks, each with accepted answers",
  label = "填空题",
  fields = { stem = "text", answers = "any", match = "text?" },
  validate = function(item)
    local a = item.answers
    if type(a) ~= "table" or #a == 0 then
      return "answers", "a list with one entry per blank"
    end
    for _, blank in ipairs(a) do
      local ok = type(blank) == "string" and blank ~= ""
      if type(blank) == "table" then
        ok = #blank > 0
        for _, s in ipairs(blank) do ok = ok and type(s) == "string" and s ~= "" end
      end
      if not ok then
        return "answers", "a list whose entries are a string or a list of accepted strings"
      end
    end
    if item.match and item.match ~= "normalized" and item.match ~= "exact" then
      return "match", "normalized or exact"
    end
  end,
  present = function(item) return { stem = item.stem, widget = "blanks", blanks = #item.answers } end,
  score = function(item, response)
    local given = response.blanks
    if type(given) ~= "table" then return 0 end
    local right = 0
    for i, accepted in ipairs(item.answers) do
      if type(accepted) == "string" then accepted = { accepted } end
      local g = given[i]
      if type(g) == "string" and score.text(g, accepted, item.match == "exact") then
        right = right + 1
      end
    end
    return right / #item.answers
  end,
  solve = function(item)
    local blanks = {}
    for i, accepted in ipairs(item.answers) do
      blanks[i] = type(accepted) == "string" and accepted or accepted[1]
    end
    return { blanks = blanks }
  end,
})

api.define_builtin("numeric", {
  description = "a number, accepted within a tolerance",
  label = "数值题",
  fields = { stem = "text", answer = "number", tolerance = "number?",
             relative_tolerance = "number?", unit = "text?" },
  validate = function(item)
    if item.tolerance and item.tolerance < 0 then return "tolerance", "a number >= 0" end
    if item.relative_tolerance and item.relative_tolerance < 0 then
      return "relative_tolerance", "a number >= 0"
    end
  end,
  present = function(item) return { stem = item.stem, widget = "number", unit = item.unit } end,
  score = function(item, response)
    local v = response.value
    if type(v) ~= "number" then return 0 end
    return score.numeric(v, item.answer, item.tolerance or 0, item.relative_tolerance or 0)
           and 1 or 0
  end,
  solve = function(item) return { value = item.answer } end,
})

api.define_builtin("ordering", {
  description = "put the items in the right order",
  label = "排序题",
  fields = { stem = "text", items = "text list", rule = "text?" },
  validate = function(item)
    if #item.items < 2 then return "items", "at least 2 items, listed in the right order" end
    if item.rule and not order_rules[item.rule] then
      return "rule", "one of all_or_nothing, positions, adjacent"
    end
  end,
  prepare = function(item, rng) return { order = scrambled(#item.items, rng) } end,
  present = function(item, data)
    return { stem = item.stem, widget = "order", items = options_view(item.items, data.order) }
  end,
  score = function(item, response, data)
    local order = bank_numbers(data.order, response.order)
    if not order then return 0 end
    return score.order(identity(#item.items), order, item.rule or "all_or_nothing")
  end,
  solve = function(_, data) return { order = places_in_bank_order(data.order) } end,
  reveal = reveal_shown,
})

api.define_builtin("matching", {
  description = "match each left entry with its right entry",
  label = "匹配题",
  fields = { stem = "text", pairs = "any", rule = "text?" },
  validate = function(item)
    local p = item.pairs
    if type(p) ~= "table" or #p < 2 then
      return "pairs", "a list of at least 2 [left, right] pairs"
    end
    for _, pair in ipairs(p) do
      if type(pair) ~= "table" or #pair ~= 2 or type(pair[1]) ~= "string"
         or type(pair[2]) ~= "string" then
        return "pairs", "a list of [left, right] pairs of strings"
      end
    end
    if item.rule and item.rule ~= "all_or_nothing" and item.rule ~= "per_pair" then
      return "rule", "all_or_nothing or per_pair"
    end
  end,
  prepare = function(item, rng) return { order = scrambled(#item.pairs, rng) } end,
  present = function(item, data)
    local left, right = {}, {}
    for i, pair in ipairs(item.pairs) do left[i] = pair[1] end
    for d, k in ipairs(data.order) do right[d] = { id = d, text = item.pairs[k][2] } end
    return { stem = item.stem, widget = "match", left = left, right = right }
  end,
  -- An unpaired left entry (null in the response, nil here) counts as a
  -- wrong pair: a partial answer earns its right pairs (per_pair).
  score = function(item, response, data)
    local places, n = response.matches, #item.pairs
    if type(places) ~= "table" then return 0 end
    for k in pairs(places) do
      if math.type(k) ~= "integer" or k < 1 or k > n then return 0 end
    end
    local m = {}
    for i = 1, n do
      if places[i] == nil then m[i] = 0
      else
        m[i] = bank_number(data.order, places[i])
        if not m[i] then return 0 end
      end
    end
    return score.match(identity(n), m, item.rule == "all_or_nothing")
  end,
  solve = function(_, data) return { matches = places_in_bank_order(data.order) } end,
  reveal = reveal_shown,
})

api.define_builtin("essay", {
  description = "free text, graded by a person",
  label = "简答题",
  fields = { stem = "text", rubric = "text?", max_chars = "integer?" },
  validate = function(item)
    if item.max_chars and item.max_chars < 1 then return "max_chars", "a positive integer" end
  end,
  present = function(item)
    return { stem = item.stem, widget = "text", max_chars = item.max_chars }
  end,
  manual = true,
})

-- calculated: a generator of the certification draws the numbers per form ---

-- What a generator may return (scripts/SCRIPTING.md, "Generators").
local result_keys = { data = true, answer = true, key = true, npoints = true, tolerance = true,
                      relative_tolerance = true, explanation = true, chart = true,
                      answer_chart = true }

local function sorted_names(t)
  local names = {}
  for k in pairs(t) do names[#names + 1] = tostring(k) end
  table.sort(names)
  return names
end

-- Whether a form can store v: strings (UTF-8), finite numbers, booleans, and
-- tables that are lists or have only string keys.
local function storable(v, depth)
  local kind = type(v)
  if kind == "number" then return v == v and v ~= math.huge and v ~= -math.huge end
  if kind == "string" then return utf8.len(v) ~= nil end
  if kind == "boolean" then return true end
  if kind ~= "table" or depth > 16 then return false end
  local named, listed = 0, 0
  for k, x in pairs(v) do
    if type(k) == "string" then
      named = named + 1
    elseif math.type(k) == "integer" and k >= 1 then
      listed = listed + 1
    else
      return false
    end
    if not storable(x, depth + 1) then return false end
  end
  if listed > 0 then
    if named > 0 then return false end
    for i = 1, listed do if v[i] == nil then return false end end
  end
  return true
end

-- The text a stem placeholder shows for a value of the generator's data.
local function placeholder_text(v)
  if type(v) == "string" then return v end
  if math.type(v) == "integer" then return tostring(v) end
  if type(v) == "number" then
    if v == math.floor(v) and math.abs(v) < 2^53 then return string.format("%d", v) end
    return string.format("%.10g", v)
  end
  return nil
end

local function where_of(item)
  return string.format("generator '%s' (item '%s')", item.generator, tostring(item.id))
end

-- Raises unless out is what a generator may return (scripts/SCRIPTING.md,
-- "Generators").
local function check_result(item, out)
  local function bad(fmt, ...) error(where_of(item) .. ": " .. string.format(fmt, ...), 0) end
  if type(out) ~= "table" then bad("must return a table (got %s)", type(out)) end
  for k in pairs(out) do
    if not result_keys[k] then
      bad("returned the unknown key '%s'; expected one of: %s", tostring(k),
          table.concat(sorted_names(result_keys), ", "))
    end
  end
  if type(out.data) ~= "table" or not storable(out.data, 0) then
    bad("'data' must be a table of strings, finite numbers, lists and tables with names")
  end
  local kind = out.answer or "number"
  if kind == "number" then
    if type(out.key) ~= "number" or not storable(out.key, 0) then
      bad("'key' must be a finite number (got %s)", tostring(out.key))
    end
  elseif kind == "points" then
    if math.type(out.npoints) ~= "integer" or out.npoints < 1 or out.npoints > 1000 then
      bad("'npoints' must be an integer from 1 to 1000 when answer is \"points\"")
    end
    if type(out.key) ~= "table" or not storable(out.key, 0) then
      bad("'key' must be a list of point numbers")
    end
    local seen = {}
    for _, p in ipairs(out.key) do
      if math.type(p) ~= "integer" or p < 1 or p > out.npoints or seen[p] then
        bad("'key' must list distinct point numbers from 1 to %d", out.npoints)
      end
      seen[p] = true
    end
  else
    bad("'answer' must be \"number\" or \"points\" (got %s)", tostring(out.answer))
  end
  for _, k in ipairs { "tolerance", "relative_tolerance" } do
    local t = out[k]
    if t ~= nil and (type(t) ~= "number" or not (t >= 0) or t == math.huge) then
      bad("'%s' must be a number >= 0", k)
    end
  end
  if type(out.explanation) ~= "string" or out.explanation == ""
     or not storable(out.explanation, 0) then
    bad("'explanation' must be a non-empty UTF-8 string (the worked steps)")
  end
  for _, k in ipairs { "chart", "answer_chart" } do
    if out[k] ~= nil and (type(out[k]) ~= "string" or out[k]:sub(1, 5) ~= "<svg ") then
      bad("'%s' must be a picture made by chart.control or chart.scatter", k)
    end
  end
end

-- The stem with each {name} replaced by the text of data[name].
local function fill_stem(item, data)
  return (item.stem:gsub("{([%a_][%w_]*)}", function(name)
    return placeholder_text(data[name])
           or error(string.format("%s: its data has no text or number for the stem's {%s}",
                                  where_of(item), name), 0)
  end))
end

-- What a form keeps of a generator's result: the filled stem, the data, the
-- answer kind, key and tolerances, the worked explanation and the pictures.
local function form_data(item, out)
  local tolerance, relative = out.tolerance, out.relative_tolerance
  if item.tolerance or item.relative_tolerance then
    tolerance, relative = item.tolerance, item.relative_tolerance
  end
  return { stem = fill_stem(item, out.data), data = out.data, answer = out.answer or "number",
           key = out.key, npoints = out.npoints, tolerance = tolerance,
           relative_tolerance = relative, explanation = out.explanation, chart = out.chart,
           answer_chart = out.answer_chart }
end

api.define_builtin("calculated", {
  description = "numbers drawn per form by a generator; answered with a number or with points",
  label = "计算题",
  fields = { stem = "text", generator = "text", params = "any?", tolerance = "number?",
             relative_tolerance = "number?", unit = "text?" },
  validate = function(item, ctx)
    if item.tolerance and item.tolerance < 0 then return "tolerance", "a number >= 0" end
    if item.relative_tolerance and item.relative_tolerance < 0 then
      return "relative_tolerance", "a number >= 0"
    end
    local generators = ctx.generators or {}
    if type(generators[item.generator]) ~= "function" then
      local names = sorted_names(generators)
      if #names == 0 then
        return "generator", "a generator of the certification, but its declaration has no "
               .. "'generators'"
      end
      return "generator", "one of the certification's generators: " .. table.concat(names, ", ")
    end
    if not ctx.rng then return end
    -- a trial run, so that no candidate's attempt is the first to fail
    local ok, out = pcall(generators[item.generator], ctx.rng, item.params or {})
    if not ok then -- most likely the params, when there are any
      return item.params ~= nil and "params" or "generator",
             "what the generator accepts (a trial run failed: " .. tostring(out) .. ")"
    end
    local valid, why = pcall(check_result, item, out)
    if not valid then return "generator", "a generator with a valid result (" .. why .. ")" end
    local filled, problem = pcall(fill_stem, item, out.data)
    if not filled then
      return "stem", "only placeholders the generator's data fills (" .. problem .. ")"
    end
  end,
  prepare = function(item, rng, ctx)
    local g = (ctx.generators or {})[item.generator]
    if type(g) ~= "function" then
      error(where_of(item) .. ": is not among the certification's generators", 0)
    end
    local out = g(rng, item.params or {})
    check_result(item, out)
    return form_data(item, out)
  end,
  present = function(item, data)
    local parts = {}
    if data.data.table then parts[#parts + 1] = { table = data.data.table } end
    if data.chart then parts[#parts + 1] = { chart = data.chart } end
    if #parts == 0 then parts = nil end
    if data.answer == "points" then
      return { stem = data.stem, parts = parts, widget = "points", npoints = data.npoints }
    end
    return { stem = data.stem, parts = parts, widget = "number", unit = item.unit }
  end,
  score = function(item, response, data)
    if data.answer == "points" then
      local points = int_list(response.points, data.npoints)
      if not points then return 0 end
      return score.set(data.key, points, data.npoints, "right_minus_wrong")
    end
    local v = response.value
    if type(v) ~= "number" then return 0 end
    return score.numeric(v, data.key, data.tolerance or 0, data.relative_tolerance or 0)
           and 1 or 0
  end,
  solve = function(_, data)
    if data.answer == "points" then return { points = data.key } end
    return { value = data.key }
  end,
  reveal = function(item, data)
    local key = {}
    for k, v in pairs(item) do key[k] = v end
    key.stem = data.stem
    key.answer = data.key
    key.response = data.answer == "points" and "points" or "value"
    key.npoints = data.npoints
    key.tolerance = data.tolerance
    key.relative_tolerance = data.relative_tolerance
    key.explanation = item.explanation and data.explanation .. "\n" .. item.explanation
                      or data.explanation
    key.data = data.data
    key.answer_chart = data.answer_chart
    return key
  end,
})
