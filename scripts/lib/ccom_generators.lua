-- Generators for calculated CCOM questions: one per computational topic of
-- the syllabus, drawing realistic call-centre data (half-hourly volumes in
-- the hundreds, AHT of 180-400 s, QA scores of 60-100, CSAT and abandonment
-- rates) from the form's rng. Every key is an output of the C statistics
-- core (`stats.*`), at most scaled to a percentage; data that would make a
-- question degenerate or ambiguous (zero variance, a point on a limit, a
-- service level on the target) is drawn again. Explanations show the formula and
-- each step with the numbers, in Chinese.
--
-- A certification declares them with `generators = require "ccom_generators"`
-- and an item names one with `generator:` and optional `params:`; its stem
-- may use the placeholders listed below ({n}, {slot}, ...). Every generator
-- also puts its raw inputs into the data under the names `kaoshi stats`
-- uses (x, y, a, b, defects, sizes, actual, forecast, calls, ...), so a key
-- can be checked against the data.
--
-- Each entry: params (defaults; "drawn" means chosen per form), the stem's
-- placeholders, and the answer (a number unless it says points).
--   cv              n (8 weeks), ddof (1)
--                   {n} {weekday} {slot} {sd_name} {volumes}; CV in %
--   xmr             n (20), ask (signals | ucl | lcl | center | mr_bar), pattern (drawn:
--                   rule1 | rule3 | rule5 | rule6 | rule8), metric (aht | volume)
--                   {n} {metric} {unit} {center} {sigma} {ucl} {lcl} {values} {trigger};
--                   signals: the points that break a 6-8-1-3-5 rule ({trigger} says
--                   which points count, rule by rule)
--   p_chart         m (20 days), ask (signals | p_bar | ucl), metric (abandon | qa |
--                   complaint | repeat_complaint: complaints per call handled, 0.8-3.0 %, or
--                   repeat complaints per complaint, 6-15 %; tables in 通 and 件)
--                   {m} {metric} {day} {p_bar}; signals: the days beyond the limits
--                   (the chart plots the rates, never the limits; daily sizes vary
--                   about 1:5, and small days with a high rate inside their wider
--                   limit sit beside large days with a lower rate beyond theirs, so
--                   the tallest dots are seldom the answer); p_bar and ucl (of
--                   {day}) in %
--   pearson         n (10), ask (r | r2 | t), pair (qa_csat | aht_csat), alpha (0.05)
--                   {n} {alpha} {x_name} {y_name}
--   zscores         n (10 agents), ask (z | outliers | count), metric (aht | qa), threshold (2),
--                   sd_apart (false)
--                   {n} {metric} {unit} {agent} {threshold}; z of {agent}, the agents
--                   (points) with |z| > threshold, or how many they are (count); the
--                   outlier questions put agents in near-miss bands (|z| 1.7-1.95 and
--                   2.05-2.3) so the furthest agent is not always the answer; sd_apart
--                   (ask z) redraws until the z with the population SD misses the tolerance
--   ttest_student   n1 (10), n2 (10), alpha (0.05); {n1} {n2} {alpha}; t
--   ttest_welch     n1 (8), n2 (12), alpha (0.05), ask (t | df); {n1} {n2} {alpha}; scores
--                   redrawn (not clamped) within 60-100; |t| ≥ 0.3, and the pooled t and df
--                   miss the tolerance of the key
--   ttest_paired    n (10), alpha (0.05); {n} {alpha}; t
--   moving_average  n (10), k (3), ask (next | mape), metric (halfhour | daily | weekly:
--                   one half-hour of one weekday over the past n weeks, the last the
--                   latest, as a scheduler forecasts it)
--                   {n} {k} {unit}; weekly also {weekday} {slot}
--   ses             n (8), alpha (drawn: 0.2, 0.3 or 0.4); {n} {alpha}; the next forecast
--   linear_trend    n (12 months), horizon (1), ask (forecast | slope)
--                   {n} {horizon} {target}; forecast of month {target}
--   seasonal_index  weeks (4), day (drawn: 1-7); {weeks} {day}; the day's index in %
--   mape            n (8), ask (mape | accuracy); {n}; in %; the MAPE over the forecast
--                   (|A − F| ÷ F) always misses the tolerance
--   erlang_agents   target_sl (0.8), target_s (20)
--                   {calls} {aht} {interval} {target} {sl_percent} {target_s}; agents;
--                   the table gives P(wait) for five agent counts around the answer
--   erlang_sl       target_s (20), ask (service_level | asa | p_wait)
--                   {calls} {aht} {agents} {interval} {target_s} {p_wait}; % or seconds;
--                   p_wait draws traffic small enough to compute by hand
--   (staffing scenarios run at an occupancy of 75-92 %)
--   occupancy       {calls} {aht} {agents} {interval}; in %
--   shrinkage       {agents} {shrinkage_percent}; the agents to schedule
--   sample_size     conf (0.95), margin (drawn: 3-5%), p (drawn), fpc (false)
--                   {conf_percent} {z} {margin_percent} {p_percent} {population}; n
--
-- Every generator returns data.table ({ columns, rows }) when the candidate
-- needs a table; xmr, p_chart and pearson draw the question's picture, and
-- xmr, p_chart and zscores an answer picture with the points flagged.

local G = {}

local MAX_TRIES = 300
local WEEKDAYS = { "周一", "周二", "周三", "周四", "周五", "周六", "周日" }
local NAMES = { "张敏", "王磊", "李娜", "赵强", "刘洋", "陈静", "杨帆", "黄丽", "吴昊", "周婷",
                "徐峰", "孙悦", "马琳", "朱鹏", "胡雪" }

-- Formatting ---------------------------------------------------------------

local function f(x, decimals) return string.format("%." .. decimals .. "f", x) end
local function f2(x) return f(x, 2) end
local function pct(x, decimals) return f(100 * x, decimals or 2) .. "%" end

local function join(list, decimals, sep)
  local out = {}
  for i, v in ipairs(list) do
    out[i] = math.type(v) == "integer" and tostring(v) or f(v, decimals or 2)
  end
  return table.concat(out, sep or "、")
end

-- "第 3、7、12 点" from 1-based point numbers.
local function point_list(points, unit)
  if #points == 0 then return "无" end
  return "第 " .. join(points, 0) .. " " .. (unit or "点")
end

local function numbered(prefix, n, suffix)
  local t = {}
  for i = 1, n do t[i] = prefix .. i .. (suffix or "") end
  return t
end

