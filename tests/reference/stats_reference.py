#!/usr/bin/python3
"""Reference values for tests/unit/test_stats.c, computed independently of the
C code with numpy/scipy (and Decimal for Erlang C) from the formulas in
docs/statistics.md.

Run with the system Python that has python3-scipy:
    /usr/bin/python3 tests/reference/stats_reference.py > tests/unit/stats_reference.h
The test suite only includes the generated header; it never runs this script.

For every case the header holds the inputs (IN_<CASE>_<KEY>) and the expected
outputs (REF_<CASE>_<KEY>): scalars as numbers, arrays as {...} initialisers
with a matching ..._N length (an empty array is {0} with _N 0), booleans as
0/1, NaN as NAN, infinity as INFINITY.
"""
import math
import sys
from decimal import Decimal, getcontext

import numpy as np
from scipy import optimize, stats

out = []


def c_value(v):
    if isinstance(v, (bool, np.bool_)):
        return "1" if v else "0"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    v = float(v)
    if math.isnan(v):
        return "NAN"
    if math.isinf(v):
        return "INFINITY" if v > 0 else "(-INFINITY)"
    text = repr(v)
    if "." not in text and "e" not in text and "inf" not in text:
        text += ".0"
    return "(" + text + ")" if text.startswith("-") else text


def emit(prefix, case, values):
    for key, v in values.items():
        name = f"{prefix}_{case}_{key}".upper()
        if isinstance(v, (list, tuple, np.ndarray)):
            flat = np.asarray(v, dtype=object).ravel().tolist() if len(v) else []
            body = ", ".join(c_value(x) for x in flat) or "0"  # C11 has no empty {}
            out.append(f"#define {name} {{{body}}}")
            out.append(f"#define {name}_N {len(flat)}")
            if isinstance(v, np.ndarray) and v.ndim == 2:
                out.append(f"#define {name}_ROWS {v.shape[0]}")
                out.append(f"#define {name}_COLS {v.shape[1]}")
        else:
            out.append(f"#define {name} {c_value(v)}")


def case(name, inputs, outputs):
    out.append(f"/* {name} */")
    emit("IN", name, inputs)
    emit("REF", name, outputs)
    out.append("")


def t_isf(q, df):
    """The t with P(T_df > t) = q, solved to full precision (scipy's own isf
    is only good to ~1e-9 here)."""
    hi = 1.0
    while stats.t.sf(hi, df) > q:
        hi *= 2
    return optimize.brentq(lambda x: stats.t.sf(x, df) - q, 0.0, hi, xtol=1e-300, rtol=8.9e-16)


def ceil_eps(v):
    return math.ceil(v - 1e-9)


# ---- §1 cv -------------------------------------------------------------------
def cv_case(name, x, ddof):
    x = np.array(x, float)
    case(name, {"x": x, "ddof": ddof},
         {"n": len(x), "mean": np.mean(x), "sd": np.std(x, ddof=ddof),
          "cv": stats.variation(x, ddof=ddof), "cv_percent": 100 * stats.variation(x, ddof=ddof)})


cv_case("cv_volumes", [1210, 1352, 1287, 1423, 1105, 1256, 1334], 1)
cv_case("cv_pop", [1210, 1352, 1287, 1423, 1105, 1256, 1334], 0)
cv_case("cv_negative", [-12, -15, -11, -14], 1)
# Large volumes, small spread: Σx² − n·mean² would lose the digits.
cv_case("cv_large", [1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4], 1)


# ---- §2 zscores --------------------------------------------------------------
def band(z):
    a = abs(z)
    b = 0 if a <= 1 else 1 if a <= 2 else 2 if a <= 3 else 3
    return int(math.copysign(b, z)) if b else 0


def z_case(name, x, ddof):
    x = np.array(x, float)
    z = stats.zscore(x, ddof=ddof)
    case(name, {"x": x, "ddof": ddof},
         {"mean": np.mean(x), "sd": np.std(x, ddof=ddof), "z": z, "band": [band(v) for v in z]})


