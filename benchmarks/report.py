"""Turns the raw output of scripts/benchmark.sh into one table of medians and a JSON file.

usage: report.py RESULTS.tsv STATEMENTS.tsv OUT.json key=value...
RESULTS.tsv rows: round, contender, scenario, tool output (newlines as \\x1c), CPU before, CPU after.
"""
import json
import re
import statistics
import sys

NAMES = {
    "kestrel": "bare Kestrel",
    "plain": "plain Npgsql",
    "pgbench": "pgbench",
    "postgres": "ours, PostgreSQL",
    "sqlite": "ours, SQLite",
    "postgres_silo": "ours, PG, silo API",
    "sqlite_silo": "ours, SQLite, silo API",
}
# The two ways the service serves HTTP: through the gateway process, and by the silo itself (SILO_API_ENABLED).
SHAPES = [("gateway", "postgres", "sqlite"), ("silo API", "postgres_silo", "sqlite_silo")]
SCENARIOS = [
    ("get_hot", "GET hot"),
    ("get_cold", "GET cold"),
    ("turn", "turn"),
    ("turn_key", "turn + Idempotency-Key"),
    ("history", "history page"),
    ("upsert", "prepared upsert"),
]


def milliseconds(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        return None
    value, unit = float(match.group(1)), match.group(2)
    return value * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def parse_wrk(text):
    figures = {"rps": None, "p50_ms": None, "p99_ms": None, "requests": 0, "non2xx": 0, "socket_errors": 0}
    elapsed, answered = [], []
    for line in text.splitlines():
        fields = line.split()
        if line.startswith("Requests/sec:"):
            figures["rps"] = float(fields[1])
        elif fields[:1] == ["50%"]:
            figures["p50_ms"] = milliseconds(fields[1])
        elif fields[:1] == ["99%"]:
            figures["p99_ms"] = milliseconds(fields[1])
        elif "requests in" in line:
            figures["requests"] = int(fields[0])
        elif line.strip().startswith("Non-2xx"):
            figures["non2xx"] = int(fields[-1])
        elif line.strip().startswith("Socket errors"):
            figures["socket_errors"] = sum(int(n) for n in re.findall(r"\d+", line))
        elif line.startswith("thread_elapsed_us "):
            elapsed.append(float(fields[1]) if fields[1] != "nil" else None)
        elif line.startswith("thread_answered "):
            answered.append(int(fields[1]) if fields[1] != "nil" else 0)
    if elapsed and None not in elapsed and figures["requests"]:
        # A counting run: its rate is the users answered (not the probes around them) over the time the slowest
        # thread took, not over wrk's -d.
        figures["requests"] = sum(answered) or figures["requests"]
        figures["rps"] = round(figures["requests"] / (max(elapsed) / 1e6), 2)
    return figures


def parse_pgbench(text):
    figures = {"rps": None, "p50_ms": None, "p99_ms": None, "requests": 0, "non2xx": 0, "socket_errors": 0}
    for line in text.splitlines():
        if line.startswith("tps = "):
            figures["rps"] = float(line.split()[2])
        elif line.startswith("latency average"):
            figures["mean_ms"] = float(line.split()[3])
        elif line.startswith("number of transactions actually processed"):
            figures["requests"] = int(line.split(":")[1].split("/")[0])
        elif line.startswith("number of failed transactions"):
            figures["non2xx"] = int(line.split(":")[1].split()[0])
    return figures


def cpu(text):
    return {label: float(value) for label, value in (pair.split("=") for pair in text.split())}


def same_build_runs(results_file):
    """The measured rows of a same-build comparison (--tenants, --changes, --encryption): wrk's figures by
    (contender, scenario), each with its round and the silo process's CPU µs per request, and their median."""
    runs = {}
    for line in open(results_file):
        row = line.rstrip("\n").split("\t")
        if row[0] in ("0", "warmup"):
            continue
        figures = parse_wrk(row[3].replace("\x1c", "\n"))
        figures["round"] = row[0]
        if row[4] and row[5]:
            before, after = cpu(row[4]), cpu(row[5])
            figures["silo_cpu_us"] = round((after.get("silo", 0) - before.get("silo", 0)) / (figures["requests"] or 1) * 1e6, 1)
        runs.setdefault((row[1], row[2]), []).append(figures)

    def median(contender, scenario, key):
        values = [run[key] for run in runs.get((contender, scenario), []) if run.get(key) is not None]
        return statistics.median(values) if values else None

    return runs, median


def same_build_heading(settings):
    """The first line of a same-build comparison's table: the command and the load."""
    print(f"\n{settings.get('command', '')}: wrk -t2 -c{settings['connections']} -d{settings['duration']}, "
          f"{settings['rounds']} rounds (medians), {settings['users']} users, {settings['cores']} cores, {settings['elapsed_s']} s")


def scale_report(runs, memory_file, settings, out):
    """The --scale run: one row per database size."""
    sizes = []
    for line in open(memory_file):
        size, active, before_kb, after_kb = (int(field) for field in line.split())
        sizes.append({"conversations": size, "activated": active,
                      "silo_mb_per_100k_activations": round((after_kb - before_kb) / 1024 * 100000 / active, 1),
                      "silo_rss_mb_after": round(after_kb / 1024, 1)})
    print(f"\n{settings.get('command', '')}: wrk -t{settings['threads']} -c{settings['connections']} -d{settings['duration']}, "
          f"PostgreSQL, {settings['cores']} cores, {settings['elapsed_s']} s")
    header = f"{'conversations':>14}{'cold GET/s':>12}{'cold p99':>10}{'hot GET/s':>11}{'turn/s':>9}{'turn p99':>10}{'history/s':>11}{'MB/100k act.':>14}"
    print(header)
    print("-" * len(header))
    for row in sizes:
        label = f"scale-{row['conversations']}"
        for run in runs:
            if run["round"] == label:
                row[run["scenario"]] = {key: run[key] for key in ("rps", "p50_ms", "p99_ms", "non2xx", "socket_errors")}
        get = lambda scenario, key: (row.get(scenario) or {}).get(key) or 0
        print(f"{row['conversations']:>14}{get('get_cold', 'rps'):>12.0f}{get('get_cold', 'p99_ms'):>10.1f}{get('get_hot', 'rps'):>11.0f}"
              f"{get('turn', 'rps'):>9.0f}{get('turn', 'p99_ms'):>10.1f}{get('history', 'rps'):>11.0f}{row['silo_mb_per_100k_activations']:>14.1f}")
    idle = None
    if settings.get("scale_idle"):
        timeout, peak, left, seconds, rss_before, rss_after = open(settings["scale_idle"]).read().split()
        idle = {"activation_idle_timeout": timeout, "activations_before": int(peak), "activations_after": int(left),
                "seconds_until_collected": int(seconds), "silo_rss_mb_before": round(int(rss_before) / 1024, 1),
                "silo_rss_mb_after": round(int(rss_after) / 1024, 1)}
        print(f"\nACTIVATION_IDLE_TIMEOUT={timeout}: {peak} activations, {left} left after {seconds} s without requests; "
              f"silo RSS {idle['silo_rss_mb_before']} -> {idle['silo_rss_mb_after']} MB")
    with open(out, "w") as file:
        json.dump({"settings": settings, "scale": sizes, "idle_collection": idle, "runs": runs}, file, indent=2, ensure_ascii=False)
        file.write("\n")
    print(f"\nfigures written to {out}")


def main():
    results, statements, out, *settings = sys.argv[1:]
    settings = dict(setting.split("=", 1) for setting in settings)
    runs = []
    for line in open(results):
        round_, contender, scenario, output, before, after = line.rstrip("\n").split("\t")
        if round_ in ("trace", "warmup"):
            continue  # under a profiler, or while the JIT compiles: not comparable
        output = output.replace("\x1c", "\n")
        figures = parse_pgbench(output) if contender == "pgbench" else parse_wrk(output)
        if figures["rps"] is None:
            print(f"warning: no figures for {contender} {scenario} in round {round_}:\n{output}", file=sys.stderr)
            continue
        before, after = cpu(before), cpu(after)
        figures["cpu_us_per_request"] = {
            label: round((after[label] - before[label]) / figures["requests"] * 1e6, 1)
            for label in after if label in before and figures["requests"]
        }
        runs.append({"round": int(round_) if round_.isdigit() else round_, "contender": contender, "scenario": scenario, **figures})

    if "scale_memory" in settings:
        scale_report(runs, settings["scale_memory"], settings, out)
        return

    medians = {}
    for contender in NAMES:
        for scenario, _ in SCENARIOS:
            measured = [run for run in runs if run["contender"] == contender and run["scenario"] == scenario
                        and isinstance(run["round"], int) and run["round"] > 0]
            if not measured:
                continue
            median = {}
            for key in ("rps", "p50_ms", "p99_ms", "mean_ms"):
                values = [run[key] for run in measured if run.get(key) is not None]
                median[key] = round(statistics.median(values), 2) if values else None
            median["non2xx"] = sum(run["non2xx"] + run["socket_errors"] for run in measured)
            labels = measured[0]["cpu_us_per_request"].keys()
            median["cpu_us_per_request"] = {
                label: round(statistics.median(run["cpu_us_per_request"].get(label, 0) for run in measured), 1) for label in labels
            }
            medians.setdefault(contender, {})[scenario] = median

    def rps(contender, scenario):
        return medians.get(contender, {}).get(scenario, {}).get("rps")

    def ratio(a, b):
        return round(a / b, 3) if a and b else None

    # Reads against the HTTP ceiling, writes against what a .NET team would write.
    reference = {"get_hot": ("kestrel", "get_hot"), "get_cold": ("kestrel", "get_hot"), "history": ("kestrel", "get_hot"),
                 "turn": ("plain", "turn"), "turn_key": ("plain", "turn"), "upsert": ("plain", "turn")}
    ratios = {}
    print()
    print(f"{settings.get('command', '')}: wrk -t{settings['threads']} -c{settings['connections']} -d{settings['duration']}, "
          f"{settings['users']} users, median of {settings['rounds']} rounds, {settings['cores']} cores, {settings['elapsed_s']} s")
    header = f"{'scenario':<24}{'service':<24}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}  {'ratio':<22}cpu µs/request"
    print(header)
    print("-" * len(header))
    for scenario, title in SCENARIOS:
        for contender, name in NAMES.items():
            median = medians.get(contender, {}).get(scenario)
            if median is None:
                continue
            base = reference.get(scenario)
            value = ratio(median["rps"], rps(*base)) if base else None
            if value is not None:
                ratios.setdefault(contender, {})[scenario] = value
            ratio_text = f"{value:.2f} × {NAMES[base[0]]}" if value is not None else ""
            fmt = lambda v: f"{v:.2f}" if v is not None else "–"
            cpu_text = " ".join(f"{label} {value:g}" for label, value in median["cpu_us_per_request"].items())
            print(f"{title:<24}{name:<24}{median['rps']:>10.0f}{fmt(median['p50_ms']):>9}{fmt(median['p99_ms']):>9}"
                  f"{median['non2xx']:>8}  {ratio_text:<22}{cpu_text}")

    targets = []

    def target(name, value, goal, met):
        targets.append({"target": name, "value": value, "goal": goal, "met": bool(met) if value is not None else None})

    for shape, postgres, sqlite in SHAPES:
        if postgres not in medians and sqlite not in medians:
            continue
        pg_turn = ratio(rps(postgres, "turn"), rps("plain", "turn"))
        target(f"{shape}: PostgreSQL turn ≥ 1.5 × plain Npgsql turn", pg_turn, 1.5, pg_turn is not None and pg_turn >= 1.5)
        for backend in (postgres, sqlite):
            value = ratio(rps(backend, "get_hot"), rps("kestrel", "get_hot"))
            target(f"{NAMES[backend]}: hot GET ≥ 0.45 × bare Kestrel", value, 0.45, value is not None and value >= 0.45)
        sqlite_turn = medians.get(sqlite, {}).get("turn", {})
        target(f"{shape}: SQLite turn p99 ≤ 50 ms", sqlite_turn.get("p99_ms"), 50, (sqlite_turn.get("p99_ms") or 1e9) <= 50)
        value = ratio(rps(sqlite, "turn"), rps(postgres, "turn"))
        target(f"{shape}: SQLite turn ≥ PostgreSQL turn", value, 1.0, value is not None and value >= 1.0)
    print()
    for item in targets:
        state = {True: "met", False: "NOT met", None: "not measured"}[item["met"]]
        print(f"  {state:<13}{item['target']}: {item['value']}")

    pg_statements = []
    for line in open(statements):
        fields = line.rstrip("\n").split("\t")
        if len(fields) == 5:
            db, calls, total_ms, mean_us, query = fields
            pg_statements.append({"database": db, "calls": int(calls), "total_ms": float(total_ms), "mean_us": float(mean_us), "query": query})
    if pg_statements:
        print("\nPostgreSQL, statements by total time (pg_stat_statements):")
        for item in pg_statements:
            print(f"  {item['database']:<12}{item['calls']:>9} calls {item['mean_us']:>9.1f} µs  {item['query'][:90]}")

    with open(out, "w") as file:
        json.dump({"settings": settings, "medians": medians, "ratios": ratios, "targets": targets,
                   "postgres_statements": pg_statements, "runs": runs}, file, indent=2, ensure_ascii=False)
        file.write("\n")
    print(f"\nfigures written to {out}")


if __name__ == "__main__":
    main()
