"""Checks what the generators of scripts/lib/ccom_generators.lua draw across
many forms of `kaoshi preview CALC-TEST --json` (one form per line on
stdin), as a subject expert would: bounded scales are never exceeded (QA
scores and satisfaction in %, at most 100), a p-chart question that asks
for the days beyond the limits plots the rates without any limit and cannot
be answered by picking the tallest dots (the k highest rates are the k days
beyond the limits in under a third of those questions: a high rate on a
small day stays inside its wide limit while a lower one on a large day
falls outside; nor by picking the days with the most defects: under 20 %), staffing
scenarios run at a realistic occupancy (75-92 %), the Erlang questions give
the waiting probability the candidate cannot compute by hand, an XmR
signals question says what a trigger point is, a z-outlier question (which
agents, or how many, are beyond |z| 2) has 0 to 2 agents beyond it with
near misses on both sides (beyond at 2.05-2.35, just inside at 1.65-1.95),
so the agent visibly furthest from the rest is not simply the key, an ASA
question draws a wait of at least 3 s (under it a flat 0.5 s tolerance
would score "no wait"), complaint p-charts count complaints in 件 and calls
in 通 at a hotline's rates (complaints 0.5-4.5 % of calls handled, repeat
complaints 4-30 % of complaints), a moving average over the same half-hour
of past weeks names that weekday and half-hour in its stem, a MAPE taken
over the forecast (|A − F| ÷ F) misses the key's tolerance, and
correlations spread over a realistic range with a real share the test does
not find significant.
Prints one line per problem and a summary of the distributions; exits 1 if
there is any problem."""
import json
import math
import statistics
import sys

problems = []
correlations = []  # (|r|, significant)
occupancies = []
z_outliers = []  # (agents beyond the threshold, the key is a single agent)
# p-chart complaint metrics: realistic p̄ (%, planted signals included), table columns
COMPLAINT_RATES = {"投诉率": (0.5, 4.5, ["接听量（通）", "投诉量（件）"]),
                   "重复投诉率": (4, 30, ["投诉量（件）", "重复投诉量（件）"])}
p_signals = []  # (the k highest rates are the key, the tallest dot alone is, the k largest counts are)


def pearson(x, y):
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / math.sqrt(sxx * syy)


def occupancy(d, where):
    occ = 100 * d["calls"] * d["aht"] / d["interval_s"] / d["agents"]
    occupancies.append(occ)
    if not 75 <= occ <= 92:
        problems.append(f"{where}: occupancy {occ:.1f} % outside 75-92 %")


def zscore_outliers(d, key, ask, where):
    """Near-miss design: 0-2 agents beyond the threshold, those beyond at
    |z| 2.05-2.35, and unless two are beyond, one just inside (1.65-1.95)."""
    x, thr = d["x"], d["threshold"]
    n, mean = len(x), sum(x) / len(x)
    sd = math.sqrt(sum((v - mean) ** 2 for v in x) / (n - 1))
    z = sorted((abs(v - mean) / sd for v in x), reverse=True)
    beyond = [v for v in z if v > thr]
    inside = [v for v in z if v <= thr]
    count = len(beyond)
    if ask == "outliers":
        answer = key["answer"]
        z_outliers.append((count, len(answer) == 1))
    else:
        answer = key["answer"]
        z_outliers.append((count, False))
        if answer != count:
            problems.append(f"{where}: key {answer}, the data have {count} agents beyond {thr}")
    if count > 2 or (ask == "outliers" and count == 0):
        problems.append(f"{where}: {count} agents beyond |z| {thr}")
    if any(not 2.05 <= v <= 2.35 for v in beyond):
        problems.append(f"{where}: an outlier far from the near-miss band: {beyond}")
    if count < 2 and not (inside and 1.65 <= inside[0] <= 1.95):
        problems.append(f"{where}: no near miss just inside |z| {thr} (largest {inside[:1]})")
    if d["unit"] == "分" and max(x) > 98:
        problems.append(f"{where}: a monthly QA average of {max(x)}")