z_data = [0.0] * 30 + [1.5, -1.5, 3.0, -3.0, 5.0, -5.0]
z_case("z_bands", z_data, 1)
z_case("z_two", [10, 20], 1)      # Z-03: ±1/√2
z_case("z_edge", [-1, 1], 0)      # |z| exactly 1 is band 0
bands = [band(v) for v in stats.zscore(np.array(z_data), ddof=1)]
assert set(bands) == {-3, -2, -1, 0, 1, 2, 3}, bands


# ---- §3.1 xmr ----------------------------------------------------------------
def xmr_case(name, x):
    x = np.array(x, float)
    mr = np.abs(np.diff(x))
    mr_bar = mr.mean()
    c = x.mean()
    sigma = mr_bar / 1.128
    case(name, {"x": x},
         {"center": c, "mr": mr, "mr_bar": mr_bar, "sigma": sigma, "ucl": c + 3 * sigma,
          "lcl": c - 3 * sigma, "ucl_e2": c + 2.660 * mr_bar, "lcl_e2": c - 2.660 * mr_bar,
          "mr_ucl": 3.267 * mr_bar, "mr_lcl": 0.0})


xmr_case("xmr_aht", [312, 298, 305, 321, 289, 300, 335, 310, 296, 303, 318, 292])


# ---- §3.2 sd_limits ----------------------------------------------------------
def sdl_case(name, x, ddof, k):
    x = np.array(x, float)
    c, s = x.mean(), np.std(x, ddof=ddof)
    case(name, {"x": x, "ddof": ddof, "k": k},
         {"center": c, "sigma": s, "ucl": c + k * s, "lcl": c - k * s})


sdl_case("sdl_default", [312, 298, 305, 321, 289, 300, 335, 310, 296, 303, 318, 292], 1, 3.0)
sdl_case("sdl_pop2", [312, 298, 305, 321, 289, 300, 335, 310, 296, 303, 318, 292], 0, 2.0)


# ---- §3.3 p chart ------------------------------------------------------------
def pchart_case(name, d, n):
    d, n = np.array(d, float), np.array(n, float)
    p = d / n
    pbar = d.sum() / n.sum()
    sig = np.sqrt(pbar * (1 - pbar) / n)
    ucl = np.minimum(1.0, pbar + 3 * sig)
    lcl = np.maximum(0.0, pbar - 3 * sig)
    beyond = [i for i in range(len(p)) if p[i] > ucl[i] or p[i] < lcl[i]]
    case(name, {"defects": d, "sizes": n},
         {"p": p, "p_bar": pbar, "sigma": sig, "ucl": ucl, "lcl": lcl, "z": (p - pbar) / sig,
          "beyond_limits": beyond})


pchart_case("pc_qa", [12, 15, 8, 30, 11, 0, 14, 9], [200, 220, 180, 210, 190, 200, 230, 205])
pchart_case("pc_small", [1, 2, 1, 0], [2, 3, 2, 2])  # limits clipped to [0, 1]


# ---- §3.4 control rules ------------------------------------------------------
# Written from the contract's table, independently of the C loops: every rule
# looks at the slice ending at i.
def rules(x, cl, s):
    n = len(x)
    U = {k: cl + k * s for k in (1, 2, 3)}
    L = {k: cl - k * s for k in (1, 2, 3)}
    sig = {r: [] for r in ("rule1", "rule3", "rule5", "rule6", "rule8")}
    pat = {r: set() for r in sig}

    def zone(rule, k, width, need):
        for i in range(n):
            w = list(range(max(0, i - width + 1), i + 1))
            for test in (lambda v: v > U[k], lambda v: v < L[k]):
                if test(x[i]):
                    hits = [j for j in w if test(x[j])]
                    if len(hits) >= need:
                        sig[rule].append(i)
                        pat[rule].update(hits)

    zone("rule1", 3, 1, 1)
    zone("rule3", 2, 3, 2)
    zone("rule5", 1, 5, 4)
    for i in range(5, n):
        seg = x[i - 5:i + 1]
        steps = [b - a for a, b in zip(seg, seg[1:])]
        if all(d > 0 for d in steps) or all(d < 0 for d in steps):
            sig["rule6"].append(i)
            pat["rule6"].update(range(i - 5, i + 1))
    for i in range(7, n):
        seg = x[i - 7:i + 1]
        if all(v > cl for v in seg) or all(v < cl for v in seg):
            sig["rule8"].append(i)
            pat["rule8"].update(range(i - 7, i + 1))
    return sig, {r: sorted(p) for r, p in pat.items()}


