"""The --changes run of scripts/benchmark.sh: what the change feed costs a turn, and whether a reader keeps up.

usage: changes_report.py RESULTS.tsv LAG.tsv OUT.json key=value...
RESULTS.tsv rows as report.py reads them; contenders BACKEND_silo (the feed on, the default) and BACKEND_nofeed
(CHANGES_ENABLED=false), scenarios turn and get_hot, and turn_followed on BACKEND_silo (turns while a reader follows
the stream). LAG.tsv: round, backend, and the reader's {events, p50_ms, p99_ms, max_ms} of that turn_followed run.
"""
import json
import sys

from report import same_build_heading, same_build_runs

SCENARIOS = [("turn", "turn"), ("get_hot", "hot GET")]


def main(results_file, lag_file, out_file, *pairs):
    settings = dict(pair.split("=", 1) for pair in pairs)
    runs, median = same_build_runs(results_file)

    backends = sorted({contender.rsplit("_", 1)[0] for contender, _ in runs})
    report = {"settings": settings, "cost": [], "follower": []}
    same_build_heading(settings)
    print(f"{'backend':<10}{'scenario':<10}{'feed on req/s':>15}{'feed off req/s':>16}{'on/off':>8}{'on p99':>9}{'off p99':>9}"
          f"{'on silo µs':>12}{'off silo µs':>13}")
    for backend in backends:
        for scenario, name in SCENARIOS:
            on, off = f"{backend}_silo", f"{backend}_nofeed"
            on_rps, off_rps = median(on, scenario, "rps"), median(off, scenario, "rps")
            row = {"backend": backend, "scenario": scenario, "on_rps": on_rps, "off_rps": off_rps,
                   "on_over_off": round(on_rps / off_rps, 3) if on_rps and off_rps else None,
                   "on_p99_ms": median(on, scenario, "p99_ms"), "off_p99_ms": median(off, scenario, "p99_ms"),
                   "on_silo_cpu_us": median(on, scenario, "silo_cpu_us"), "off_silo_cpu_us": median(off, scenario, "silo_cpu_us")}
            report["cost"].append(row)
            print(f"{backend:<10}{name:<10}{on_rps or 0:>15,.0f}{off_rps or 0:>16,.0f}{row['on_over_off'] or 0:>8.3f}"
                  f"{row['on_p99_ms'] or 0:>9.2f}{row['off_p99_ms'] or 0:>9.2f}{row['on_silo_cpu_us'] or 0:>12.1f}{row['off_silo_cpu_us'] or 0:>13.1f}")

    print("\nA reader following GET /v1/changes/stream while the silo with the feed takes turns at full rate (every round)")
    print(f"{'backend':<10}{'round':>6}{'turns/s':>9}{'acknowledged':>14}{'events read':>13}{'lag p50 ms':>12}{'lag p99 ms':>12}{'lag max ms':>12}")
    for line in open(lag_file):
        round_, backend, lag = line.rstrip("\n").split("\t")
        turns = next(run for run in runs[(f"{backend}_silo", "turn_followed")] if run["round"] == round_)
        row = {"backend": backend, "round": int(round_), "turns_rps": turns["rps"],
               "acknowledged": turns["requests"] - turns["non2xx"], **json.loads(lag)}
        report["follower"].append(row)
        print(f"{backend:<10}{row['round']:>6}{row['turns_rps'] or 0:>9,.0f}{row['acknowledged']:>14,}{row['events']:>13,}"
              f"{row['p50_ms'] or 0:>12.1f}{row['p99_ms'] or 0:>12.1f}{row['max_ms'] or 0:>12.1f}")
    with open(out_file, "w") as out:
        json.dump(report, out, indent=2)
        out.write("\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
