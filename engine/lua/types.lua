-- The built-in question types: single, multiple, true_false, fill, numeric,
-- ordering, matching and essay. Each is declared exactly as an author would
-- declare their own (see scripts/SCRIPTING.md, "Question types"): fields,
-- validate, prepare (per-attempt variation, e.g. option order), present (what
-- the candidate sees: never a key) and score (a fraction from 0 to 1) built on
-- the C scoring primitives of the `score` module. Compiled into the binary.
local api = ...

local function options_view(texts, order)
  local view = {}
  for i, k in ipairs(order) do view[i] = { id = k, text = texts[k] } end
  return view
end

local function identity(n)
  local t = {}
  for i = 1, n do t[i] = i end
  return t
end

local function option_order(n, rng, ctx)
  if ctx.shuffle then return rng:permutation(n) end
  return identity(n)
end

local function int_list(v)
  if type(v) ~= "table" then return nil end
  for _, x in ipairs(v) do if math.type(x) ~= "integer" then return nil end end
  return v
end

local set_rules = { all_or_nothing = true, right_minus_wrong = true, per_option = true }
local order_rules = { all_or_nothing = true, positions = true, adjacent = true }

api.define_builtin("single", {
  description = "one correct option among several",
  fields = { stem = "text", options = "text list", answer = "integer" },
  validate = function(item)
    if #item.options < 2 then return "options", "at least 2 options" end
    if item.answer < 1 or item.answer > #item.options then
      return "answer", "an option number from 1 to " .. #item.options
    end
  end,
  prepare = function(item, rng, ctx) return { order = option_order(#item.options, rng, ctx) } end,
  present = function(item, data)
    return { stem = item.stem, options = options_view(item.options, data.order) }
  end,
  score = function(item, response)
    return response.choice == item.answer and 1 or 0
  end,
})

api.define_builtin("multiple", {
  description = "one or more correct options; partial credit by rule",
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
    return { stem = item.stem, options = options_view(item.options, data.order),
             select = "multiple" }
  end,
  score = function(item, response)
    local choices = int_list(response.choices)
    if not choices then return 0 end
    return score.set(item.answer, choices, #item.options, item.rule or "right_minus_wrong")
  end,
})

api.define_builtin("true_false", {
  description = "a statement that is true or false",
  fields = { stem = "text", answer = "boolean" },
  present = function(item) return { stem = item.stem } end,
  score = function(item, response) return response.value == item.answer and 1 or 0 end,
})

api.define_builtin("fill", {
  description = "one or more blanks, each with accepted answers",
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
  present = function(item) return { stem = item.stem, blanks = #item.answers } end,
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
})

api.define_builtin("numeric", {
  description = "a number, accepted within a tolerance",
  fields = { stem = "text", answer = "number", tolerance = "number?",
             relative_tolerance = "number?", unit = "text?" },
  validate = function(item)
    if item.tolerance and item.tolerance < 0 then return "tolerance", "a number >= 0" end
    if item.relative_tolerance and item.relative_tolerance < 0 then
      return "relative_tolerance", "a number >= 0"
    end
  end,
  present = function(item) return { stem = item.stem, unit = item.unit } end,
  score = function(item, response)
    local v = response.value
    if type(v) ~= "number" then return 0 end
    return score.numeric(v, item.answer, item.tolerance or 0, item.relative_tolerance or 0)
           and 1 or 0
  end,
})

api.define_builtin("ordering", {
  description = "put the items in the right order",
  fields = { stem = "text", items = "text list", rule = "text?" },
  validate = function(item)
    if #item.items < 2 then return "items", "at least 2 items, listed in the right order" end
    if item.rule and not order_rules[item.rule] then
      return "rule", "one of all_or_nothing, positions, adjacent"
    end
  end,
  prepare = function(item, rng) return { order = rng:permutation(#item.items) } end,
  present = function(item, data)
    return { stem = item.stem, items = options_view(item.items, data.order) }
  end,
  score = function(item, response)
    local order = int_list(response.order)
    if not order then return 0 end
    return score.order(identity(#item.items), order, item.rule or "all_or_nothing")
  end,
})

api.define_builtin("matching", {
  description = "match each left entry with its right entry",
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
  prepare = function(item, rng) return { order = rng:permutation(#item.pairs) } end,
  present = function(item, data)
    local left, right = {}, {}
    for i, pair in ipairs(item.pairs) do left[i] = pair[1] end
    for i, k in ipairs(data.order) do right[i] = { id = k, text = item.pairs[k][2] } end
    return { stem = item.stem, left = left, right = right }
  end,
  score = function(item, response)
    local m = int_list(response.matches)
    if not m or #m ~= #item.pairs then return 0 end
    return score.match(identity(#item.pairs), m, item.rule == "all_or_nothing")
  end,
})

api.define_builtin("essay", {
  description = "free text, graded by a person",
  fields = { stem = "text", rubric = "text?", max_chars = "integer?" },
  validate = function(item)
    if item.max_chars and item.max_chars < 1 then return "max_chars", "a positive integer" end
  end,
  present = function(item) return { stem = item.stem, max_chars = item.max_chars } end,
  manual = true,
})