def rules_case(name, x, cl, s):
    sig, pat = rules(x, cl, s)
    outputs = {}
    for r in sig:
        outputs["sig_" + r] = sig[r]
        outputs["pat_" + r] = pat[r]
    outputs["any"] = sorted(set().union(*sig.values()))
    case(name, {"x": np.array(x, float), "center": cl, "sigma": s}, outputs)


rules_case("cr_rule3", [61, 62, 50], 50, 5)
rules_case("cr_limits", [65, 35, 65.5, 34.5, 60, 40], 50, 5)  # exactly on a limit is not beyond
rules_case("cr_self", [61, 62, 60, 61], 50, 5)  # 60 sits on U2: it does not signal itself
rules_case("cr_rule3_low", [39, 50, 38, 61, 39, 62], 50, 5)
rules_case("cr_rule5", [56, 57, 40, 58, 59, 56, 57, 58, 59, 60], 50, 5)
rules_case("cr_rule6", [41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 50, 49, 48, 47, 46, 45, 44], 50, 5)
rules_case("cr_rule8", [51] * 7 + [50] + [51] * 10 + [49] * 8, 50, 5)
rules_case("cr_mixed", [50, 51, 52, 53, 54, 55, 66, 62, 61, 50, 44, 43, 42, 41, 40, 39, 38, 37,
                        36, 35, 34, 33], 50, 5)
sig_mixed, _ = rules([50, 51, 52, 53, 54, 55, 66, 62, 61, 50, 44, 43, 42, 41, 40, 39, 38, 37,
                      36, 35, 34, 33], 50, 5)
assert all(sig_mixed[r] for r in sig_mixed), sig_mixed


# ---- §4 pearson and linreg ---------------------------------------------------
def pearson_case(name, x, y, alpha):
    x, y = np.array(x, float), np.array(y, float)
    r, p = stats.pearsonr(x, y)
    df = len(x) - 2
    t = r * math.sqrt(df / (1 - r * r)) if abs(r) < 1 else math.copysign(math.inf, r)
    tc = t_isf(alpha / 2, df)
    case(name, {"x": x, "y": y, "alpha": alpha},
         {"n": len(x), "df": df, "r": r, "r2": r * r, "t": t,
          "p_two_sided": 2 * stats.t.sf(abs(t), df), "p_scipy": p, "t_crit": tc,
          "r_crit": tc / math.sqrt(df + tc * tc), "significant": abs(t) > tc})


pearson_case("pr_df8", [120, 135, 128, 142, 110, 125, 150, 138, 131, 119],
             [3.1, 3.6, 3.2, 3.9, 2.8, 3.0, 4.1, 3.5, 3.6, 3.3], 0.05)
pearson_case("pr_weak", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [5, 3, 6, 2, 7, 4, 4, 6, 3, 5], 0.05)
pearson_case("pr_alpha01", [2, 4, 5, 7, 9, 11, 12], [1.2, 2.1, 2.2, 3.9, 4.1, 5.9, 6.2], 0.01)
# df = 1 and a tiny alpha: GSL's own t quantile is off by 5e-7 here.
pearson_case("pr_tiny_alpha", [1, 2, 3], [1, 3, 2], 2e-10)
pearson_case("pr_large", list(range(1, 61)), [((i * 37) % 61) + 0.5 * i for i in range(1, 61)], 0.05)


def linreg_case(name, x, y):
    x, y = np.array(x, float), np.array(y, float)
    lr = stats.linregress(x, y)
    fitted = lr.intercept + lr.slope * x
    sse = float(((y - fitted) ** 2).sum())
    sst = float(((y - y.mean()) ** 2).sum())
    case(name, {"x": x, "y": y},
         {"slope": lr.slope, "intercept": lr.intercept, "fitted": fitted, "sse": sse, "sst": sst,
          "r2": lr.rvalue ** 2})