local function half_hour(index) -- 0 = 08:00-08:30
  local m = 8 * 60 + 30 * index
  return string.format("%02d:%02d–%02d:%02d", m // 60, m % 60, (m + 30) // 60, (m + 30) % 60)
end

local function column_table(columns, ...)
  local lists, rows = { ... }, {}
  for i = 1, #lists[1] do
    local row = {}
    for j, list in ipairs(lists) do row[j] = list[i] end
    rows[i] = row
  end
  return { columns = columns, rows = rows }
end

local function lines(t) return table.concat(t, "\n") end

-- Drawing ------------------------------------------------------------------

local function round(x) return math.floor(x + 0.5) end
local function pick(rng, list) return list[rng:int(1, #list)] end
local function sign(rng) return rng:int(0, 1) == 0 and -1 or 1 end

local function binomial(rng, n, p)
  local k = 0
  for _ = 1, n do if rng:uniform() < p then k = k + 1 end end
  return k
end

-- Calls draw(try) until it returns a result; draw returns nil to redraw.
local function redraw(name, draw)
  for try = 1, MAX_TRIES do
    local out = draw(try)
    if out then return out end
  end
  error(string.format("%s: no usable data in %d draws (check the params)", name, MAX_TRIES), 0)
end

-- The stats call that must succeed on data the generator already checked.
local function must(name, fn, inputs)
  local r, why = stats[fn](inputs)
  if not r then error(string.format("%s: stats.%s failed: %s", name, fn, why), 0) end
  return r
end

-- Parameters -----------------------------------------------------------------

-- Reads params (nil or a table) against spec: key -> { default, check, what }.
-- A default may be a function(rng) for values drawn per form.
local function read_params(name, params, spec, rng)
  if params ~= nil and type(params) ~= "table" then
    error(string.format("%s: params must be a table of named values", name), 0)
  end
  local keys = {}
  for k in pairs(spec) do keys[#keys + 1] = k end
  table.sort(keys)
  for k in pairs(params or {}) do
    if not spec[k] then
      error(string.format("%s: unknown param '%s'; expected one of: %s", name, tostring(k),
                          table.concat(keys, ", ")), 0)
    end
  end
  local p = {}
  for _, k in ipairs(keys) do
    local s, v = spec[k], (params or {})[k]
    if v == nil then
      v = s[1]
      if type(v) == "function" then v = v(rng) end
    end
    if v ~= nil and not s[2](v) then
      error(string.format("%s: param '%s' must be %s (got %s)", name, k, s[3], tostring(v)), 0)
    end
    p[k] = v
  end
  return p
end

local function int_in(lo, hi)
  return function(v) return math.type(v) == "integer" and v >= lo and v <= hi end,
         string.format("an integer from %d to %d", lo, hi)
end

local function one_of(...)
  local set, names = {}, { ... }
  for _, v in ipairs(names) do set[v] = true end
  return function(v) return set[v] == true end, "one of " .. table.concat(names, ", ")
end

local function number_in(lo, hi)
  return function(v) return type(v) == "number" and v > lo and v < hi end,
         string.format("a number between %g and %g", lo, hi)
end

local function spec(default, check, what) return { default, check, what } end

-- Whether any value lies within margin of a boundary (a rounded reading
-- could put it on the wrong side).
local function near_any(values, boundaries, margin)
  for _, v in ipairs(values) do
    for _, b in ipairs(boundaries) do
      if math.abs(v - b) < margin then return true end
    end
  end
  return false
end

-- 1-based point numbers from the contract's 0-based indices.
local function one_based(indices)
  local t = {}
  for i, v in ipairs(indices) do t[i] = v + 1 end
  return t
end

-- The 6-8-1-3-5 rules -------------------------------------------------------------

local RULES = {
  { id = "rule1", text = "准则1：1 个点落在 3σ 控制限以外" },
  { id = "rule3", text = "准则3：连续 3 点中有 2 点落在中心线同一侧的 2σ 以外" },
  { id = "rule5", text = "准则5：连续 5 点中有 4 点落在中心线同一侧的 1σ 以外" },
  { id = "rule6", text = "准则6：连续 6 点递增或递减" },
  { id = "rule8", text = "准则8：连续 8 点落在中心线同一侧" },
}

-- What counts as a trigger point, rule by rule, as stats.control_rules decides
-- it: the {trigger} placeholder of a signals question.
local TRIGGER_TEXT = "触发点是某条准则在该点成立的点，逐条判定："
  .. "准则1：该点在 3σ 控制限以外；"
  .. "准则3：该点本身在 2σ 以外，且它与前 2 点中至少共 2 点在同一侧 2σ 以外；"
  .. "准则5：该点本身在 1σ 以外，且它与前 4 点中至少共 4 点在同一侧 1σ 以外；"
  .. "准则6：该点与前 5 点连续递增或连续递减（共 6 点）；"
  .. "准则8：该点与前 7 点都在中心线同一侧（共 8 点）。"
  .. "模式延续时后面的点也是触发点；构成模式的前面各点本身不满足上述条件的不选。"

local function rules_text(r)
  local out = { "按 6-8-1-3-5 判异准则逐条检查：" }
  for _, rule in ipairs(RULES) do
    local signals = r.signals[rule.id]
    if #signals > 0 then
      out[#out + 1] = string.format("· %s —— 在%s处触发（构成该模式的点：%s）", rule.text,
                                    point_list(one_based(signals)),
                                    point_list(one_based(r.pattern_points[rule.id])))
    else
      out[#out + 1] = "· " .. rule.text .. " —— 未出现"
    end
  end
  return lines(out)
end

-- cv: 离散系数 of a traffic model ---------------------------------------------------

function G.cv(rng, params)
  local p = read_params("cv", params, {
    n = spec(8, int_in(5, 20)),
    ddof = spec(1, one_of(0, 1)),
  }, rng)
  return redraw("cv", function()
    local base, spread = rng:int(150, 450), rng:int(4, 15) / 100
    local x = {}
    for i = 1, p.n do x[i] = math.max(20, round(rng:normal(base, base * spread))) end
    local r = stats.cv { x = x, ddof = p.ddof }
    if not r or r.sd == 0 then return nil end
    local weekday, slot = pick(rng, { "周一", "周二", "周三", "周四", "周五" }),
                          half_hour(rng:int(2, 20))
    local sd_name = p.ddof == 1 and "样本标准差" or "总体标准差"
    local divisor = p.ddof == 1 and "n − 1" or "n"
    return {
      data = {
        n = p.n, weekday = weekday, slot = slot, sd_name = sd_name, x = x, ddof = p.ddof,
        volumes = join(x),
        table = column_table({ "周次", weekday .. " " .. slot .. " 来电量（通）" },
                             numbered("第", p.n, "周"), x),
      },
      key = r.cv_percent,
      tolerance = 0.05,
      explanation = lines {
        "离散系数 CV = s ÷ x̄ × 100%（s 为" .. sd_name .. "）。",
        string.format("① 均值 x̄ = Σx ÷ n = %s ÷ %d = %s", f2(r.mean * p.n), p.n, f2(r.mean)),
        string.format("② Σ(x − x̄)² = %s，s = √[Σ(x − x̄)² ÷ (%s)] = √(%s ÷ %d) = %s",
                      f2(r.sd ^ 2 * (p.n - p.ddof)), divisor, f2(r.sd ^ 2 * (p.n - p.ddof)),
                      p.n - p.ddof, f2(r.sd)),
        string.format("③ CV = %s ÷ %s × 100%% = %s%%", f2(r.sd), f2(r.mean), f2(r.cv_percent)),
        "离散系数越小，该时段的话务量越稳定，话务模型越可靠。",
      },
    }
  end)
end

-- xmr: individuals chart and the 6-8-1-3-5 rules ---------------------------------------

local XMR_METRICS = {
  aht = { name = "日均 AHT", unit = "秒", label = "AHT（秒）", x_label = "天",
          base = { 220, 340 }, sd = { 6, 12 } },
  volume = { name = "每日同一时段（10:00–10:30）来电量", unit = "通", label = "来电量（通）",
             x_label = "天", base = { 250, 500 }, sd = { 12, 25 } },
}

-- Adds a special cause of the given kind to x (in place).
local function inject(rng, x, kind, base, s)
  local n, dir = #x, sign(rng)
  if kind == "rule1" then
    local at = rng:int(4, n - 1)
    x[at] = base + dir * rng:int(45, 60) / 10 * s
  elseif kind == "rule3" then
    local at = rng:int(4, n - 2)
    for j = at, at + 1 do x[j] = base + dir * rng:int(23, 29) / 10 * s end
  elseif kind == "rule5" then
    local at = rng:int(3, n - 4)
    for j = at, at + 3 do x[j] = base + dir * rng:int(13, 19) / 10 * s end
  elseif kind == "rule6" then
    local at = rng:int(2, n - 6)
    x[at] = base - dir * 2 * s
    for j = at + 1, at + 6 do x[j] = x[j - 1] + dir * rng:int(6, 10) / 10 * s end
  else -- rule8
    local at = rng:int(2, n - 8)
    for j = at, at + 8 do x[j] = base + dir * (0.4 + math.abs(rng:normal(1.1, 0.4))) * s end
  end
end

function G.xmr(rng, params)
  local p = read_params("xmr", params, {
    n = spec(20, int_in(12, 40)),
    ask = spec("signals", one_of("signals", "ucl", "lcl", "center", "mr_bar")),
    pattern = spec(function(r) return pick(r, { "rule1", "rule3", "rule5", "rule6", "rule8" }) end,
                   one_of("rule1", "rule3", "rule5", "rule6", "rule8")),
    metric = spec("aht", one_of("aht", "volume")),
  }, rng)
  local m = XMR_METRICS[p.metric]
  return redraw("xmr", function()
    local base, s = rng:int(m.base[1], m.base[2]), rng:int(m.sd[1], m.sd[2])
    local x = {}
    for i = 1, p.n do x[i] = rng:normal(base, s) end
    inject(rng, x, p.pattern, base, s)
    for i = 1, p.n do x[i] = round(x[i]) end
    local xm = stats.xmr_limits { x = x }
    if not xm then return nil end
    local c, sg = xm.center, xm.sigma
    local r = must("xmr", "control_rules", { x = x, center = c, sigma = sg })
    local points = one_based(r.any_signal)
    if p.ask == "signals" then
      if #points == 0 or #points > 8 then return nil end
      local bounds = { c, c + sg, c - sg, c + 2 * sg, c - 2 * sg, c + 3 * sg, c - 3 * sg }
      if near_any(x, bounds, 0.05 * sg) then return nil end
    end
    local title = m.name .. " 单值控制图"
    local picture = { values = x, title = title, x_label = m.x_label, y_label = m.label }
    local answer_picture = { values = x, center = c, sigma = sg, flagged = points, title = title,
                             x_label = m.x_label, y_label = m.label }
    if p.ask == "signals" then
      picture.center, picture.sigma = c, sg
    end
    local steps = {
      "单值-移动极差（X-MR）控制图：",
      string.format("① 中心线 CL = x̄ = Σx ÷ n = %s ÷ %d = %s", f2(c * p.n), p.n, f2(c)),
      string.format("② 移动极差 MRᵢ = |xᵢ − xᵢ₋₁| 共 %d 个，MR̄ = %s ÷ %d = %s",
                    p.n - 1, f2(xm.mr_bar * (p.n - 1)), p.n - 1, f2(xm.mr_bar)),
      string.format("③ σ̂ = MR̄ ÷ d₂ = %s ÷ 1.128 = %s", f2(xm.mr_bar), f2(sg)),
      string.format("④ UCL = CL + 3σ̂ = %s，LCL = CL − 3σ̂ = %s（查表法 CL ± 2.660 × MR̄ = %s / "
                    .. "%s，两种算法均可）", f2(xm.ucl), f2(xm.lcl), f2(xm.ucl_e2), f2(xm.lcl_e2)),
    }
    local key, tolerance, answer = nil, nil, "number"
    if p.ask == "signals" then
      steps[#steps + 1] = string.format("⑤ 分区界限：CL ± 1σ̂ = %s / %s，CL ± 2σ̂ = %s / %s",
                                        f2(c + sg), f2(c - sg), f2(c + 2 * sg), f2(c - 2 * sg))
      steps[#steps + 1] = rules_text(r)
      steps[#steps + 1] = "答案：" .. point_list(points) .. "。"
      key, answer = points, "points"
    elseif p.ask == "ucl" then
      key, tolerance = xm.ucl, math.abs(xm.ucl - xm.ucl_e2) + 0.05
    elseif p.ask == "lcl" then
      key, tolerance = xm.lcl, math.abs(xm.lcl - xm.lcl_e2) + 0.05
    elseif p.ask == "center" then
      key, tolerance = c, 0.05
    else
      key, tolerance = xm.mr_bar, 0.05
    end
    return {
      data = {
        n = p.n, metric = m.name, unit = m.unit, center = f2(c), sigma = f2(sg),
        ucl = f2(xm.ucl), lcl = f2(xm.lcl), x = x, values = join(x), trigger = TRIGGER_TEXT,
        table = column_table({ "点", m.label }, numbered("", p.n), x),
      },
      answer = answer, key = key, npoints = answer == "points" and p.n or nil,
      tolerance = tolerance,
      explanation = lines(steps),
      chart = chart.control(picture),
      answer_chart = chart.control(answer_picture),
    }
  end)
end

-- p_chart: a rate chart with limits that vary with the sample size ----------------------------

-- Daily sample sizes vary widely (weekends, short-staffed QA days), so the limits
-- do too: sigma on the smallest day is about twice that on the largest.
local P_METRICS = {
  abandon = { name = "放弃率", size = "来电量", count = "放弃量", sizes = { 250, 1200 },
              rate = { 3, 8 } },
  qa = { name = "质检不合格率", size = "抽检通数", count = "不合格通数", sizes = { 40, 200 },
         rate = { 5, 12 } },
  -- complaints per call handled (0.8-3.0 %) and repeat complaints per complaint
  -- (6-15 %) of a hotline's day; calls in 通, complaints in 件
  complaint = { name = "投诉率", size = "接听量", count = "投诉量", size_col = "接听量（通）",
                count_col = "投诉量（件）", sizes = { 1000, 5000 }, rate = { 8, 30 }, per = 1000 },
  repeat_complaint = { name = "重复投诉率", size = "投诉量", count = "重复投诉量",
                       size_col = "投诉量（件）", count_col = "重复投诉量（件）",
                       sizes = { 60, 300 }, rate = { 6, 15 } },
}

-- Plants the special causes of a signals question in defects (in place): 1-3
-- days among all but the smallest third of the samples shifted 3.2-4.0 sigma
-- above p-bar (beyond their limit), 1-3 "decoy" days among the smallest third
-- shifted 2.1-2.7 sigma (inside their wider limit, though their rate often
-- tops a signal's), so that the tallest dots are seldom the answer (and not
-- always wrong either), and 2 of the largest days shifted 2.2-2.7 sigma
-- (inside, with more defects than a signal on a middling day), so that the
-- biggest counts are no cue. Charts of fewer than 15 days get at most 2 signals. Sigma and
-- p-bar are those of the finished data: the planted counts are refitted to the
-- p-bar they make.
-- Returns the signal days and the decoy days.
local function plant_p_signals(rng, sizes, defects)
  local m = #sizes
  local by_size = {}
  for i = 1, m do by_size[i] = i end
  table.sort(by_size, function(a, b) return sizes[a] < sizes[b] end)
  local small, rest, largest = {}, {}, {}
  for r, i in ipairs(by_size) do
    if r <= m // 3 then small[#small + 1] = i else rest[#rest + 1] = i end
  end
  local most = m < 15 and 2 or 3
  local planted = {}
  local function take(pool, count, lo, hi)
    local days = {}
    for _, at in ipairs(rng:sample(#pool, count)) do
      local d = pool[at]
      days[#days + 1] = d
      planted[#planted + 1] = { day = d, z = rng:int(lo, hi) / 100 }
    end
    return days
  end
  local signals = take(rest, rng:int(1, most), 320, 400)
  local decoys = take(small, rng:int(1, 3), 210, 270)
  -- and 2 of the largest days not yet used a little high (2.2-2.7 sigma):
  -- their counts of defects top a signal's on a middling day, so the biggest
  -- counts are no cue either
  local used = {}
  for _, t in ipairs(planted) do used[t.day] = true end
  for r = m, m - m // 3 + 1, -1 do
    if not used[by_size[r]] then largest[#largest + 1] = by_size[r] end
  end
  for _, d in ipairs(take(largest, math.min(#largest, 2), 220, 270)) do
    decoys[#decoys + 1] = d
  end
  for _ = 1, 6 do
    local sd, sn = 0, 0
    for i = 1, m do sd, sn = sd + defects[i], sn + sizes[i] end
    local p_bar = sd / sn
    for _, t in ipairs(planted) do
      local n = sizes[t.day]
      defects[t.day] = math.min(n, round(n * (p_bar + t.z * math.sqrt(p_bar * (1 - p_bar) / n))))
    end
  end
  return signals, decoys
end

function G.p_chart(rng, params)
  local p = read_params("p_chart", params, {
    m = spec(20, int_in(10, 30)),
    ask = spec("signals", one_of("signals", "p_bar", "ucl")),
    metric = spec("abandon", one_of("abandon", "qa", "complaint", "repeat_complaint")),
  }, rng)
  local mt = P_METRICS[p.metric]
  return redraw("p_chart", function()
    local p0 = rng:int(mt.rate[1], mt.rate[2]) / (mt.per or 100)
    local sizes, defects = {}, {}
    for i = 1, p.m do
      sizes[i] = rng:int(mt.sizes[1], mt.sizes[2])
      defects[i] = binomial(rng, sizes[i], p0)
    end
    local signals, decoys
    if p.ask == "signals" then signals, decoys = plant_p_signals(rng, sizes, defects) end
    local r = stats.p_chart { defects = defects, sizes = sizes }
    if not r then return nil end
    local points = one_based(r.beyond_limits)
    if p.ask == "signals" then
      -- every planted day lands on its side of the limit, no day near a limit
      if #points == 0 or #points > 4 or near_any(r.z, { 3, -3 }, 0.1) then return nil end
      for _, d in ipairs(signals) do if r.z[d] < 3.1 then return nil end end
      for _, d in ipairs(decoys) do if r.z[d] > 2.9 then return nil end end
    end
    local day = rng:int(1, p.m)
    local rates, ucl, lcl = {}, {}, {}
    for i = 1, p.m do
      rates[i] = 100 * r.p[i]
      ucl[i], lcl[i] = 100 * r.ucl[i], 100 * r.lcl[i]
    end
    local title = mt.name .. " p 控制图"
    local ylabel = mt.name .. "（%）"
    local total_d, total_n = 0, 0
    for i = 1, p.m do total_d, total_n = total_d + defects[i], total_n + sizes[i] end
    local steps = {
      "p 控制图（各天样本量不同，控制限逐日计算）：",
      string.format("① p̄ = Σ%s ÷ Σ%s = %d ÷ %d = %s", mt.count, mt.size, total_d, total_n,
                    pct(r.p_bar, 3)),
      "② 第 i 天 σᵢ = √[p̄(1 − p̄) ÷ nᵢ]，UCLᵢ = p̄ + 3σᵢ，LCLᵢ = max(0, p̄ − 3σᵢ)",
      string.format("   例如第 %d 天：n = %d，σ = %s，UCL = %s，LCL = %s", day, sizes[day],
                    pct(r.sigma[day], 3), pct(r.ucl[day], 3), pct(r.lcl[day], 3)),
    }
    local key, tolerance, answer = nil, nil, "number"
    if p.ask == "signals" then
      local detail = {}
      for _, d in ipairs(points) do
        detail[#detail + 1] = string.format("第 %d 天 p = %s，%s %s", d, pct(r.p[d], 2),
                                            r.p[d] > r.ucl[d] and "高于上控制限" or "低于下控制限",
                                            pct(r.p[d] > r.ucl[d] and r.ucl[d] or r.lcl[d], 2))
      end
      steps[5] = "③ 超出控制限的点：" .. table.concat(detail, "；")
      -- the days inside their limits although their rate tops a day beyond them
      local lowest, beyond, inside = math.huge, {}, {}
      for _, d in ipairs(points) do
        beyond[d] = true
        if r.p[d] > r.ucl[d] then lowest = math.min(lowest, r.p[d]) end
      end
      for d = 1, p.m do
        if not beyond[d] and r.p[d] > lowest then
          inside[#inside + 1] = string.format("第 %d 天 p = %s（n = %d），UCL = %s", d,
                                              pct(r.p[d], 2), sizes[d], pct(r.ucl[d], 2))
        end
      end
      if #inside > 0 then
        steps[#steps + 1] = "   比率更高却在控制限内的点（样本量小，σ 大，控制限宽）："
                            .. table.concat(inside, "；")
      end
      steps[#steps + 1] = "答案：" .. point_list(points, "天") .. "。"
      key, answer = points, "points"
    elseif p.ask == "p_bar" then
      key, tolerance = 100 * r.p_bar, 0.02
    else
      key, tolerance = 100 * r.ucl[day], 0.05
      steps[5] = string.format("答案：第 %d 天 UCL = %s。", day, pct(r.ucl[day], 2))
    end
    -- the question plots the rates alone: finding the days beyond the limits is the
    -- candidate's work (drawn limits would give the key away)
    local picture = { values = rates, title = title, x_label = "天", y_label = ylabel }
    return {
      data = {
        m = p.m, metric = mt.name, day = day, defects = defects, sizes = sizes,
        p_bar = pct(r.p_bar, 3),
        table = column_table({ "天", mt.size_col or mt.size, mt.count_col or mt.count },
                             numbered("", p.m), sizes, defects),
      },
      answer = answer, key = key, npoints = answer == "points" and p.m or nil,
      tolerance = tolerance,
      explanation = lines(steps),
      chart = chart.control(picture),
      answer_chart = chart.control { values = rates, center = 100 * r.p_bar, ucl = ucl, lcl = lcl,
                                     flagged = points, title = title, x_label = "天",
                                     y_label = ylabel },
    }
  end)
end

-- pearson: correlation and its t test --------------------------------------------------------

local PAIRS = {
  qa_csat = { x_name = "质检得分", y_name = "客户满意度（%）", x = { 62, 98 }, direction = 1 },
  aht_csat = { x_name = "平均处理时长 AHT（秒）", y_name = "客户满意度（%）", x = { 180, 400 },
               direction = -1 },
}

-- The critical |r| of the two-sided test with n pairs: it depends on n and alpha
-- alone, so any data of that size gives it.
local function critical_r(n, alpha)
  local x, y = {}, {}
  for i = 1, n do x[i], y[i] = i, (i * i) % 7 end
  return must("pearson", "pearson_test", { x = x, y = y, alpha = alpha }).r_crit
end

-- Values with mean and sd whose sample correlation with x is exactly r: the
-- standardised x mixed with noise made uncorrelated with it.
local function correlated(rng, x, r, mean, sd)
  local n, mx = #x, 0
  for i = 1, n do mx = mx + x[i] / n end
  local zx, e, sxx = {}, {}, 0
  for i = 1, n do zx[i] = x[i] - mx; sxx = sxx + zx[i] ^ 2 end
  local me = 0
  for i = 1, n do e[i] = rng:normal(0, 1); me = me + e[i] / n end
  local exz = 0
  for i = 1, n do e[i] = e[i] - me; exz = exz + e[i] * zx[i] end
  local see = 0
  for i = 1, n do e[i] = e[i] - exz / sxx * zx[i]; see = see + e[i] ^ 2 end
  if sxx == 0 or see == 0 then return nil end
  local y = {}
  for i = 1, n do
    local z = r * zx[i] / math.sqrt(sxx / (n - 1)) + math.sqrt(1 - r * r) * e[i] / math.sqrt(see / (n - 1))
    y[i] = round(10 * (mean + sd * z)) / 10
  end
  return y
end

function G.pearson(rng, params)
  local p = read_params("pearson", params, {
    n = spec(10, int_in(6, 30)),
    ask = spec("r", one_of("r", "r2", "t")),
    pair = spec("qa_csat", one_of("qa_csat", "aht_csat")),
    alpha = spec(0.05, one_of(0.01, 0.05, 0.1)),
  }, rng)
  local pr = PAIRS[p.pair]
  local r_crit = critical_r(p.n, p.alpha)
  -- agent-level data correlate moderately: half the forms get a correlation
  -- the test finds significant (up to 0.85, more only where n is too small
  -- for that), half one it does not (from 0.10)
  local significant = rng:int(0, 1) == 1
  return redraw("pearson", function()
    local lo, hi = 0.10, r_crit - 0.04
    if significant then lo, hi = r_crit + 0.04, math.max(0.85, r_crit + 0.1) end
    local target = lo + (hi - lo) * rng:uniform()
    local x = {}
    for i = 1, p.n do x[i] = rng:int(pr.x[1], pr.x[2]) end
    local y = correlated(rng, x, pr.direction * target, rng:int(80, 88), rng:int(30, 60) / 10)
    if not y then return nil end
    for i = 1, p.n do
      if y[i] > 99.5 or y[i] < 50 then return nil end
    end
    local r = stats.pearson_test { x = x, y = y, alpha = p.alpha }
    if not r or math.abs(r.r - pr.direction * target) > 0.03 then return nil end
    if math.abs(math.abs(r.t) - r.t_crit) < 0.05 then return nil end
    local sx, sy = must("pearson", "sd_limits", { x = x }), must("pearson", "sd_limits", { x = y })
    local sxx, syy = sx.sigma ^ 2 * (p.n - 1), sy.sigma ^ 2 * (p.n - 1)
    local sxy = r.r * math.sqrt(sxx * syy)
    local key, tolerance, relative = r.r, 0.005, nil
    if p.ask == "r2" then
      key = r.r2
    elseif p.ask == "t" then
      -- t from r as computed, or from r rounded to 2 or 3 decimals first (and
      -- r² of the rounded r, rounded to 2 or 3 decimals): every order scores
      key, tolerance, relative = r.t, 0.02, 0.01
      local function t_of(rr, r2) return rr * math.sqrt(p.n - 2) / math.sqrt(1 - r2) end
      for _, d in ipairs { 100, 1000 } do
        local rr = round(r.r * d) / d
        for _, r2 in ipairs { rr * rr, round(rr * rr * 100) / 100, round(rr * rr * 1000) / 1000 } do
          tolerance = math.max(tolerance, math.abs(t_of(rr, r2) - r.t) + 0.005)
        end
      end
    end
    return {
      data = {
        n = p.n, alpha = p.alpha, x_name = pr.x_name, y_name = pr.y_name, x = x, y = y,
        table = column_table({ "坐席", pr.x_name, pr.y_name }, numbered("", p.n), x,
                             (function()
                               local shown = {}
                               for i, v in ipairs(y) do shown[i] = f(v, 1) end
                               return shown
                             end)()),
      },
      key = key, tolerance = tolerance, relative_tolerance = relative,
      explanation = lines {
        "皮尔逊相关系数 r = Sxy ÷ √(Sxx · Syy)，其中 Sxx = Σ(x − x̄)²，Syy = Σ(y − ȳ)²，"
          .. "Sxy = Σ(x − x̄)(y − ȳ)。",
        string.format("① x̄ = %s，ȳ = %s", f2(sx.center), f2(sy.center)),
        string.format("② Sxx = %s，Syy = %s，Sxy = %s", f2(sxx), f2(syy), f2(sxy)),
        string.format("③ r = %s ÷ √(%s × %s) = %s，r² = %s", f2(sxy), f2(sxx), f2(syy),
                      f(r.r, 4), f(r.r2, 4)),
        string.format("④ 检验：t = r√(n − 2) ÷ √(1 − r²) = %s × √%d ÷ √(1 − %s) = %s，df = %d",
                      f(r.r, 4), r.df, f(r.r2, 4), f(r.t, 3), r.df),
        string.format("⑤ α = %g 双侧临界值 t = %s（相关系数临界值 r = %s）；|t| %s 临界值，%s。",
                      p.alpha, f(r.t_crit, 3), f(r.r_crit, 3), r.significant and ">" or "<",
                      r.significant and "相关显著" or "相关不显著"),
      },
      chart = chart.scatter { x = x, y = y, title = pr.x_name .. "与" .. pr.y_name,
                              x_label = pr.x_name, y_label = pr.y_name },
    }
  end)
end

-- zscores: the standard-deviation comparison of agents ----------------------------------------

local Z_METRICS = {
  aht = { name = "月平均处理时长 AHT", unit = "秒", base = { 220, 320 }, sd = { 18, 35 } },
  qa = { name = "月质检平均分", unit = "分", base = { 78, 88 }, sd = { 3, 6 }, max = 98 },
}

-- Outlier questions draw 0 to 2 agents beyond the threshold and put the
-- agents next to it in near-miss bands (|z| of 1.7-1.95 inside, 2.05-2.3
-- outside), so the agent visibly furthest from the rest is not always an
-- outlier and the second furthest sometimes is: the z values must be worked
-- out. Patterns: 0 beyond (the furthest at 1.7-1.95), 1 beyond (at
-- 2.05-2.3, the next at 1.7-1.95), 2 beyond (both at 2.05-2.3). A points
-- question (which cannot have an empty key) draws 1 or 2; a count question
-- 0, 1 or 2.
local NEAR_IN, NEAR_OUT = { 1.7, 1.95 }, { 2.05, 2.3 }

local function in_band(v, band) return math.abs(v) >= band[1] and math.abs(v) <= band[2] end

-- Standard scores for n agents whose first entries are the given special
-- values (signed): the rest are noise centred and scaled so that the whole
-- set has mean 0 and sample sd 1; nil when the specials leave no room.
local function standard_scores(rng, n, special)
  local m, sum, sq = #special, 0, 0
  for _, s in ipairs(special) do sum, sq = sum + s, sq + s * s end
  local rest = n - m
  local room = (n - 1) - sq - sum * sum / rest
  if room < 0.06 * rest then return nil end -- the others would all be equal
  local e, me = {}, 0
  for i = 1, rest do e[i] = rng:normal(0, 1); me = me + e[i] / rest end
  local see = 0
  for i = 1, rest do e[i] = e[i] - me; see = see + e[i] ^ 2 end
  if see == 0 then return nil end
  local z = {}
  for i, s in ipairs(special) do z[i] = s end
  for i = 1, rest do z[m + i] = e[i] * math.sqrt(room / see) - sum / rest end
  return z
end

function G.zscores(rng, params)
  local p = read_params("zscores", params, {
    n = spec(10, int_in(6, 15)),
    ask = spec("z", one_of("z", "outliers", "count")),
    metric = spec("aht", one_of("aht", "qa")),
    threshold = spec(2, one_of(2)),
    -- ask z: redraw while the population-SD z lies within the tolerance of the key
    sd_apart = spec(false, function(v) return type(v) == "boolean" end, "true or false"),
  }, rng)
  local mt = Z_METRICS[p.metric]
  local outlier_ask = p.ask ~= "z"
  -- two agents beyond |z| 2 beside a near miss, with the rest still spread,
  -- need twelve agents or more (the squared z values add up to n − 1)
  if outlier_ask and p.n < 12 then
    error("zscores: param 'n' must be at least 12 for the outlier questions", 0)
  end
  -- the pattern is drawn once, so each is equally likely whatever its redraws
  local beyond = outlier_ask and rng:int(p.ask == "count" and 0 or 1, 2) or nil
  return redraw("zscores", function()
    local base, s = rng:int(mt.base[1], mt.base[2]), rng:int(mt.sd[1], mt.sd[2])
    local x = {}
    if outlier_ask then
      local special, first = {}, sign(rng)
      local function band(b) return b[1] + (b[2] - b[1]) * rng:uniform() end
      if beyond == 0 then
        special = { first * band(NEAR_IN) }
      elseif beyond == 1 then
        special = { first * band(NEAR_OUT), sign(rng) * band(NEAR_IN) }
      else
        special = { first * band(NEAR_OUT), -first * band(NEAR_OUT) }
      end
      local z = standard_scores(rng, p.n, special)
      if not z then return nil end
      for i = #special + 1, p.n do
        if math.abs(z[i]) > 1.5 then return nil end
      end
      -- the special agents sit anywhere in the table
      for i = p.n, 2, -1 do
        local j = rng:int(1, i)
        z[i], z[j] = z[j], z[i]
      end
      for i = 1, p.n do x[i] = round(base + s * z[i]) end
    else
      for i = 1, p.n do x[i] = round(rng:normal(base, s)) end
    end
    for i = 1, p.n do
      if mt.max and x[i] > mt.max then return nil end -- a score beyond its scale
    end
    local r = stats.zscores { x = x }
    if not r then return nil end
    if near_any(r.z, { -3, -2, -1, 1, 2, 3 }, 0.03) then return nil end
    local agents = {}
    for i = 1, p.n do agents[i] = NAMES[i] end
    local k = rng:int(1, p.n)
    -- the population-SD z is z × √(n ÷ (n − 1)); 0.025 = the tolerance 0.02 + rounding
    local apart = math.abs(r.z[k]) * (math.sqrt(p.n / (p.n - 1)) - 1)
    if p.sd_apart and p.ask == "z" and apart <= 0.025 then return nil end
    local outliers = {}
    for i, b in ipairs(r.band) do
      if math.abs(b) >= p.threshold then outliers[#outliers + 1] = i end
    end
    if outlier_ask then
      -- rounding to whole numbers moved the scores: the drawn pattern must hold
      if #outliers ~= beyond then return nil end
      local near = 0
      for _, v in ipairs(r.z) do
        if math.abs(v) > p.threshold and not in_band(v, { NEAR_OUT[1], NEAR_OUT[2] + 0.05 }) then
          return nil
        end
        if math.abs(v) <= p.threshold then
          if in_band(v, { NEAR_IN[1] - 0.05, NEAR_IN[2] }) then near = near + 1
          elseif math.abs(v) > NEAR_IN[1] - 0.05 then return nil end
        end
      end
      if beyond < 2 and near == 0 then return nil end
    elseif p.ask == "outliers" and (#outliers == 0 or #outliers > 3) then
      return nil
    end
    local zs, flagged_names = {}, {}
    for i = 1, p.n do zs[i] = string.format("%s %s", agents[i], f2(r.z[i])) end
    for i, o in ipairs(outliers) do flagged_names[i] = agents[o] end
    local steps = {
      "标准差过程分析法：zᵢ = (xᵢ − x̄) ÷ s，|z| ≤ 1 为正常，1 < |z| ≤ 2 需关注，|z| > 2 为异常。",
      string.format("① x̄ = %s ÷ %d = %s", f2(r.mean * p.n), p.n, f2(r.mean)),
      string.format("② s = √[Σ(x − x̄)² ÷ (n − 1)] = √(%s ÷ %d) = %s",
                    f2(r.sd ^ 2 * (p.n - 1)), p.n - 1, f2(r.sd)),
    }
    local key, tolerance, answer = nil, nil, "number"
    if p.ask == "z" then
      steps[4] = string.format("③ z = (%d − %s) ÷ %s = %s", x[k], f2(r.mean), f2(r.sd),
                               f2(r.z[k]))
      key, tolerance = r.z[k], 0.02
    else
      steps[4] = "③ 各坐席 z 值：" .. table.concat(zs, "；")
      if #outliers == 0 then
        steps[5] = string.format("答案：没有 |z| > %d 的坐席（0 人）；离均值最远的坐席 |z| 也未超过 %d。",
                                 p.threshold, p.threshold)
      else
        steps[5] = string.format("答案：|z| > %d 的坐席为 %s（序号 %s），共 %d 人。", p.threshold,
                                 table.concat(flagged_names, "、"), join(outliers, 0), #outliers)
      end
      if p.ask == "outliers" then key, answer = outliers, "points"
      else key, tolerance = #outliers, 0 end
    end
    return {
      data = {
        n = p.n, metric = mt.name, unit = mt.unit, agent = agents[k], threshold = p.threshold,
        x = x, outliers = outliers,
        table = column_table({ "序号", "坐席", mt.name .. "（" .. mt.unit .. "）" },
                             numbered("", p.n), agents, x),
      },
      answer = answer, key = key, npoints = answer == "points" and p.n or nil,
      tolerance = tolerance,
      explanation = lines(steps),
      answer_chart = chart.control { values = x, center = r.mean, sigma = r.sd, labels = agents,
                                     flagged = p.ask == "z" and { k } or outliers,
                                     title = mt.name .. "（±1σ/±2σ/±3σ）", x_label = "坐席",
                                     y_label = mt.name .. "（" .. mt.unit .. "）" },
    }
  end)
end

-- t tests for scorer calibration ------------------------------------------------------------

local function scores(rng, n, mean, sd)
  local x = {}
  for i = 1, n do x[i] = math.max(60, math.min(100, round(rng:normal(mean, sd)))) end
  return x
end

-- Welch scores: a score outside 60-100 is drawn again rather than clamped, so the
-- wide-spread scorer's column does not pile up at 100 (nil after 50 misses: redraw).
local function scores_within(rng, n, mean, sd)
  local x = {}
  for i = 1, n do
    for _ = 1, 50 do
      local v = round(rng:normal(mean, sd))
      if v >= 60 and v <= 100 then x[i] = v; break end
    end
    if not x[i] then return nil end
  end
  return x
end

local function verdict(r, alpha)
  return string.format("df = %s，α = %g 双侧临界值 t = %s；|t| %s 临界值，%s。",
                       math.type(r.df) == "integer" and tostring(r.df) or f2(r.df), alpha,
                       f(r.t_crit, 3), r.significant and ">" or "<",
                       r.significant and "两位质检员的评分存在显著差异，需要校准"
                                     or "两位质检员的评分无显著差异")
end

local function two_sample(name, rng, params, welch)
  local p = read_params(name, params, {
    n1 = spec(welch and 8 or 10, int_in(4, 30)),
    n2 = spec(welch and 12 or 10, int_in(4, 30)),
    alpha = spec(0.05, one_of(0.01, 0.05, 0.1)),
    ask = spec("t", welch and one_of("t", "df") or one_of("t")),
  }, rng)
  return redraw(name, function()
    local m1 = rng:int(78, 90)
    local m2 = m1 + rng:int(-6, 6)
    local s1 = welch and rng:int(2, 4) or rng:int(4, 7)
    local s2 = welch and rng:int(8, 12) or s1 + rng:int(-1, 1)
    local a, b
    if welch then
      a, b = scores_within(rng, p.n1, m1, s1), scores_within(rng, p.n2, m2, s2)
      if not a or not b then return nil end
    else
      a, b = scores(rng, p.n1, m1, s1), scores(rng, p.n2, m2, s2)
    end
    local r = stats[name] { a = a, b = b, alpha = p.alpha }
    if not r or math.abs(math.abs(r.t) - r.t_crit) < 0.05 or math.abs(r.t) < 0.05 then
      return nil
    end
    if welch then
      -- the pooled-variance t and df (the wrong method) must miss the key's tolerance
      -- (0.02 or 1 %, plus 0.005 for rounding), and t stays clear of 0
      local df_pooled = r.n1 + r.n2 - 2
      local sp2 = ((r.n1 - 1) * r.var1 + (r.n2 - 1) * r.var2) / df_pooled
      local t_pooled = r.mean_diff / math.sqrt(sp2 * (1 / r.n1 + 1 / r.n2))
      local function near(x, key)
        return math.abs(x - key) <= math.max(0.02, 0.01 * math.abs(key)) + 0.005
      end
      if math.abs(r.t) < 0.3 or near(t_pooled, r.t) or near(df_pooled, r.df) then return nil end
    end
    local steps
    if welch then
      local q1, q2 = r.var1 / r.n1, r.var2 / r.n2
      steps = {
        "两独立样本 t 检验（方差不齐，Welch 法）：",
        string.format("① 甲：x̄₁ = %s，s₁² = %s，n₁ = %d；乙：x̄₂ = %s，s₂² = %s，n₂ = %d",
                      f2(r.mean1), f2(r.var1), r.n1, f2(r.mean2), f2(r.var2), r.n2),
        string.format("② SE = √(s₁²/n₁ + s₂²/n₂) = √(%s + %s) = %s", f(q1, 3), f(q2, 3),
                      f(r.se, 3)),
        string.format("③ t = (x̄₁ − x̄₂) ÷ SE = %s ÷ %s = %s", f2(r.mean_diff), f(r.se, 3),
                      f(r.t, 3)),
        string.format("④ df = (s₁²/n₁ + s₂²/n₂)² ÷ [(s₁²/n₁)²/(n₁ − 1) + (s₂²/n₂)²/(n₂ − 1)] "
                      .. "= %s（不取整）", f2(r.df)),
        "⑤ " .. verdict(r, p.alpha),
      }
    else
      steps = {
        "两独立样本 t 检验（方差齐，合并方差）：",
        string.format("① 甲：x̄₁ = %s，s₁² = %s，n₁ = %d；乙：x̄₂ = %s，s₂² = %s，n₂ = %d",
                      f2(r.mean1), f2(r.var1), r.n1, f2(r.mean2), f2(r.var2), r.n2),
        string.format("② 合并方差 sp² = [(n₁ − 1)s₁² + (n₂ − 1)s₂²] ÷ (n₁ + n₂ − 2) = "
                      .. "(%d × %s + %d × %s) ÷ %d = %s", r.n1 - 1, f2(r.var1), r.n2 - 1,
                      f2(r.var2), r.df, f2(r.pooled_var)),
        string.format("③ SE = √[sp² × (1/n₁ + 1/n₂)] = √[%s × (1/%d + 1/%d)] = %s",
                      f2(r.pooled_var), r.n1, r.n2, f(r.se, 3)),
        string.format("④ t = (x̄₁ − x̄₂) ÷ SE = %s ÷ %s = %s", f2(r.mean_diff), f(r.se, 3),
                      f(r.t, 3)),
        "⑤ " .. verdict(r, p.alpha),
      }
    end
    local rows = math.max(p.n1, p.n2)
    local ta, tb = {}, {}
    for i = 1, rows do ta[i], tb[i] = a[i] or "", b[i] or "" end
    local key = p.ask == "df" and r.df or r.t
    return {
      data = {
        n1 = p.n1, n2 = p.n2, alpha = p.alpha, a = a, b = b,
        table = column_table({ "序号", "质检员甲评分", "质检员乙评分" }, numbered("", rows),
                             ta, tb),
      },
      key = key, tolerance = 0.02, relative_tolerance = 0.01,
      explanation = lines(steps),
    }
  end)
end

function G.ttest_student(rng, params) return two_sample("ttest_student", rng, params, false) end
function G.ttest_welch(rng, params) return two_sample("ttest_welch", rng, params, true) end

function G.ttest_paired(rng, params)
  local p = read_params("ttest_paired", params, {
    n = spec(10, int_in(4, 30)),
    alpha = spec(0.05, one_of(0.01, 0.05, 0.1)),
  }, rng)
  return redraw("ttest_paired", function()
    local bias = rng:int(-4, 4)
    local a, b = {}, {}
    for i = 1, p.n do
      local q = rng:int(66, 94)
      a[i] = math.max(60, math.min(100, round(q + rng:normal(0, 2))))
      b[i] = math.max(60, math.min(100, round(q + bias + rng:normal(0, 2))))
    end
    local r = stats.ttest_paired { a = a, b = b, alpha = p.alpha }
    if not r or math.abs(math.abs(r.t) - r.t_crit) < 0.05 or math.abs(r.t) < 0.05 then
      return nil
    end
    local d = {}
    for i = 1, p.n do d[i] = a[i] - b[i] end
    return {
      data = {
        n = p.n, alpha = p.alpha, a = a, b = b,
        table = column_table({ "通话", "质检员甲评分", "质检员乙评分" }, numbered("", p.n), a, b),
      },
      key = r.t, tolerance = 0.02, relative_tolerance = 0.01,
      explanation = lines {
        "配对样本 t 检验（两位质检员评同一批通话）：dᵢ = 甲ᵢ − 乙ᵢ，t = d̄ ÷ (s_d ÷ √n)。",
        "① 差值 d：" .. join(d, 0),
        string.format("② d̄ = %s，s_d = %s", f(r.mean_diff, 3), f(r.sd_diff, 3)),
        string.format("③ SE = s_d ÷ √n = %s ÷ √%d = %s", f(r.sd_diff, 3), p.n, f(r.se, 3)),
        string.format("④ t = %s ÷ %s = %s", f(r.mean_diff, 3), f(r.se, 3), f(r.t, 3)),
        "⑤ " .. verdict(r, p.alpha),
      },
    }
  end)
end

-- Forecasting ---------------------------------------------------------------------------------

local SERIES = {
  halfhour = { column = "时段", label = "来电量（通）", unit = "通", base = { 200, 500 },
               noise = 0.08, period = function(i) return half_hour(i + 3) end },
  daily = { column = "日期", label = "日来电量（通）", unit = "通", base = { 2500, 6000 },
            noise = 0.06, period = function(i) return "第" .. i .. "天" end },
  -- the same half-hour of the same weekday, week after week (the label names them)
  weekly = { column = "周次", unit = "通", base = { 200, 500 }, noise = 0.06,
             period = function(i) return "第" .. i .. "周" end },
}

function G.moving_average(rng, params)
  local p = read_params("moving_average", params, {
    n = spec(10, int_in(5, 20)),
    k = spec(3, int_in(2, 6)),
    ask = spec("next", one_of("next", "mape")),
    metric = spec("halfhour", one_of("halfhour", "daily", "weekly")),
  }, rng)
  if p.k >= p.n then error("moving_average: param 'k' must be smaller than 'n'", 0) end
  local s = SERIES[p.metric]
  return redraw("moving_average", function()
    local base = rng:int(s.base[1], s.base[2])
    local x, periods = {}, {}
    for i = 1, p.n do
      x[i] = round(base * (1 + rng:normal(0, s.noise)))
      periods[i] = s.period(i)
    end
    local r = stats.moving_average { x = x, k = p.k }
    if not r or r.mape_percent ~= r.mape_percent then return nil end
    local weekday, slot, label = nil, nil, s.label
    if p.metric == "weekly" then
      weekday = pick(rng, { "周一", "周二", "周三", "周四", "周五" })
      slot = half_hour(rng:int(2, 20))
      label = weekday .. " " .. slot .. " 来电量（通）"
    end
    local last = {}
    for i = p.n - p.k + 1, p.n do last[#last + 1] = x[i] end
    local steps = {
      p.metric == "weekly"
        and string.format("%d 期移动平均：下周%s该时段的预测值 = 最近 %d 周该时段实际值的平均。",
                          p.k, weekday, p.k)
        or string.format("%d 期移动平均：下一期预测值 = 最近 %d 期实际值的平均。", p.k, p.k),
      string.format("① 预测值 = (%s) ÷ %d = %s", join(last, 0, " + "), p.k, f2(r.next)),
    }
    local key = r.next
    if p.ask == "mape" then
      local inside = {}
      for j = 1, p.n - p.k do inside[j] = r.forecasts[j] end
      steps[3] = string.format("② 样本内第 %d 至第 %d 期的预测值 Fₜ（各为前 %d 期的平均）：%s",
                               p.k + 1, p.n, p.k, join(inside))
      steps[4] = string.format("③ MAPE = Σ|Aₜ − Fₜ| ÷ Aₜ ÷ %d × 100%% = %s%%，MAE = %s",
                               p.n - p.k, f2(r.mape_percent), f2(r.mae))
      key = r.mape_percent
    end
    return {
      data = {
        n = p.n, k = p.k, unit = s.unit, x = x, weekday = weekday, slot = slot,
        table = column_table({ s.column, label }, periods, x),
      },
      key = key, tolerance = 0.05,
      explanation = lines(steps),
    }
  end)
end

function G.ses(rng, params)
  local p = read_params("ses", params, {
    n = spec(8, int_in(4, 15)),
    alpha = spec(function(r) return pick(r, { 0.2, 0.3, 0.4 }) end, number_in(0, 1)),
  }, rng)
  return redraw("ses", function()
    local base = rng:int(200, 500)
    local x, periods = {}, {}
    for i = 1, p.n do
      x[i] = round(base * (1 + rng:normal(0, 0.08)))
      periods[i] = half_hour(i + 3)
    end
    local r = stats.ses { x = x, alpha = p.alpha }
    if not r then return nil end
    local steps = {
      string.format("一次指数平滑：F₁ = x₁，Fₜ₊₁ = αxₜ + (1 − α)Fₜ，α = %g。", p.alpha),
    }
    for t = 1, p.n do
      steps[#steps + 1] = string.format("F%d = %g × %d + %g × %s = %s", t + 1, p.alpha, x[t],
                                        1 - p.alpha, f2(r.forecasts[t]), f2(r.forecasts[t + 1]))
    end
    steps[#steps + 1] = string.format("下一期预测值 F%d = %s。", p.n + 1, f2(r.next))
    return {
      data = {
        n = p.n, alpha = p.alpha, x = x,
        table = column_table({ "时段", "来电量（通）" }, periods, x),
      },
      key = r.next, tolerance = 0.1,
      explanation = lines(steps),
    }
  end)
end

function G.linear_trend(rng, params)
  local p = read_params("linear_trend", params, {
    n = spec(12, int_in(5, 24)),
    horizon = spec(1, int_in(1, 6)),
    ask = spec("forecast", one_of("forecast", "slope")),
  }, rng)
  return redraw("linear_trend", function()
    local base, slope = rng:int(80, 150), rng:int(10, 40) / 10
    local x = {}
    for t = 1, p.n do x[t] = round(base + slope * t + rng:normal(0, rng:int(2, 4))) end
    local r = stats.linear_trend { x = x, horizon = p.horizon }
    if not r or not (r.r2 >= 0.5) then return nil end
    local tbar = (p.n + 1) / 2
    local stt = p.n * (p.n ^ 2 - 1) / 12
    local target = p.n + p.horizon
    local key, tolerance = r.forecast[p.horizon], 0.2
    if p.ask == "slope" then key, tolerance = r.slope, 0.01 end
    return {
      data = {
        n = p.n, horizon = p.horizon, target = target, x = x,
        table = column_table({ "月份 t", "月来电量（千通）" }, numbered("", p.n), x),
      },
      key = key, tolerance = tolerance,
      explanation = lines {
        "线性趋势 x̂ = a + b·t（t = 1, 2, …, n，最小二乘法）：",
        string.format("① t̄ = (n + 1) ÷ 2 = %s，x̄ = %s", f2(tbar),
                      f2(r.intercept + r.slope * tbar)),
        string.format("② Σ(t − t̄)² = n(n² − 1) ÷ 12 = %s，Σ(t − t̄)(x − x̄) = %s", f2(stt),
                      f2(r.slope * stt)),
        string.format("③ b = %s ÷ %s = %s，a = x̄ − b·t̄ = %s", f2(r.slope * stt), f2(stt),
                      f(r.slope, 4), f(r.intercept, 4)),
        string.format("④ 第 %d 期预测值 = %s + %s × %d = %s（R² = %s）", target,
                      f(r.intercept, 4), f(r.slope, 4), target, f2(r.forecast[p.horizon]),
                      f(r.r2, 4)),
      },
    }
  end)
end

function G.seasonal_index(rng, params)
  local p = read_params("seasonal_index", params, {
    weeks = spec(4, int_in(2, 8)),
    day = spec(function(r) return r:int(1, 7) end, int_in(1, 7)),
  }, rng)
  local shape = { 1.22, 1.10, 1.02, 0.98, 1.05, 0.85, 0.78 }
  return redraw("seasonal_index", function()
    local base = rng:int(3000, 6000)
    local x, rows = {}, {}
    for w = 1, p.weeks do
      local row = { "第" .. w .. "周" }
      for d = 1, 7 do
        local v = round(base * shape[d] * (1 + rng:normal(0, 0.03)))
        x[#x + 1] = v
        row[d + 1] = v
      end
      rows[w] = row
    end
    local r = stats.seasonal_index { x = x, L = 7 }
    if not r then return nil end
    local same = {}
    for w = 1, p.weeks do same[w] = x[(w - 1) * 7 + p.day] end
    local columns = { "周次" }
    for d = 1, 7 do columns[d + 1] = WEEKDAYS[d] end
    return {
      data = {
        weeks = p.weeks, day = WEEKDAYS[p.day], x = x, L = 7,
        table = { columns = columns, rows = rows },
      },
      key = r.index_percent[p.day], tolerance = 0.05,
      explanation = lines {
        "季节指数（同期平均法）= 同期平均数 ÷ 总平均数 × 100%。",
        string.format("① %s同期平均 = (%s) ÷ %d = %s", WEEKDAYS[p.day], join(same, 0, " + "),
                      p.weeks, f2(r.season_means[p.day])),
        string.format("② 总平均 = Σx ÷ n = %s ÷ %d = %s", f2(r.grand_mean * #x), #x,
                      f2(r.grand_mean)),
        string.format("③ 季节指数 = %s ÷ %s × 100%% = %s%%", f2(r.season_means[p.day]),
                      f2(r.grand_mean), f2(r.index_percent[p.day])),
        "七天的季节指数之和为 700%；指数大于 100% 的日子话务偏高，排班应多配人手。",
      },
    }
  end)
end

function G.mape(rng, params)
  local p = read_params("mape", params, {
    n = spec(8, int_in(3, 20)),
    ask = spec("mape", one_of("mape", "accuracy")),
  }, rng)
  return redraw("mape", function()
    local actual, forecast, periods, terms = {}, {}, {}, {}
    local base = rng:int(200, 500)
    for i = 1, p.n do
      actual[i] = round(base * (1 + rng:normal(0, 0.12)))
      forecast[i] = round(actual[i] * (1 + rng:normal(0, 0.07)))
      periods[i] = half_hour(i + 3)
    end
    local r = stats.mape { actual = actual, forecast = forecast }
    if not r then return nil end
    -- the forecast as denominator (|A − F| ÷ F) must not land within the
    -- tolerance of the key, even when rounded to two decimals
    local by_forecast = 0
    for i = 1, p.n do
      by_forecast = by_forecast + math.abs(actual[i] - forecast[i]) / forecast[i] / p.n
    end
    if math.abs(100 * by_forecast - r.mape_percent) <= 0.055 then return nil end
    for i = 1, p.n do
      terms[i] = string.format("|%d − %d| ÷ %d", actual[i], forecast[i], actual[i])
    end
    local key = p.ask == "mape" and r.mape_percent or 100 - r.mape_percent
    return {
      data = {
        n = p.n, actual = actual, forecast = forecast,
        table = column_table({ "时段", "实际来电量", "预测来电量" }, periods, actual, forecast),
      },
      key = key, tolerance = 0.05,
      explanation = lines {
        "平均绝对百分比误差 MAPE = (1/n) Σ|Aₜ − Fₜ| ÷ Aₜ × 100%（分母是实际值）。",
        "① " .. table.concat(terms, "，"),
        string.format("② MAPE = %s%%，MAE = %s", f2(r.mape_percent), f2(r.mae)),
        string.format("③ 预测准确率 = 100%% − MAPE = %s%%", f2(100 - r.mape_percent)),
      },
    }
  end)
end

-- Erlang C staffing -----------------------------------------------------------------------------

local INTERVAL = 1800

local function traffic_line(calls, aht, a)
  return string.format("① 话务量 A = 来电量 × AHT ÷ 时段长 = %d × %d ÷ %d = %s Erl", calls, aht,
                       INTERVAL, f2(a))
end

-- Staffing scenarios run at a realistic occupancy: 75 % to 92 %.
local OCCUPANCY = { 0.75, 0.92 }

local function realistic(occupancy) return occupancy >= OCCUPANCY[1] and occupancy <= OCCUPANCY[2] end

local ERLANG_TEXT = "Erlang C：P(等待) = C(N, A)，服务水平 SL = 1 − P(等待) × e^(−(N − A) × T ÷ AHT)，"
                    .. "ASA = P(等待) × AHT ÷ (N − A)。"

function G.erlang_agents(rng, params)
  local p = read_params("erlang_agents", params, {
    target_sl = spec(0.8, number_in(0, 1)),
    target_s = spec(20, int_in(5, 120)),
  }, rng)
  return redraw("erlang_agents", function()
    local calls, aht = rng:int(150, 600), 5 * rng:int(36, 80)
    local r = stats.erlang_agents_required { calls = calls, interval_s = INTERVAL, aht_s = aht,
                                             target_sl = p.target_sl, target_s = p.target_s }
    if not r then return nil end
    local n = r.agents
    local below = must("erlang_agents", "erlang_c", { calls = calls, interval_s = INTERVAL,
                                                      aht_s = aht, agents = n - 1,
                                                      target_s = p.target_s })
    if r.service_level - p.target_sl < 0.005 or p.target_sl - below.service_level < 0.005
       or not realistic(r.occupancy) then
      return nil
    end
    -- P(wait) is summing up to a hundred terms by hand: the question gives it
    -- for five staffing levels around the answer, the candidate applies the
    -- service-level formula to each and picks the smallest that meets the target;
    -- the table starts 0 to 4 rows before the answer (never at or below A), so
    -- the answer can sit in any of the five rows
    local ns, waits = {}, {}
    local low = math.max(math.floor(r.traffic_erlangs) + 1, n - rng:int(0, 4))
    for k = low, low + 4 do
      ns[#ns + 1] = k
      waits[#waits + 1] = f(must("erlang_agents", "erlang_c", { calls = calls, interval_s = INTERVAL,
                                                               aht_s = aht, agents = k,
                                                               target_s = p.target_s }).p_wait, 4)
    end
    local steps = { ERLANG_TEXT, traffic_line(calls, aht, r.traffic_erlangs),
                    string.format("② 坐席数必须大于 A，从 N = %d 起逐个试算：",
                                  math.floor(r.traffic_erlangs) + 1) }
    local first = math.max(math.floor(r.traffic_erlangs) + 1, n - 4)
    if first > math.floor(r.traffic_erlangs) + 1 then steps[#steps + 1] = "   ……" end
    for k = first, n do
      local e = must("erlang_agents", "erlang_c", { calls = calls, interval_s = INTERVAL,
                                                    aht_s = aht, agents = k,
                                                    target_s = p.target_s })
      steps[#steps + 1] = string.format("   N = %d：P(等待) = %s，SL = %s%s", k, pct(e.p_wait, 1),
                                        pct(e.service_level, 1),
                                        e.service_level >= p.target_sl and " ≥ 目标" or "")
    end
    steps[#steps + 1] = string.format("③ 满足 %s/%d 秒的最少坐席数为 %d 人（占用率 %s）。",
                                      pct(p.target_sl, 0), p.target_s, n, pct(r.occupancy, 1))
    return {
      data = {
        calls = calls, aht = aht, interval = "30 分钟", interval_s = INTERVAL,
        target_sl = p.target_sl, sl_percent = f(100 * p.target_sl, 0), target_s = p.target_s,
        target = pct(p.target_sl, 0) .. "/" .. p.target_s .. "秒",
        table = column_table({ "坐席数 N", "P(等待)" }, ns, waits),
      },
      key = n, tolerance = 0,
      explanation = lines(steps),
    }
  end)
end

function G.erlang_sl(rng, params)
  local p = read_params("erlang_sl", params, {
    target_s = spec(20, int_in(5, 120)),
    ask = spec("service_level", one_of("service_level", "asa", "p_wait")),
  }, rng)
  return redraw("erlang_sl", function()
    -- P(wait) is the question only where it takes a dozen terms by hand
    local calls = p.ask == "p_wait" and rng:int(15, 40) or rng:int(150, 600)
    local aht = 5 * rng:int(36, 80)
    local a = calls * aht / INTERVAL
    local agents = math.ceil(a / (rng:int(75, 92) / 100))
    local r = stats.erlang_c { calls = calls, interval_s = INTERVAL, aht_s = aht,
                               agents = agents, target_s = p.target_s }
    if not r or not r.stable or r.service_level < 0.3 or not realistic(r.occupancy) then
      return nil
    end
    -- an ASA of a second or two is "no wait": a flat 0.5 s would score 0 and
    -- wrong working alike, so the question draws a real wait
    if p.ask == "asa" and r.asa_s < 3 then return nil end
    local key, tolerance = 100 * r.service_level, 0.5
    if p.ask == "asa" then key, tolerance = r.asa_s, 0.5
    elseif p.ask == "p_wait" then key, tolerance = 100 * r.p_wait, 0.5 end
    return {
      data = {
        calls = calls, aht = aht, agents = agents, target_s = p.target_s,
        interval = "30 分钟", interval_s = INTERVAL,
        p_wait = p.ask ~= "p_wait" and f(r.p_wait, 4) or nil,
      },
      key = key, tolerance = tolerance,
      explanation = lines {
        ERLANG_TEXT,
        traffic_line(calls, aht, r.traffic_erlangs),
        string.format("② N = %d > A，系统稳定；P(等待) = %s", agents, pct(r.p_wait, 2)),
        string.format("③ SL = 1 − %s × e^(−(%d − %s) × %d ÷ %d) = %s",
                      f(r.p_wait, 4), agents, f2(r.traffic_erlangs), p.target_s, aht,
                      pct(r.service_level, 2)),
        string.format("④ ASA = %s × %d ÷ (%d − %s) = %s 秒", f(r.p_wait, 4), aht, agents,
                      f2(r.traffic_erlangs), f2(r.asa_s)),
      },
    }
  end)
end

function G.occupancy(rng, params)
  read_params("occupancy", params, {}, rng)
  return redraw("occupancy", function()
    local calls, aht = rng:int(150, 600), 5 * rng:int(36, 80)
    local a = calls * aht / INTERVAL
    local agents = math.ceil(a / (rng:int(75, 92) / 100))
    local r = stats.erlang_c { calls = calls, interval_s = INTERVAL, aht_s = aht,
                               agents = agents, target_s = 20 }
    if not r or not realistic(r.occupancy) then return nil end
    return {
      data = { calls = calls, aht = aht, agents = agents, interval = "30 分钟",
               interval_s = INTERVAL },
      key = 100 * r.occupancy, tolerance = 0.1,
      explanation = lines {
        "坐席占用率 = 话务量 A ÷ 坐席数 N。",
        traffic_line(calls, aht, r.traffic_erlangs),
        string.format("② 占用率 = %s ÷ %d = %s", f2(r.traffic_erlangs), agents,
                      pct(r.occupancy, 2)),
      },
    }
  end)
end

function G.shrinkage(rng, params)
  read_params("shrinkage", params, {}, rng)
  return redraw("shrinkage", function()
    local agents, s = rng:int(30, 150), rng:int(20, 40)
    local r = stats.staff_with_shrinkage { agents = agents, shrinkage = s / 100 }
    local over = r and r.raw - math.floor(r.raw)
    if not r or (over > 1e-9 and over < 0.02) then return nil end -- 60.004 reads as 60
    return {
      data = { agents = agents, shrinkage_percent = s, shrinkage = s / 100 },
      key = r.scheduled, tolerance = 0,
      explanation = lines {
        "排班人数 = 在线所需坐席数 ÷ (1 − 缺勤率/损耗率)，结果向上取整。",
        string.format("① %d ÷ (1 − %d%%) = %s", agents, s, f2(r.raw)),
        string.format("② 向上取整，需排班 %d 人。", r.scheduled),
      },
    }
  end)
end

-- Survey sampling ---------------------------------------------------------------------------------

local Z_TABLE = { [0.9] = 1.645, [0.95] = 1.96, [0.99] = 2.576 }

function G.sample_size(rng, params)
  local p = read_params("sample_size", params, {
    conf = spec(0.95, one_of(0.9, 0.95, 0.99)),
    margin = spec(nil, number_in(0, 0.5)),
    p = spec(nil, number_in(0, 1)),
    fpc = spec(false, function(v) return type(v) == "boolean" end, "true or false"),
  }, rng)
  local z = Z_TABLE[p.conf]
  return redraw("sample_size", function()
    local margin = p.margin or pick(rng, { 0.03, 0.04, 0.05 })
    local share = p.p or pick(rng, { 0.5, rng:int(70, 90) / 100 })
    local population = p.fpc and 100 * rng:int(30, 200) or nil
    local r = must("sample_size", "sample_size_proportion",
                   { z = z, margin = margin, p = share, population = population })
    -- n0 just above a whole number (384.004) reads as that number
    local over = r.n0 - math.floor(r.n0)
    if over > 1e-9 and over < 0.02 and not (p.margin and p.p) then return nil end
    local steps = {
      "比例型调查的样本量：n₀ = z² × p(1 − p) ÷ e²，结果向上取整。",
      string.format("① 置信度 %s 对应 z = %g，p = %g，允许误差 e = %g", pct(p.conf, 0), z, share,
                    margin),
      string.format("② n₀ = %g² × %g × %g ÷ %g² = %s，取整得 %d", z, share, 1 - share, margin,
                    f2(r.n0), r.n),
    }
    local key, tolerance = r.n, 0
    if population then
      steps[4] = string.format("③ 有限总体修正：n = n₀ ÷ [1 + (n₀ − 1) ÷ N] = %s ÷ [1 + (%s − 1)"
                               .. " ÷ %d] = %s，取整得 %d", f2(r.n0), f2(r.n0), population,
                               f2(r.n_fpc_real), r.n_fpc)
      key, tolerance = r.n_fpc, 1
    end
    return {
      data = {
        conf_percent = f(100 * p.conf, 0), z = z, margin_percent = f(100 * margin, 0),
        p_percent = f(100 * share, 0), population = population, margin = margin, p = share,
      },
      key = key, tolerance = tolerance,
      explanation = lines(steps),
    }
  end)
end

return G
