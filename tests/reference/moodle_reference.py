#!/usr/bin/python3
"""Reference values for tests/unit/test_analytics.c: Moodle's quiz statistics
computed with numpy straight from Moodle's developer documentation, "Quiz
statistics calculations" (docs.moodle.org/dev/Quiz_statistics_calculations),
written without looking at engine/analytics.c. docs/analytics.md states the
formulas and the few additions (p, point-biserial, upper-lower D, groups,
distractors, flags) that Kaoshi defines itself.

Run with the system Python that has python3-scipy:
    /usr/bin/python3 tests/reference/moodle_reference.py > tests/unit/analytics_reference.h
The test suite only includes the generated header; it never runs this script.

The data sets are generated here, deterministically:
  "main"   200 attempts in two sittings (50 of them retakes) of a 12-question
           form in three sections whose questions are drawn at random from 30
           items: single choice (one of them answered right by everybody, one
           that the weaker candidates get right more often, one with a
           distractor that attracts the stronger candidates, one with a
           distractor nobody chooses, one harder than guessing), multiple
           choice with partial credit, true/false (one that hardly
           discriminates), and calculated items scored
           in thirds (one that almost nobody scores on); some answers omitted.
  "binary" 40 attempts of a 6-question form drawing from 10 single-choice
           items, all or nothing (for KR-20).
  "fixed"  30 attempts of 5 questions, each slot with a pool of one item, one
           of them with a negative covariance with the test score (no
           effective weight, and left out of the others' denominator).
"""
import math
import sys

import numpy as np
import scipy
from scipy import stats

GROUP_FRAC = 0.27


# ---- data sets -------------------------------------------------------------------

def logistic(z):
    return 1.0 / (1.0 + math.exp(-z))


def make_main():
    rng = np.random.default_rng(20270718)
    layout = [(1, "一、基础", 1.0)] * 4 + [(2, "二、规范", 2.0)] * 5 + [(3, "三、工具", 3.0)] * 3
    items = []  # dicts: id, type, noptions, key (set of 1-based options), guess, b, pool
    for j in range(1, 11):
        items.append(dict(id=f"c1-{j:02d}", type="single", noptions=4,
                          key={int(rng.integers(1, 5))}, guess=0.25,
                          b=float(rng.uniform(-1.5, 1.5)), pool=1))
    for j in range(1, 7):
        key = set(int(k) for k in rng.choice(np.arange(1, 6), size=int(rng.integers(2, 4)),
                                            replace=False))
        items.append(dict(id=f"c2-{j:02d}", type="multiple", noptions=5, key=key,
                          guess=math.nan, b=float(rng.uniform(-1, 1)), pool=2))
    for j in range(7, 13):
        items.append(dict(id=f"c2-{j:02d}", type="true_false", noptions=2,
                          key={int(rng.integers(1, 3))}, guess=0.5,
                          b=float(rng.uniform(-1, 1)), pool=2))
    for j in range(1, 9):
        items.append(dict(id=f"c3-{j:02d}", type="calculated", noptions=0, key=set(),
                          guess=0.0, b=float(rng.uniform(-1, 1.5)), pool=3))
    items[7]["b"] = 3.0   # c1-08: harder than guessing
    items[-1]["b"] = 5.0  # c3-08: almost nobody scores
    by_id = {it["id"]: it for it in items}
    pools = {s: [it["id"] for it in items if it["pool"] == s] for s in (1, 2, 3)}
    picks = {1: 4, 2: 5, 3: 3}

    attempts = []
    for a in range(200):
        if a < 120:
            sitting, cand, number, shift = "s1", f"C{a + 1:04d}", 1, 0.0
        elif a < 150:
            sitting, cand, number, shift = "s2", f"C{a + 1:04d}", 1, 0.3
        else:
            sitting, cand, number, shift = "s2", f"C{a - 149:04d}", 2, 0.3
        theta = float(rng.normal()) + shift
        cells = []
        for s in (1, 2, 3):
            for iid in rng.choice(pools[s], size=picks[s], replace=False):
                cells.append(answer(rng, by_id[str(iid)], theta, layout[len(cells)][2]))
        attempts.append(dict(sitting=sitting, candidate=cand, number=number, cells=cells))
    return dict(layout=layout, items=items, attempts=attempts, sittings=["s1", "s2"])