linreg_case("lr_calls", [10, 12, 15, 17, 20, 22, 25], [410, 470, 590, 640, 790, 850, 980])


# ---- §5 t-tests --------------------------------------------------------------
def ttest2_case(name, a, b, alpha, pooled):
    a, b = np.array(a, float), np.array(b, float)
    n1, n2 = len(a), len(b)
    v1, v2 = a.var(ddof=1), b.var(ddof=1)
    with np.errstate(all="ignore"), __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("ignore")  # scipy frets over a constant group
        res = stats.ttest_ind(a, b, equal_var=pooled)
    if pooled:
        df = n1 + n2 - 2
        sp2 = ((n1 - 1) * v1 + (n2 - 1) * v2) / df
        se = math.sqrt(sp2 * (1 / n1 + 1 / n2))
    else:
        q1, q2 = v1 / n1, v2 / n2
        df = (q1 + q2) ** 2 / (q1 ** 2 / (n1 - 1) + q2 ** 2 / (n2 - 1))
        se = math.sqrt(q1 + q2)
    tc = t_isf(alpha / 2, df)
    outputs = {"n1": n1, "n2": n2, "mean1": a.mean(), "mean2": b.mean(), "var1": v1, "var2": v2,
               "mean_diff": a.mean() - b.mean(), "se": se, "t": res.statistic, "df": df,
               "p_two_sided": res.pvalue, "t_crit": tc, "significant": abs(res.statistic) > tc}
    if pooled:
        outputs["pooled_var"] = sp2
    case(name, {"a": a, "b": b, "alpha": alpha}, outputs)


scorer_a = [82, 75, 90, 68, 88, 79, 85, 91, 73, 80]
scorer_b = [78, 72, 85, 70, 80, 75, 83, 86, 70, 77, 74, 81]
ttest2_case("ts_scorers", scorer_a, scorer_b, 0.05, True)
ttest2_case("tw_scorers", scorer_a, scorer_b, 0.05, False)
ttest2_case("tw_df147", [62, 85], [70, 80, 89], 0.05, False)          # Welch df ≈ 1.47
ttest2_case("tw_const", [80, 80, 80], [70, 75, 90, 85], 0.05, False)  # df = n2 − 1 = 3
ttest2_case("ts_const", [80, 80, 80], [70, 75, 90, 85], 0.05, True)
ttest2_case("ts_same_mean", [1, 2, 3], [0, 2, 4], 0.05, True)         # t = 0, p = 1
big_a = [60 + (i * 17) % 23 for i in range(150)]
big_b = [61 + (i * 11) % 19 for i in range(140)]
ttest2_case("tw_large", big_a, big_b, 0.05, False)
ttest2_case("ts_large", big_a, big_b, 0.10, True)


def paired_case(name, a, b, alpha):
    a, b = np.array(a, float), np.array(b, float)
    d = a - b
    n = len(d)
    res = stats.ttest_rel(a, b)
    tc = t_isf(alpha / 2, n - 1)
    case(name, {"a": a, "b": b, "alpha": alpha},
         {"n": n, "mean_diff": d.mean(), "sd_diff": d.std(ddof=1),
          "se": d.std(ddof=1) / math.sqrt(n), "t": res.statistic, "df": n - 1,
          "p_two_sided": res.pvalue, "t_crit": tc, "significant": abs(res.statistic) > tc})


paired_case("tp_calls", [82, 75, 90, 68, 88, 79, 85, 91], [80, 74, 85, 70, 84, 75, 83, 86], 0.05)
paired_case("tp_two", [5, 9], [4, 6], 0.05)


# ---- §6 forecasting ----------------------------------------------------------
def errors(actual, forecast):
    actual, forecast = np.asarray(actual, float), np.asarray(forecast, float)
    if len(actual) == 0:
        return math.nan, math.nan
    mae = float(np.mean(np.abs(actual - forecast)))
    if np.any(actual == 0):
        return mae, math.nan
    return mae, float(100 * np.mean(np.abs(actual - forecast) / np.abs(actual)))


def ma_case(name, x, k):
    x = np.array(x, float)
    fc = np.convolve(x, np.ones(k), "valid") / k
    mae, mape = errors(x[k:], fc[:len(x) - k])
    case(name, {"x": x, "k": k},
         {"forecasts": fc, "next": fc[-1], "mae": mae, "mape_percent": mape})


