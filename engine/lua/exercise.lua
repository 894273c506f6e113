-- Responses the engine makes itself, for `kaoshi check` (which exercises every
-- hook of every item before a sitting opens) and for `kaoshi simulate`: a
-- one-question trial form of any item, the response that earns full marks
-- (the type's solve(), or found by trying every response of a small widget),
-- and sample responses of every widget shape (empty, partial, wrong, extreme)
-- that a score() must take without failing. Run with the author API
-- (engine/lua/author.lua) as its argument; adds entries to api.entry.
local api = ...
local entry = api.entry

local copy = api.copy

-- A form of one question: the item at `index` of items, prepared with rng.
function entry.trial_form(cert, items, index, rng)
  local item = items[index]
  local t = api.type_of(cert, item.type)
  local slot = { section = 1, id = item.id, points = 1 }
  if t.prepare then
    slot.data = t.prepare(copy(item), rng, { shuffle = cert.shuffle_options,
                                             generators = cert.generators })
  end
  return { slots = { slot }, sections = { { title = "trial", points = 1, first = 1, count = 1 } } }
end

local function ids(list)
  local out = {}
  for i, e in ipairs(list or {}) do out[i] = e.id end
  return out
end

-- The most responses the search for a full-marks response tries: score()
-- runs once for each, all within one call's instruction budget.
local MAX_SEARCH = 256

-- Every subset of list (at most MAX_SEARCH of them), as lists in list
-- order; nil when there are more.
local function subsets(list)
  local out = { {} }
  if 2 ^ #list > MAX_SEARCH then return nil end
  for _, x in ipairs(list) do
    for i = 1, #out do
      local s = copy(out[i])
      s[#s + 1] = x
      out[#out + 1] = s
    end
  end
  return out
end

-- Every ordering of list (at most 5! of them); nil when there are more.
local function permutations(list)
  if #list > 5 then return nil end
  if #list <= 1 then return { copy(list) } end
  local out = {}
  for i = 1, #list do
    local rest = copy(list)
    local first = table.remove(rest, i)
    for _, p in ipairs(permutations(rest)) do
      table.insert(p, 1, first)
      out[#out + 1] = p
    end
  end
  return out
end

-- Every assignment of one of `choices` to each of n entries (at most
-- MAX_SEARCH of them); nil when there are more.
local function assignments(n, choices)
  if (#choices) ^ n > MAX_SEARCH then return nil end
  local out = { {} }
  for _ = 1, n do
    local grown = {}
    for _, a in ipairs(out) do
      for _, c in ipairs(choices) do
        local b = copy(a)
        b[#b + 1] = c
        grown[#grown + 1] = b
      end
    end
    out = grown
  end
  return out
end

-- Every response of a widget small enough to try them all, or nil.
local function every_response(view)
  local w = view.widget
  local out = {}
  if w == "choice" then
    for _, id in ipairs(ids(view.options)) do out[#out + 1] = { choice = id } end
  elseif w == "truth" then
    out = { { value = true }, { value = false } }
  elseif w == "choices" then
    for _, s in ipairs(subsets(ids(view.options)) or {}) do out[#out + 1] = { choices = s } end
  elseif w == "order" then
    for _, p in ipairs(permutations(ids(view.items)) or {}) do out[#out + 1] = { order = p } end
  elseif w == "match" then
    for _, a in ipairs(assignments(#view.left, ids(view.right)) or {}) do
      out[#out + 1] = { matches = a }
    end
  end
  return #out > 0 and #out <= MAX_SEARCH and out or nil
end

local function full_marks(t, item, response, data)
  local ok, fraction = pcall(t.score, copy(item), copy(response), copy(data))
  return ok and fraction == 1
end

-- The response that earns full marks on slot (of a form; item is its item):
-- the type's solve(), else the first of every response of a small widget
-- that scores 1. Returns response, how ("solve", "search"); nil, why when
-- there is none (a manual type, or a widget too large to search).
function entry.solve(cert, item, slot)
  local t = api.type_of(cert, item.type)
  local data = slot.data or {}
  if t.solve then return t.solve(copy(item), copy(data)), "solve" end
  if t.manual then return nil, "graded by a person" end
  local view = t.present(copy(item), copy(data))
  local all = every_response(view)
  if not all then
    return nil, "its type has no solve() and widget '" .. tostring(view.widget)
                .. "' has too many responses to search"
  end
  for _, r in ipairs(all) do
    if full_marks(t, item, r, data) then return r, "search" end
  end
  error(string.format("no response scores full marks: score() gave none of the %d responses "
                      .. "of its '%s' view 1 (a type without solve() is checked by trying "
                      .. "them all)", #all, view.widget), 0)
end

-- Text a candidate might type: empty, blank, short, long, full-width, odd.
local texts = { "", "   ", "x", "０１２ＡＢＣ", "答案", string.rep("长", 300), "\t\n", "-1" }

local function some(list, rng, k)
  local out = {}
  for _, i in ipairs(rng:sample(#list, math.min(k, #list))) do out[#out + 1] = list[i] end
  return out
end

-- Responses of every shape the view's widget takes: empty, partial, wrong
-- and extreme ones, each a response the page could send.
function entry.samples(cert, item, slot, rng)
  local t = api.type_of(cert, item.type)
  local view = t.present(copy(item), copy(slot.data or {}))
  local w, out = view.widget, {}
  local function add(r) out[#out + 1] = r end
  if w == "choice" then
    for _, id in ipairs(ids(view.options)) do add { choice = id } end
  elseif w == "choices" then
    local all = ids(view.options)
    add { choices = {} }
    add { choices = all }
    for _ = 1, 3 do
      local s = some(all, rng, rng:int(1, #all))
      table.sort(s)
      add { choices = s }
    end
  elseif w == "truth" then
    add { value = true }
    add { value = false }
  elseif w == "blanks" then
    for _, text in ipairs(texts) do
      local b = {}
      for i = 1, view.blanks do b[i] = text end
      add { blanks = b }
    end
  elseif w == "number" then
    for _, v in ipairs { 0, -1, 1, 0.5, -1e9, 1e12, 123456.789 } do add { value = v } end
  elseif w == "order" then
    local all = ids(view.items)
    add { order = all }
    local reversed = {}
    for i = #all, 1, -1 do reversed[#reversed + 1] = all[i] end
    add { order = reversed }
    add { order = some(all, rng, #all) }
  elseif w == "match" then
    local right = ids(view.right)
    for _, pick in ipairs { function() return right[1] end,
                            function() return right[#right] end,
                            function() return right[rng:int(1, #right)] end } do
      local m = {}
      for i = 1, #view.left do m[i] = pick() end
      add { matches = m }
    end
  elseif w == "text" then
    for _, text in ipairs(texts) do
      if not view.max_chars or utf8.len(text) <= view.max_chars then add { text = text } end
    end
  elseif w == "points" then
    local all = {}
    for i = 1, view.npoints do all[i] = i end
    add { points = {} }
    add { points = { 1 } }
    add { points = all }
    local s = some(all, rng, rng:int(1, view.npoints))
    table.sort(s)
    add { points = s }
  end
  return out
end