def answer(rng, it, theta, points):
    """One response: (item id, points, answered, chosen options as a set)."""
    iid, kind = it["id"], it["type"]
    omit = {"single": 0.04, "multiple": 0.03, "true_false": 0.02, "calculated": 0.05}[kind]
    if iid != "c1-10" and rng.random() < omit:
        return (iid, 0.0, False, set())
    if kind == "single":
        slope = -1.3 if iid == "c1-05" else 1.3  # c1-05 discriminates negatively
        chance = 0.5 if iid == "c1-03" else logistic(slope * theta - it["b"])
        right = iid == "c1-10" or rng.random() < chance
        (key,) = it["key"]
        if right:
            return (iid, points, True, {key})
        wrong = [k for k in range(1, 5) if k != key]
        w = np.ones(3)
        if iid == "c1-03":
            w[0] = math.exp(3 * theta)  # attracts the stronger candidates
        if iid == "c1-07":
            w[2] = 0.0  # never chosen
        return (iid, 0.0, True, {wrong[int(rng.choice(3, p=w / w.sum()))]})
    if kind == "true_false":
        (key,) = it["key"]
        slope = 0.15 if iid == "c2-12" else 1.1  # c2-12 hardly discriminates
        right = rng.random() < logistic(slope * theta - it["b"])
        return (iid, points if right else 0.0, True, {key if right else 3 - key})
    if kind == "multiple":
        chosen = set()
        for k in range(1, 6):
            decide_right = rng.random() < logistic(1.2 * theta - it["b"] + 0.8)
            if (k in it["key"]) == decide_right:
                chosen.add(k)
        good = len(chosen & it["key"]) - len(chosen - it["key"])
        fraction = max(0.0, good / len(it["key"]))
        return (iid, fraction * points, True, chosen)
    k = int(rng.binomial(3, logistic(theta - it["b"])))
    return (iid, (k / 3) * points, True, set())


def make_binary():
    rng = np.random.default_rng(4091)
    layout = [(1, "甲", 1.0)] * 3 + [(2, "乙", 1.0)] * 3
    items = [dict(id=f"b-{j:02d}", type="single", noptions=4, key={1 + j % 4}, guess=0.25,
                  b=float(rng.uniform(-1, 1)), pool=1 + (j >= 5)) for j in range(10)]
    pools = {1: [it for it in items if it["pool"] == 1], 2: [it for it in items if it["pool"] == 2]}
    attempts = []
    for a in range(40):
        theta = float(rng.normal())
        cells = []
        for s in (1, 2):
            for idx in rng.choice(5, size=3, replace=False):
                it = pools[s][int(idx)]
                right = rng.random() < logistic(1.5 * theta - it["b"])
                (key,) = it["key"]
                cells.append((it["id"], 1.0 if right else 0.0, True,
                              {key if right else 1 + key % 4}))
        attempts.append(dict(sitting="b1", candidate=f"B{a + 1:03d}", number=1, cells=cells))
    return dict(layout=layout, items=items, attempts=attempts, sittings=["b1"])


def make_fixed():
    """Every slot draws from a pool of one item, so slots and items coincide;
    f-3 is answered right mostly by the weaker candidates, enough for its
    covariance with the test score to be negative."""
    rng = np.random.default_rng(1128)
    layout = [(1, "A", 1.0), (2, "B", 1.0), (3, "C", 1.0), (4, "D", 1.0), (5, "E", 1.0)]
    items = [dict(id=f"f-{j}", type="single", noptions=3, key={1}, guess=1 / 3, b=0.0, pool=j)
             for j in range(1, 6)]
    attempts = []
    for a in range(30):
        theta = float(rng.normal())
        cells = []
        for it in items:
            slope = -4.0 if it["id"] == "f-3" else 2.0
            right = rng.random() < logistic(slope * theta)
            cells.append((it["id"], 1.0 if right else 0.0, True, {1 if right else 2}))
        attempts.append(dict(sitting="f1", candidate=f"F{a + 1:02d}", number=1, cells=cells))
    return dict(layout=layout, items=items, attempts=attempts, sittings=["f1"])


# ---- Moodle's quiz statistics -------------------------------------------------------