volumes = [1210, 1352, 1287, 1423, 1105, 1256, 1334, 1298, 1377, 1240]
ma_case("ma_3", volumes, 3)
ma_case("ma_1", volumes, 1)
ma_case("ma_full", [4, 8, 9], 3)        # no in-sample pairs
ma_case("ma_zero", [4, 8, 0, 6, 5], 2)  # an actual of 0: MAPE NaN, MAE still defined


def ses_case(name, x, alpha):
    x = np.array(x, float)
    f = [x[0]]
    for t in range(1, len(x) + 1):
        f.append(alpha * x[t - 1] + (1 - alpha) * f[-1])
    mae, mape = errors(x[1:], f[1:len(x)])
    case(name, {"x": x, "alpha": alpha},
         {"forecasts": f, "next": f[-1], "mae": mae, "mape_percent": mape})


ses_case("ses_03", volumes, 0.3)
ses_case("ses_1", volumes, 1.0)
ses_case("ses_one", [500], 0.4)


def trend_case(name, x, horizon):
    x = np.array(x, float)
    n = len(x)
    t = np.arange(1, n + 1, dtype=float)
    slope, intercept = np.polyfit(t, x, 1)
    fitted = intercept + slope * t
    sst = ((x - x.mean()) ** 2).sum()
    r2 = 1 - ((x - fitted) ** 2).sum() / sst if sst else math.nan
    case(name, {"x": x, "horizon": horizon},
         {"slope": slope, "intercept": intercept, "r2": r2, "fitted": fitted,
          "forecast": [intercept + slope * (n + h) for h in range(1, horizon + 1)]})


trend_case("lt_monthly", [3120, 3185, 3260, 3240, 3390, 3420, 3505, 3490, 3610, 3655, 3720, 3810], 3)
trend_case("lt_const", [7, 7, 7, 7], 1)


def seasonal_case(name, x, L):
    x = np.array(x, float)
    means = x.reshape(-1, L).mean(axis=0)
    g = x.mean()
    case(name, {"x": x, "L": L},
         {"season_means": means, "grand_mean": g, "index": means / g,
          "index_percent": 100 * means / g})


seasonal_case("si_quarters", [820, 1030, 1150, 760, 860, 1100, 1230, 800, 905, 1160, 1290, 845], 4)
seasonal_case("si_week", [1500, 1320, 1280, 1300, 1410, 900, 650,
                          1560, 1350, 1300, 1330, 1450, 950, 700], 7)


def mape_case(name, a, f):
    mae, mape = errors(a, f)
    case(name, {"actual": np.array(a, float), "forecast": np.array(f, float)},
         {"mape_percent": mape, "mae": mae})


mape_case("mape_week", [1500, 1320, 1280, 1300, 1410], [1450, 1390, 1250, 1330, 1380])
mape_case("mape_negative", [-10, 20], [-12, 25])


# ---- §7 Erlang C -------------------------------------------------------------
getcontext().prec = 80


def erlang(calls, interval, aht, n, target):
    """Erlang C by the factorial formula in Decimal arithmetic."""
    A = Decimal(calls) * Decimal(aht) / Decimal(interval)
    n = int(n)
    if A == 0:
        return dict(traffic_erlangs=0.0, occupancy=0.0, p_wait=0.0, service_level=1.0,
                    asa_s=0.0, stable=True)
    if n <= A:
        return dict(traffic_erlangs=float(A), occupancy=float(A / n), p_wait=1.0,
                    service_level=0.0, asa_s=math.inf, stable=False)
    term, total = Decimal(1), Decimal(0)
    for k in range(n):
        total += term
        term = term * A / (k + 1)
    top = term * n / (n - A)
    c = top / (total + top)
    sl = 1 - c * (-(n - A) * Decimal(target) / Decimal(aht)).exp()
    return dict(traffic_erlangs=float(A), occupancy=float(A / n), p_wait=float(c),
                service_level=float(sl), asa_s=float(c * Decimal(aht) / (n - A)), stable=True)


