"""Checks the calculated questions of `kaoshi preview CALC-TEST --json` (on
stdin): each key is recomputed from the question's data through
`kaoshi stats` ($KAOSHI) and must be exactly what the generator stored, the
table the candidate sees must hold the same numbers as the data, every
placeholder of the stem must be filled, and the data must not be degenerate
(every statistic exists; a "points" answer names at least one point).
Prints one line per problem and exits 1 if there is any."""
import json
import math
import os
import subprocess
import sys

KAOSHI = os.environ["KAOSHI"]
WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
problems = []


def stats(name, inputs):
    run = subprocess.run([KAOSHI, "stats", name], input=json.dumps(inputs),
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise ValueError(f"kaoshi stats {name} failed: {run.stdout}{run.stderr}")
    return json.loads(run.stdout)


def column(table, j):
    return [row[j] for row in table["rows"]]


def one_based(indices):
    return [i + 1 for i in indices]


def recompute(gen, ask, d, table):
    """The key from the data, and the table columns that must equal data lists."""
    if gen == "cv":
        return stats("cv", {"x": d["x"], "ddof": d["ddof"]})["cv_percent"], {1: d["x"]}
    if gen == "xmr":
        xm = stats("xmr_limits", {"x": d["x"]})
        if ask == "signals":
            r = stats("control_rules", {"x": d["x"], "center": xm["center"],
                                        "sigma": xm["sigma"]})
            return one_based(r["any_signal"]), {1: d["x"]}
        return xm[ask], {1: d["x"]}
    if gen == "p_chart":
        r = stats("p_chart", {"defects": d["defects"], "sizes": d["sizes"]})
        cols = {1: d["sizes"], 2: d["defects"]}
        if ask == "signals":
            return one_based(r["beyond_limits"]), cols
        if ask == "p_bar":
            return 100 * r["p_bar"], cols
        return 100 * r["ucl"][d["day"] - 1], cols
    if gen == "pearson":
        r = stats("pearson_test", {"x": d["x"], "y": d["y"], "alpha": d["alpha"]})
        return r[ask], {1: d["x"], 2: [f"{v:.1f}" for v in d["y"]]}
    if gen == "zscores":
        r = stats("zscores", {"x": d["x"]})
        if ask == "outliers":
            key = [i + 1 for i, b in enumerate(r["band"]) if abs(b) >= d["threshold"]]
        elif ask == "count":
            key = sum(1 for b in r["band"] if abs(b) >= d["threshold"])
        else:
            key = r["z"][column(table, 1).index(d["agent"])]
        return key, {2: d["x"]}
    if gen in ("ttest_student", "ttest_welch", "ttest_paired"):
        r = stats(gen, {"a": d["a"], "b": d["b"], "alpha": d["alpha"]})
        pad = len(table["rows"])
        cols = {1: d["a"] + [""] * (pad - len(d["a"])), 2: d["b"] + [""] * (pad - len(d["b"]))}
        if abs(r["t"]) < 0.05:
            problems.append(f"{gen}: t = {r['t']} is about 0")
        return r[ask], cols
    if gen == "moving_average":
        r = stats("moving_average", {"x": d["x"], "k": d["k"]})
        return r["mape_percent" if ask == "mape" else "next"], {1: d["x"]}
    if gen == "ses":
        return stats("ses", {"x": d["x"], "alpha": d["alpha"]})["next"], {1: d["x"]}
    if gen == "linear_trend":
        r = stats("linear_trend", {"x": d["x"], "horizon": d["horizon"]})
        return (r["slope"] if ask == "slope" else r["forecast"][d["horizon"] - 1]), {1: d["x"]}
    if gen == "seasonal_index":
        r = stats("seasonal_index", {"x": d["x"], "L": d["L"]})
        flat = [v for row in table["rows"] for v in row[1:]]
        if flat != d["x"]:
            problems.append(f"seasonal_index: the table does not hold the data {d['x']}")
        return r["index_percent"][WEEKDAYS.index(d["day"])], {}
    if gen == "mape":
        r = stats("mape", {"actual": d["actual"], "forecast": d["forecast"]})
        key = r["mape_percent"] if ask == "mape" else 100 - r["mape_percent"]
        return key, {1: d["actual"], 2: d["forecast"]}
    if gen == "erlang_agents":
        r = stats("erlang_agents_required", {
            "calls": d["calls"], "interval_s": d["interval_s"], "aht_s": d["aht"],
            "target_sl": d["target_sl"], "target_s": d["target_s"]})
        return r["agents"], {}
    if gen in ("erlang_sl", "occupancy"):
        r = stats("erlang_c", {"calls": d["calls"], "interval_s": d["interval_s"],
                               "aht_s": d["aht"], "agents": d["agents"],
                               "target_s": d.get("target_s", 20)})
        if not r["stable"]:
            problems.append(f"{gen}: the system is unstable")
        if gen == "occupancy":
            return 100 * r["occupancy"], {}
        return {"service_level": 100 * r["service_level"], "asa": r["asa_s"],
                "p_wait": 100 * r["p_wait"]}[ask], {}
    if gen == "shrinkage":
        r = stats("staff_with_shrinkage", {"agents": d["agents"], "shrinkage": d["shrinkage"]})
        return r["scheduled"], {}
    if gen == "sample_size":
        inputs = {"z": d["z"], "margin": d["margin"], "p": d["p"]}
        if "population" in d:
            inputs["population"] = d["population"]
        r = stats("sample_size_proportion", inputs)
        return r["n_fpc" if "population" in d else "n"], {}
    raise ValueError(f"no recipe for generator {gen}")


DEFAULT_ASK = {"xmr": "signals", "p_chart": "signals", "pearson": "r", "zscores": "z",
               "ttest_student": "t", "ttest_welch": "t", "ttest_paired": "t",
               "moving_average": "next", "linear_trend": "forecast", "mape": "mape",
               "erlang_sl": "service_level"}

form = json.load(sys.stdin)
for q in form["questions"]:
    key = q["key"]
    gen, d = key["generator"], key["data"]
    ask = (key.get("params") or {}).get("ask", DEFAULT_ASK.get(gen))
    where = f"seed {form['seed']} {key['id']} ({gen})"
    table = next((p["table"] for p in q.get("parts", []) if "table" in p), None)
    if "{" in q["stem"]:
        problems.append(f"{where}: unfilled placeholder in {q['stem']}")
    for secret in ("answer", "explanation", "data", "answer_chart"):
        if secret in q:
            problems.append(f"{where}: the candidate's view holds '{secret}'")
    try:
        want, columns = recompute(gen, ask, d, table)
    except ValueError as e:
        problems.append(f"{where}: {e}")
        continue
    got = key["answer"]
    if isinstance(want, list):
        if got != want or not want:
            problems.append(f"{where}: key {got}, the data give {want}")
        if key["npoints"] != len(table["rows"]) or q["npoints"] != key["npoints"]:
            problems.append(f"{where}: npoints {key['npoints']} for {len(table['rows'])} rows")
    elif not (isinstance(want, (int, float)) and math.isfinite(want)) or got != want:
        problems.append(f"{where}: key {got!r}, the data give {want!r}")
    for j, values in columns.items():
        if column(table, j) != values:
            problems.append(f"{where}: table column {j} is {column(q['table'], j)}, "
                            f"the data {values}")

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