def var1(v):
    """V(x) = Σ(x − x̄)²/(S − 1)."""
    v = np.asarray(v, dtype=float)
    return float(np.sum((v - v.mean()) ** 2) / (len(v) - 1))


def cov1(x, y):
    """C(x, y) = Σ(x − x̄)(y − ȳ)/(S − 1)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.sum((x - x.mean()) * (y - y.mean())) / (len(x) - 1))


def test_stats(scores, marks, maxima):
    """Moodle's test statistics. scores: T(s); marks: S × P matrix x_i(s)."""
    S, P = marks.shape
    t = dict(n=S, max_score=float(sum(maxima)))
    nan = math.nan
    t.update(mean=nan, median=nan, sd=nan, skewness=nan, kurtosis=nan, cic=nan,
             error_ratio=nan, standard_error=nan, kr20=nan)
    if S == 0:
        return t
    t["mean"] = float(np.mean(scores))
    t["median"] = float(np.median(scores))
    if S < 2:
        return t
    d = scores - t["mean"]
    t["sd"] = math.sqrt(float(np.sum(d ** 2)) / (S - 1))
    m2, m3, m4 = (float(np.sum(d ** k)) / S for k in (2, 3, 4))
    k2 = S * m2 / (S - 1)
    if S > 2 and k2 != 0:
        k3 = S * S * m3 / ((S - 1) * (S - 2))
        t["skewness"] = k3 / k2 ** 1.5
        if S > 3:
            k4 = S * S * ((S + 1) * m4 - 3 * (S - 1) * m2 * m2) / ((S - 1) * (S - 2) * (S - 3))
            t["kurtosis"] = k4 / k2 ** 2
    vt = var1(scores)
    if P > 1 and vt != 0:
        t["cic"] = 100 * P / (P - 1) * (1 - sum(var1(marks[:, i]) for i in range(P)) / vt)
        t["error_ratio"] = 100 * math.sqrt(1 - t["cic"] / 100)
        t["standard_error"] = t["error_ratio"] * t["sd"] / 100
    binary = marks / np.asarray(maxima)
    if P > 1 and np.all((binary == 0) | (binary == 1)):
        p = binary.mean(axis=0)
        var_pop = float(np.mean((scores_of(binary) - scores_of(binary).mean()) ** 2))
        if var_pop != 0:
            t["kr20"] = P / (P - 1) * (1 - float(np.sum(p * (1 - p))) / var_pop)
    return t


def scores_of(m):
    return np.array([add_up(row) for row in m])


def add_up(values):
    """T(s) summed slot by slot, as a test score is added up: the groups rank
    attempts by score, and numpy's pairwise sum can round two equal scores
    apart."""
    total = 0.0
    for v in values:
        total += float(v)
    return total