def erlang_case(name, calls, interval, aht, n, target):
    case(name, {"calls": calls, "interval_s": interval, "aht_s": aht, "agents": n,
                "target_s": target}, erlang(calls, interval, aht, n, target))


erlang_case("ec_small", 100, 1800, 180, 12, 20)   # A = 10
erlang_case("ec_480", 2880, 1800, 300, 500, 20)   # A = 480: A^N/N! overflows doubles
erlang_case("ec_481", 2880, 1800, 300, 481, 20)
erlang_case("ec_equal", 2880, 1800, 300, 480, 20)  # N == A: unstable
erlang_case("ec_over", 2880, 1800, 300, 470, 20)
erlang_case("ec_target0", 100, 1800, 180, 11, 0)


def agents_case(name, calls, interval, aht, target_sl, target, max_occ=None):
    A = calls * aht / interval  # the load as the C core computes it in doubles
    if A == 0:
        n = 0
    else:
        n = math.floor(A) + 1
        while erlang(calls, interval, aht, n, target)["service_level"] < target_sl:
            n += 1
        if max_occ is not None:
            n = max(n, ceil_eps(A / max_occ))
    e = erlang(calls, interval, aht, n, target)
    inputs = {"calls": calls, "interval_s": interval, "aht_s": aht, "target_sl": target_sl,
              "target_s": target}
    if max_occ is not None:
        inputs["max_occupancy"] = max_occ
    case(name, inputs, {"agents": n, "traffic_erlangs": e["traffic_erlangs"],
                        "service_level": e["service_level"], "p_wait": e["p_wait"],
                        "asa_s": e["asa_s"], "occupancy": e["occupancy"]})


agents_case("ar_small", 100, 1800, 180, 0.8, 20)
agents_case("ar_occ", 100, 1800, 180, 0.8, 20, 0.7)    # ceil_eps(10/0.7) = 15
agents_case("ar_480", 2880, 1800, 300, 0.8, 20)
agents_case("ar_480_90", 2880, 1800, 300, 0.9, 15)
agents_case("ar_trap", 42, 3600, 360, 0.1, 20, 0.7)    # 4.2/0.7 = 6.000000000000001 -> 6
assert 42 * 360 / 3600 / 0.7 > 6.0
agents_case("ar_zero", 0, 1800, 180, 0.8, 20)


def shrink_case(name, agents, shrinkage):
    raw = agents / (1 - shrinkage)
    case(name, {"agents": agents, "shrinkage": shrinkage},
         {"raw": raw, "scheduled": ceil_eps(raw)})


shrink_case("sh_trap", 42, 0.3)  # 42/(1-0.3) = 60.00000000000001 -> 60
assert 42 / (1 - 0.3) > 60
shrink_case("sh_35", 100, 0.35)
shrink_case("sh_none", 17, 0.0)


# ---- §8 sample size ----------------------------------------------------------
def sample_case(name, margin, p, conf=None, z=None, population=None):
    zz = z if z is not None else stats.norm.ppf(1 - (1 - conf) / 2)
    n0 = zz * zz * p * (1 - p) / (margin * margin)
    inputs = {"margin": margin, "p": p}
    if conf is not None:
        inputs["conf"] = conf
    if z is not None:
        inputs["z"] = z
    outputs = {"z": zz, "n0": n0, "n": ceil_eps(n0)}
    if population is not None:
        inputs["population"] = population
        fpc = n0 / (1 + (n0 - 1) / population)
        outputs["n_fpc_real"] = fpc
        outputs["n_fpc"] = ceil_eps(fpc)
    case(name, inputs, outputs)


sample_case("ss_95", 0.05, 0.5, conf=0.95)
sample_case("ss_trap", 0.03, 0.5, z=2.58)  # 2.58²·0.25/0.03² = 1849.0000000000002 -> 1849
assert 2.58 ** 2 * 0.25 / 0.03 ** 2 > 1849
sample_case("ss_fpc", 0.04, 0.3, conf=0.99, population=2000)
sample_case("ss_90", 0.05, 0.2, conf=0.90, population=1)