def check(q, seed):
    key = q["key"]
    gen, d = key["generator"], key["data"]
    ask = (key.get("params") or {}).get("ask")
    where = f"seed {seed} {key['id']} ({gen})"
    charts = [p["chart"] for p in q.get("parts", []) if "chart" in p]
    if gen == "zscores" and d["unit"] == "分" and max(d["x"]) > 100:
        problems.append(f"{where}: a QA score of {max(d['x'])} on a 100-point scale")
    if gen == "zscores" and ask in ("outliers", "count"):
        zscore_outliers(d, key, ask, where)
    if gen == "erlang_sl" and ask == "asa" and key["answer"] < 3:
        problems.append(f"{where}: an ASA of {key['answer']:.2f} s, under the 3 s floor")
    if gen in ("ttest_student", "ttest_welch", "ttest_paired") and max(d["a"] + d["b"]) > 100:
        problems.append(f"{where}: a QA score above 100")
    if gen == "pearson":
        if max(d["y"]) > 100 or ("质检" in d["x_name"] and max(d["x"]) > 100):
            problems.append(f"{where}: a value beyond 100 on a percentage or 100-point scale")
        r = pearson(d["x"], d["y"])
        t = r * math.sqrt(d["n"] - 2) / math.sqrt(1 - r * r)
        # the two-sided critical t is in the explanation's step 5
        crit = float(key["explanation"].split("双侧临界值 t = ")[1].split("（")[0])
        correlations.append((abs(r), abs(t) > crit))
    if gen == "p_chart" and ask in (None, "signals"):
        if any("UCL" in c or "LCL" in c or "CL" in c for c in charts):
            problems.append(f"{where}: the question's chart draws control limits")
        if "p̄" in q["stem"] and d.get("p_bar", "p̄ missing") not in q["stem"]:
            problems.append(f"{where}: the stem names p̄ without its value")
        rates = [x / n for x, n in zip(d["defects"], d["sizes"])]
        tallest = sorted(range(len(rates)), key=lambda i: -rates[i])
        answer = sorted(key["answer"])
        most = sorted(range(len(rates)), key=lambda i: -d["defects"][i])
        p_signals.append((sorted(i + 1 for i in tallest[:len(answer)]) == answer,
                          [tallest[0] + 1] == answer,
                          sorted(i + 1 for i in most[:len(answer)]) == answer))
    if gen == "p_chart" and d["metric"] in COMPLAINT_RATES:
        lo, hi, columns = COMPLAINT_RATES[d["metric"]]
        p_bar = 100 * sum(d["defects"]) / sum(d["sizes"])
        if not lo <= p_bar <= hi:
            problems.append(f"{where}: {d['metric']} p̄ {p_bar:.2f} % outside {lo}-{hi} %")
        if d["table"]["columns"][1:] != columns:
            problems.append(f"{where}: complaint table columns {d['table']['columns']}")
    if gen == "moving_average" and d.get("weekday") and not (
            d["weekday"] in q["stem"] and d["slot"] in q["stem"]):
        problems.append(f"{where}: the stem does not name the weekday and half-hour of the weeks")
    if gen == "xmr" and ask in (None, "signals") and "触发点是某条准则在该点成立的点" not in q["stem"]:
        problems.append(f"{where}: the stem does not say what a trigger point is")
    if gen in ("erlang_sl", "occupancy"):
        occupancy(d, where)
    if gen == "erlang_sl" and ask != "p_wait" and f"P(等待) = {d.get('p_wait')}" not in q["stem"]:
        problems.append(f"{where}: the stem does not give P(wait)")
    if gen == "erlang_sl" and ask == "p_wait" and d["calls"] * d["aht"] / d["interval_s"] > 10:
        problems.append(f"{where}: P(wait) asked of more than 10 Erlangs")
    if gen == "mape":
        # the forecast as denominator (|A − F| ÷ F) must fall outside the tolerance
        n = len(d["actual"])
        by_a = 100 * sum(abs(a - f) / a for a, f in zip(d["actual"], d["forecast"])) / n
        by_f = 100 * sum(abs(a - f) / f for a, f in zip(d["actual"], d["forecast"])) / n
        wrong = by_f if abs(key["answer"] - by_a) < 1e-6 else 100 - by_f
        if min(abs(wrong - key["answer"]), abs(round(wrong, 2) - key["answer"])) <= key["tolerance"]:
            problems.append(f"{where}: MAPE over the forecast {wrong:.2f} is within the tolerance "
                            f"of the key {key['answer']:.2f}")
    if gen == "zscores" and ask == "z" and (key.get("params") or {}).get("sd_apart"):
        x = d["x"]
        m, sd, pop = statistics.mean(x), statistics.stdev(x), statistics.pstdev(x)
        k = min(range(len(x)), key=lambda i: abs((x[i] - m) / sd - key["answer"]))
        if abs((x[k] - m) / pop - key["answer"]) <= key["tolerance"] + 0.005:
            problems.append(f"{where}: the population-SD z is within the tolerance of the key")
    if gen == "erlang_agents":
        rows = next((p["table"]["rows"] for p in q.get("parts", []) if "table" in p), [])
        if key["answer"] not in [row[0] for row in rows]:
            problems.append(f"{where}: the P(wait) table has no row for the answer {key['answer']}")
        occupancy(dict(d, agents=key["answer"]), where)


