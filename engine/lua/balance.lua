-- Balanced forms: the `balance` key of a declaration, and the step of the
-- draw that meets it. With balance = { difficulty = { 3.0, 0.1 },
-- angoff = { 70, 3 } }, every form's mean difficulty label (items without one
-- left out) is brought within 3.0 ± 0.1 and its Angoff score (the points a
-- borderline candidate is expected to earn, in % of the form's points:
-- Σ points × angoff / Σ points) within 70 ± 3, by swapping items of a section
-- for others of the same section's pool. Run with the author API
-- (engine/lua/author.lua) as its argument; adds api.check_balance and
-- api.balance. The contract is scripts/SCRIPTING.md, "Balanced forms".
local api = ...
local describe = api.describe

-- The measures a balance may name: how to read a target, and its range.
local measures = {
  difficulty = { lo = 1, hi = 5, example = "{ 3.0, 0.1 }", what = "a mean label from 1 to 5" },
  angoff = { lo = 0, hi = 100, example = "{ 70, 3 }", what = "a percentage from 0 to 100" },
}

-- Checks decl.balance; fail_at(path, level, fmt, ...) raises (declare.lua).
-- Returns the engine's copy: { difficulty = { target, within }, angoff = ... }.
function api.check_balance(balance, fail_at, level)
  if type(balance) ~= "table" then
    fail_at({ "balance" }, level, "certification: 'balance' must be a table such as "
            .. "{ difficulty = { 3.0, 0.1 }, angoff = { 70, 3 } } (got %s)", describe(balance))
  end
  local out = {}
  for k, v in pairs(balance) do
    local m = measures[k]
    if not m then
      fail_at({ "balance", k }, level,
              "certification: balance: unknown key '%s'; expected angoff, difficulty", tostring(k))
    end
    local ok = api.is_list(v) and #v == 2 and type(v[1]) == "number" and type(v[2]) == "number"
               and v[1] >= m.lo and v[1] <= m.hi and v[2] > 0 and v[2] < m.hi
    if not ok then
      fail_at({ "balance", k }, level,
              "certification: balance: '%s' must be { target, within }: the target %s and "
              .. "a positive tolerance, such as %s (got %s)", k, m.what, m.example, describe(v))
    end
    out[k] = { target = v[1], within = v[2] }
  end
  if not next(out) then
    fail_at({ "balance" }, level, "certification: balance: name difficulty, angoff or both")
  end
  return out
end

-- Each form aims at a point of its band drawn at random, within target ±
-- AIM_SPREAD × within, and is brought within AIM_NEAR × within of it: forms
-- spread over the band around its target, rather than all stopping at the
-- edge they come from (a pool whose items lie mostly below the target
-- would otherwise give forms all at target - within).
local AIM_SPREAD, AIM_NEAR = 0.75, 0.25
-- Being outside the band weighs this much more than being off the aim.
local OUTSIDE = 10
local MEASURES = { "difficulty", "angoff" }  -- in this order, for the draws

-- How far x lies from rule's band and from its aim, in tolerances: 0 when
-- within the band and near the aim.
local function distance(x, rule, aim)
  if not rule or not x then return 0 end
  local outside = math.max(0, math.abs(x - rule.target) - rule.within)
  local off_aim = math.max(0, math.abs(x - aim) - AIM_NEAR * rule.within)
  return (OUTSIDE * outside + off_aim) / rule.within
end

-- How far a form lies from its targets and aims, from its running sums:
-- difficulty labels and their count, points and points × angoff.
local function penalty(sums, rules, aims)
  local mean = sums.labelled > 0 and sums.labels / sums.labelled or nil
  local score = sums.points > 0 and 100 * sums.expected / sums.points or nil
  return distance(mean, rules.difficulty, aims.difficulty)
         + distance(score, rules.angoff, aims.angoff)
end

local function add(sums, item, points, sign)
  local d = item.difficulty
  if d then
    sums.labels = sums.labels + sign * d
    sums.labelled = sums.labelled + sign
  end
  sums.points = sums.points + sign * points
  sums.expected = sums.expected + sign * points * (item.angoff or 0)
end

-- Brings the chosen items (chosen[si]: indices into items, per section)
-- toward the declaration's balance. unseen(j) tells whether item j is new
-- to the candidate (nor of a group they have seen); away(si, j) whether
-- item j is at home in another section than si (author.lua); used holds
-- the groups on the form and is kept up to date. A step takes, uniformly
-- at random with rng, one of the swaps that lower the distance to the
-- targets: an item of a section for an item of its pool that is not on
-- the form, has not been seen (nor its group), shares no group with
-- another item on the form, and is not at home in another section (so
-- retakes stay fresh). The distance counts being outside a band first,
-- then being off the form's aim in it (drawn first, with rng). Stops when
-- the form is within its bands and near its aims, or no swap gets closer;
-- a form that cannot be brought within is drawn as close as the pools
-- allow (`kaoshi coverage --forms N` reports such forms).
function api.balance(cert, items, pools, chosen, unseen, away, used, rng)
  local rules = cert.balance
  local aims = {}
  for _, k in ipairs(MEASURES) do
    local rule = rules[k]
    if rule then
      aims[k] = rule.target + AIM_SPREAD * rule.within * (2 * rng:uniform() - 1)
    end
  end
  local sums = { labels = 0, labelled = 0, points = 0, expected = 0 }
  local on_form = {}
  local function points_of(si, j) return items[j].points or cert.sections[si].points end
  for si, list in ipairs(chosen) do
    for _, j in ipairs(list) do
      on_form[items[j].id] = true
      add(sums, items[j], points_of(si, j), 1)
    end
  end
  local current = penalty(sums, rules, aims)
  local steps = 0
  for _, list in ipairs(chosen) do steps = steps + 4 * #list end
  while current > 0 and steps > 0 do
    steps = steps - 1
    local swaps = {}
    for si, list in ipairs(chosen) do
      for k, a in ipairs(list) do
        local ga = items[a].group
        add(sums, items[a], points_of(si, a), -1)
        for _, b in ipairs(pools[si]) do
          local gb = items[b].group
          if not on_form[items[b].id] and unseen(b) and not away(si, b)
             and (not gb or gb == ga or not used[gb]) then
            add(sums, items[b], points_of(si, b), 1)
            if penalty(sums, rules, aims) < current - 1e-12 then
              swaps[#swaps + 1] = { si, k, b }
            end
            add(sums, items[b], points_of(si, b), -1)
          end
        end
        add(sums, items[a], points_of(si, a), 1)
      end
    end
    if #swaps == 0 then break end
    local si, k, b = table.unpack(swaps[rng:int(1, #swaps)])
    local a = chosen[si][k]
    add(sums, items[a], points_of(si, a), -1)
    add(sums, items[b], points_of(si, b), 1)
    on_form[items[a].id], on_form[items[b].id] = nil, true
    if items[a].group then used[items[a].group] = nil end
    if items[b].group then used[items[b].group] = true end
    chosen[si][k] = b
    current = penalty(sums, rules, aims)
  end
end