# ---- §9 exam analytics -------------------------------------------------------
def items_case(name, m, frac):
    m = np.array(m, float)
    N, k = m.shape
    tot = m.sum(axis=1)
    var = tot.var()
    p = m.mean(axis=0)

    def corr(a, b):
        if np.all(a == a[0]) or np.all(b == b[0]):
            return math.nan
        return float(np.corrcoef(a, b)[0, 1])

    g = min(max(1, math.floor(frac * N + 0.5)), N // 2)
    upper = sorted(sorted(range(N), key=lambda i: (-tot[i], i))[:g])
    lower = sorted(sorted(range(N), key=lambda i: (tot[i], i))[:g])
    D = (m[upper].sum(axis=0) - m[lower].sum(axis=0)) / g
    kr20 = k / (k - 1) * (1 - (p * (1 - p)).sum() / var) if var else math.nan
    case(name, {"matrix": m, "group_frac": frac},
         {"n_examinees": N, "n_items": k, "totals": tot.astype(int), "mean_total": tot.mean(),
          "var_total_pop": var, "sd_total_pop": math.sqrt(var),
          "p": p, "r_pb": [corr(m[:, j], tot) for j in range(k)],
          "r_pb_corrected": [corr(m[:, j], tot - m[:, j]) for j in range(k)],
          "group_size": g, "upper_group": upper, "lower_group": lower, "D": D, "kr20": kr20,
          "sem": math.sqrt(var) * math.sqrt(1 - kr20) if var else math.nan})


exam = [[1, 1, 1, 0, 1, 1],
        [1, 0, 1, 0, 0, 1],
        [1, 1, 1, 1, 1, 1],
        [0, 0, 1, 0, 0, 0],
        [1, 1, 0, 1, 1, 1],
        [1, 0, 0, 0, 1, 0],
        [1, 1, 1, 1, 0, 1],
        [0, 1, 0, 0, 0, 1],
        [1, 1, 1, 0, 1, 0],
        [1, 0, 1, 0, 0, 0],
        [1, 1, 1, 1, 1, 0]]
items_case("ia_exam", exam, 0.27)   # g = floor(2.97 + 0.5) = 3, ties at the boundary
items_case("ia_half", exam, 0.5)    # g = floor(6) capped at floor(11/2) = 5
items_case("ia_flat", [[1, 0], [0, 1], [1, 0]], 0.27)  # constant totals: kr20, sem, r_pb NaN
items_case("ia_three", [[1, 0], [1, 1], [0, 0]], 0.5)  # g = floor(2.0) capped at 1


def kr20_of(m):
    m = np.array(m, float)
    k = m.shape[1]
    p = m.mean(axis=0)
    return k / (k - 1) * (1 - (p * (1 - p)).sum() / m.sum(axis=1).var())


case("kr_exam", {"matrix": np.array(exam, float)}, {"kr20": kr20_of(exam)})


def alpha_case(name, m):
    m = np.array(m, float)
    k = m.shape[1]
    iv = m.var(axis=0, ddof=1).sum()
    tv = m.sum(axis=1).var(ddof=1)
    case(name, {"matrix": m}, {"alpha": k / (k - 1) * (1 - iv / tv), "sum_item_var": iv,
                               "var_total": tv})


alpha_case("ca_likert", [[4, 5, 4, 3], [3, 4, 3, 3], [5, 5, 4, 5], [2, 3, 2, 2], [4, 4, 5, 4],
                         [3, 2, 3, 3], [5, 4, 5, 5]])
alpha_case("ca_exam", exam)

for name, sd, rel in (("sem_91", 10.0, 0.91), ("sem_neg", 4.0, -0.5), ("sem_one", 6.0, 1.0)):
    case(name, {"sd": sd, "reliability": rel}, {"sem": sd * math.sqrt(1 - rel)})

print("/* Generated by tests/reference/stats_reference.py (numpy %s, scipy %s); do not edit. */"
      % (np.__version__, __import__("scipy").__version__))
print("#ifndef KAOSHI_TEST_STATS_REFERENCE_H")
print("#define KAOSHI_TEST_STATS_REFERENCE_H")
print()
print("#include <math.h>")
print()
print("\n".join(out))
print("#endif")
sys.exit(0)