for line in sys.stdin:
    if line.strip():
        form = json.loads(line)
        for q in form["questions"]:
            check(q, form["seed"])

if correlations:
    rs = [r for r, _ in correlations]
    share = sum(1 for _, s in correlations if not s) / len(correlations)
    print(f"correlations: {len(rs)}, |r| {min(rs):.2f}-{max(rs):.2f}, median "
          f"{statistics.median(rs):.2f}, not significant {100 * share:.0f} %")
    if min(rs) < 0.05 or max(rs) > 0.95:
        problems.append(f"|r| ranges over {min(rs):.2f}-{max(rs):.2f}, not within 0.05-0.95")
    if not 0.3 <= statistics.median(rs) <= 0.7:
        problems.append(f"median |r| {statistics.median(rs):.2f} is not within 0.3-0.7")
    if not 0.25 <= share <= 0.75:
        problems.append(f"{100 * share:.0f} % not significant, not within 25-75 %")
if p_signals:
    top_k = sum(1 for t, _, _ in p_signals if t) / len(p_signals)
    top_1 = sum(1 for _, t, _ in p_signals if t) / len(p_signals)
    counts = sum(1 for _, _, t in p_signals if t) / len(p_signals)
    print(f"p-chart signals: the k largest counts of defects are the key in {100 * counts:.0f} %")
    if counts >= 0.2:
        problems.append(f"the k largest counts of defects are the p-chart key in "
                        f"{100 * counts:.0f} % of {len(p_signals)} questions, not under 20 %")
    print(f"p-chart signals: {len(p_signals)}, the k highest rates are the key in "
          f"{100 * top_k:.0f} %, the tallest dot alone in {100 * top_1:.0f} %")
    if top_k >= 1 / 3:
        problems.append(f"the k highest rates are the p-chart key in {100 * top_k:.0f} % of "
                        f"{len(p_signals)} questions, not under a third")
if z_outliers:
    counts = [c for c, _ in z_outliers]
    share = {c: counts.count(c) / len(counts) for c in range(3)}
    print(f"z outliers: {len(counts)} questions, 0/1/2 beyond the threshold "
          + "/".join(f"{100 * share[c]:.0f} %" for c in range(3)))
    if share[1] > 0.7:
        problems.append(f"the z-outlier key is one agent (the furthest) in {100 * share[1]:.0f} % "
                        f"of {len(counts)} questions, not at most 70 %")
    if share[2] < 0.15:
        problems.append(f"two agents beyond the threshold in {100 * share[2]:.0f} %, under 15 %")
if occupancies:
    print(f"occupancy: {len(occupancies)} scenarios, {min(occupancies):.1f}-"
          f"{max(occupancies):.1f} %, median {statistics.median(occupancies):.1f} %")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