def groups(scores):
    """Kaoshi's 27 % groups: ranked by score descending, then by order; the
    upper group is the first g, the lower the last g."""
    n = len(scores)
    g = 0 if n < 2 else min(max(1, math.floor(GROUP_FRAC * n + 0.5)), n // 2)
    order = sorted(range(n), key=lambda k: (-scores[k], k))
    upper, lower = set(order[:g]), set(order[n - g:]) if g else set()
    return g, upper, lower


def question_stats(x, m, totals, guesses, max_score):
    """Moodle's question statistics of one slot or item over the attempts
    that had it: x points, m the slot maxima, totals T(s)."""
    x, m, totals = (np.asarray(v, dtype=float) for v in (x, m, totals))
    n = len(x)
    nan = math.nan
    q = dict(n=n, points=float(np.mean(m)), mean=float(np.mean(x)),
             facility=100 * float(np.mean(x / m)), sd=nan,
             guess=100 * float(np.mean(guesses)), intended_weight=100 * float(np.mean(m)) / max_score,
             cov_total=nan, negcov=0, di=nan, de=nan, p=float(np.mean(x >= m)), pb=nan, d=nan)
    rest = totals - x
    if n >= 2:
        q["sd"] = 100 * math.sqrt(var1(x / m))
        q["cov_total"] = cov1(x, totals)
        q["negcov"] = int(q["cov_total"] < 0)
        vx, vr = var1(x), var1(rest)
        if vx * vr != 0:
            q["di"] = 100 * cov1(x, rest) / math.sqrt(vx * vr)
        vt = var1(totals)
        if vx * vt != 0:
            q["pb"] = cov1(x, totals) / math.sqrt(vx * vt)
        cmax = float(np.sum((np.sort(x) - x.mean()) * (np.sort(rest) - rest.mean()))) / (n - 1)
        if cmax != 0:
            q["de"] = 100 * cov1(x, rest) / cmax
    g, upper, lower = groups(list(totals))
    if g:
        f = x / m
        q["d"] = (sum(f[k] for k in upper) - sum(f[k] for k in lower)) / g
    q["groups"] = (g, upper, lower)
    return q


FLAGS = ["negative_discrimination", "weak_discrimination", "low_efficiency", "below_guess",
         "too_hard", "too_easy", "distractor_upper", "distractor_unused"]


def lt(a, b):
    return not (math.isnan(a) or math.isnan(b)) and a < b


def flags_of(q):
    f = set()
    if lt(q["di"], 0):
        f.add("negative_discrimination")
    elif lt(q["di"], 20):
        f.add("weak_discrimination")
    if lt(q["de"], 15) and not lt(q["di"], 0):
        f.add("low_efficiency")
    if lt(q["facility"], q["guess"]):
        f.add("below_guess")
    if lt(q["facility"], 5):
        f.add("too_hard")
    if lt(95, q["facility"]):
        f.add("too_easy")
    return f


def mask(flags):
    return sum(1 << FLAGS.index(name) for name in flags)


def analyse(ds, which="all"):
    layout, items = ds["layout"], {it["id"]: it for it in ds["items"]}
    atts = [a for a in ds["attempts"] if which == "all" or a["number"] == 1]
    S, P = len(atts), len(layout)
    maxima = [pts for (_, _, pts) in layout]
    marks = np.array([[c[1] for c in a["cells"]] for a in atts], dtype=float).reshape(S, P)
    scores = np.array([add_up(row) for row in marks])
    test = test_stats(scores, marks, maxima)
    g, upper, lower = groups(list(scores))
    test.update(group_size=g, upper=sorted(upper), lower=sorted(lower))
    max_score = test["max_score"]

    slots = []
    for i in range(P):
        x = marks[:, i]
        guesses = [items[a["cells"][i][0]]["guess"] for a in atts]
        q = question_stats(x, [maxima[i]] * S, scores, guesses, max_score) if S else None
        slots.append(q)
    covs = [q["cov_total"] for q in slots]
    denom = sum(math.sqrt(c) for c in covs if not math.isnan(c) and c >= 0)
    for q in slots:
        c = q["cov_total"]
        q["ew"] = 100 * math.sqrt(c) / denom if not math.isnan(c) and c >= 0 and denom > 0 else math.nan
        q["flags"] = flags_of(q)

    out_items = {}
    for iid, it in items.items():
        occ = [(k, i) for k, a in enumerate(atts) for i in range(P) if a["cells"][i][0] == iid]
        if not occ:
            continue
        x = [marks[k, i] for k, i in occ]
        q = question_stats(x, [maxima[i] for _, i in occ], [scores[k] for k, _ in occ],
                           [it["guess"]] * len(occ), max_score)
        c = q["cov_total"]
        q["ew"] = 100 * math.sqrt(c) / denom if not math.isnan(c) and c >= 0 and denom > 0 else math.nan
        q["flags"] = flags_of(q)
        q["slots"] = sorted(set(i for _, i in occ))
        g_i, up, lo = q["groups"]
        q["group_size"] = g_i
        opts = []
        omitted = dict(count=0, upper=0, middle=0, lower=0, sum=0.0)
        for k in range(1, it["noptions"] + 1):
            opts.append(dict(option=k, key=int(k in it["key"]), count=0, upper=0, middle=0,
                             lower=0, sum=0.0))
        for a_idx, (k_att, i) in enumerate(occ):
            cell = atts[k_att]["cells"][i]
            grp = "upper" if a_idx in up else "lower" if a_idx in lo else "middle"
            targets = [] if cell[2] else [omitted]
            targets += [opts[o - 1] for o in sorted(cell[3])]
            for t in targets:
                t["count"] += 1
                t[grp] += 1
                t["sum"] += scores[k_att]
        for t in opts + [omitted]:
            t["proportion"] = t["count"] / len(occ)
            t["mean_total"] = t["sum"] / t["count"] if t["count"] else math.nan
        for o in opts:
            if not o["key"] and o["upper"] > o["lower"]:
                q["flags"].add("distractor_upper")
            if not o["key"] and o["count"] == 0:
                q["flags"].add("distractor_unused")
        q["options"], q["omitted"] = opts, omitted
        out_items[iid] = q
    return dict(test=test, slots=slots, items=out_items, scores=scores, atts=atts)


# ---- the header --------------------------------------------------------------------------

def c_num(v):
    if isinstance(v, (bool, np.bool_)):
        return "1" if v else "0"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    v = float(v)
    if math.isnan(v):
        return "NAN"
    text = repr(v)
    if "." not in text and "e" not in text:
        text += ".0"
    return text


def c_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def bits(options):
    return sum(1 << (k - 1) for k in options)


STAT_FIELDS = ["n", "points", "mean", "facility", "sd", "guess", "intended_weight", "ew",
               "negcov", "di", "de", "p", "pb", "d"]


def c_stat(q):
    return "{" + ", ".join(c_num(q[f]) for f in STAT_FIELDS) + f", {mask(q['flags'])}u" + "}"


def emit_dataset(name, ds):
    up = name.upper()
    print(f"static const ks_analytics_slot_info REF_{up}_LAYOUT[] = {{")
    for sec, title, pts in ds["layout"]:
        print(f"    {{{sec}, {c_str(title)}, {c_num(pts)}}},")
    print("};")
    print(f"static const ref_item REF_{up}_ITEMS[] = {{")
    for it in ds["items"]:
        print(f"    {{{c_str(it['id'])}, {c_str(it['type'])}, {it['noptions']}, "
              f"{bits(it['key'])}u, {c_num(it['guess'])}}},")
    print("};")
    print(f"static const char *const REF_{up}_SITTINGS[] = {{"
          + ", ".join(c_str(s) for s in ds["sittings"]) + "};")
    print(f"static const ref_attempt REF_{up}_ATTEMPTS[] = {{")
    for a in ds["attempts"]:
        cells = ", ".join(f"{{{c_str(c[0])}, {c_num(c[1])}, {int(c[2])}, {bits(c[3])}u}}"
                          for c in a["cells"])
        print(f"    {{{c_str(a['sitting'])}, {c_str(a['candidate'])}, {a['number']}, {{{cells}}}}},")
    print("};")


def emit_test(name, t):
    keys = ["n", "max_score", "mean", "median", "sd", "skewness", "kurtosis", "cic",
            "error_ratio", "standard_error", "kr20", "group_size"]
    print(f"static const ref_test REF_{name.upper()}_TEST = {{"
          + ", ".join(c_num(t[k]) for k in keys) + "};")


def emit_report(name, r):
    up = name.upper()
    emit_test(name, r["test"])
    t = r["test"]
    print(f"static const size_t REF_{up}_UPPER[] = {{" + ", ".join(map(str, t["upper"])) + "};")
    print(f"static const size_t REF_{up}_LOWER[] = {{" + ", ".join(map(str, t["lower"])) + "};")
    print(f"static const ref_stat REF_{up}_SLOT_STATS[] = {{")
    for q in r["slots"]:
        print(f"    {c_stat(q)},")
    print("};")
    print(f"static const ref_item_stat REF_{up}_ITEM_STATS[] = {{")
    order = sorted(r["items"], key=lambda iid: (r["items"][iid]["slots"][0], iid))
    for iid in order:
        q = r["items"][iid]
        opts = q["options"] + [dict(q["omitted"], option=0, key=0)]
        opt_text = ", ".join(
            f"{{{o['option']}, {o['key']}, {o['count']}, {o['upper']}, {o['middle']}, "
            f"{o['lower']}, {c_num(o['proportion'])}, {c_num(o['mean_total'])}}}" for o in opts)
        print(f"    {{{c_str(iid)}, {c_stat(q)}, {len(q['slots'])}, "
              f"{{{', '.join(map(str, q['slots']))}}}, {q['group_size']}, {len(q['options'])}, "
              f"{{{opt_text}}}}},")
    print("};")
    print(f"#define REF_{up}_NITEMS {len(order)}")


def emit_welch(name, a, b):
    r = stats.ttest_ind(a, b, equal_var=False)
    q1, q2 = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    df = (q1 + q2) ** 2 / (q1 ** 2 / (len(a) - 1) + q2 ** 2 / (len(b) - 1))
    vals = [len(a), len(b), float(np.mean(a)), float(np.mean(b)), float(np.var(a, ddof=1)),
            float(np.var(b, ddof=1)), float(r.statistic), float(df), float(r.pvalue)]
    print(f"static const ref_welch REF_{name.upper()} = {{" + ", ".join(map(c_num, vals)) + "};")


def main():
    main_ds, binary_ds, fixed_ds = make_main(), make_binary(), make_fixed()
    all_r, first_r, bin_r = analyse(main_ds), analyse(main_ds, "first"), analyse(binary_ds)
    fixed_r = analyse(fixed_ds)
    print(f"/* Generated by tests/reference/moodle_reference.py (numpy {np.__version__}, "
          f"scipy {scipy.__version__}); do not edit. */")
    print("#ifndef KAOSHI_TEST_ANALYTICS_REFERENCE_H")
    print("#define KAOSHI_TEST_ANALYTICS_REFERENCE_H\n")
    print("#include <math.h>\n#include <stddef.h>\n#include <stdint.h>\n")
    print('#include "kaoshi/analytics.h"\n')
    print("""typedef struct ref_item {
    const char *id, *type;
    int noptions;
    uint32_t key;
    double guess;
} ref_item;
typedef struct ref_cell {
    const char *item;
    double points;
    int answered;
    uint32_t chosen;
} ref_cell;
#define REF_MAX_SLOTS 12
typedef struct ref_attempt {
    const char *sitting, *candidate;
    int number;
    ref_cell cells[REF_MAX_SLOTS];
} ref_attempt;
typedef struct ref_test {
    size_t n;
    double max_score, mean, median, sd, skewness, kurtosis, cic, error_ratio, standard_error,
        kr20;
    size_t group_size;
} ref_test;
typedef struct ref_stat {
    size_t n;
    double points, mean, facility, sd, guess, intended_weight, effective_weight;
    int negative_covariance;
    double discrimination_index, discriminative_efficiency, p, point_biserial, d;
    unsigned flags;
} ref_stat;
typedef struct ref_option {
    int option, key;
    size_t count, upper, middle, lower;
    double proportion, mean_total;
} ref_option;
#define REF_MAX_OPTIONS 6
typedef struct ref_item_stat {
    const char *id;
    ref_stat stat;
    size_t nslots;
    size_t slots[REF_MAX_SLOTS];
    size_t group_size;
    int noptions;
    ref_option options[REF_MAX_OPTIONS]; /* noptions, then the omitted answers */
} ref_item_stat;
typedef struct ref_welch {
    size_t n1, n2;
    double mean1, mean2, var1, var2, t, df, p_two_sided;
} ref_welch;
""")
    print("/* ---- data set 'main' ---- */")
    emit_dataset("main", main_ds)
    print("\n/* ---- report of every attempt ---- */")
    emit_report("all", all_r)
    print("\n/* ---- report of first attempts only ---- */")
    emit_report("first", first_r)
    print("\n/* ---- data set 'binary' and its report ---- */")
    emit_dataset("binary", binary_ds)
    emit_report("binary", bin_r)
    print("\n/* ---- data set 'fixed' (a slot with a negative covariance) and its report ---- */")
    emit_dataset("fixed", fixed_ds)
    emit_report("fixed", fixed_r)

    print("\n/* ---- comparisons (Welch, percent of the maximum score) ---- */")
    pct = 100 * all_r["scores"] / all_r["test"]["max_score"]
    sit = [a["sitting"] for a in all_r["atts"]]
    num = [a["number"] for a in all_r["atts"]]
    emit_welch("s1_vs_s2", [p for p, s in zip(pct, sit) if s == "s1"],
               [p for p, s in zip(pct, sit) if s == "s2"])
    emit_welch("first_vs_retakes", [p for p, n in zip(pct, num) if n == 1],
               [p for p, n in zip(pct, num) if n > 1])
    print("\n#endif")


if __name__ == "__main__":
    main()
