"""The --encryption run of scripts/benchmark.sh: what encryption at rest costs, same build, same run.

usage: encryption_report.py RESULTS.tsv OUT.json key=value...
RESULTS.tsv rows as report.py reads them; contenders BACKEND_silo (plain) and BACKEND_enc (ENCRYPTION_KEYS),
scenarios get_hot, turn and get_cold. The issue's bar: turn >= 0.9x and hot GET >= 0.95x of plain; cold GET reported.
"""
import json
import sys

from report import same_build_heading, same_build_runs

SCENARIOS = [("get_hot", "hot GET", 0.95), ("turn", "turn", 0.9), ("get_cold", "cold GET", None)]


def main(results_file, out_file, *pairs):
    settings = dict(pair.split("=", 1) for pair in pairs)
    runs, median = same_build_runs(results_file)

    backends = sorted({contender.rsplit("_", 1)[0] for contender, _ in runs})
    report = {"settings": settings, "cost": []}
    same_build_heading(settings)
    print(f"{'backend':<10}{'scenario':<10}{'plain req/s':>13}{'enc req/s':>11}{'enc/plain':>11}{'bar':>6}"
          f"{'plain p99':>11}{'enc p99':>9}{'plain silo µs':>15}{'enc silo µs':>13}")
    for backend in backends:
        for scenario, name, bar in SCENARIOS:
            plain, enc = median(f"{backend}_silo", scenario, "rps"), median(f"{backend}_enc", scenario, "rps")
            ratio = round(enc / plain, 3) if plain and enc else None
            row = {"backend": backend, "scenario": scenario, "plain_rps": plain, "encrypted_rps": enc, "encrypted_over_plain": ratio,
                   "bar": bar, "meets_bar": None if bar is None or ratio is None else ratio >= bar,
                   "plain_p99_ms": median(f"{backend}_silo", scenario, "p99_ms"), "encrypted_p99_ms": median(f"{backend}_enc", scenario, "p99_ms"),
                   "plain_silo_cpu_us": median(f"{backend}_silo", scenario, "silo_cpu_us"),
                   "encrypted_silo_cpu_us": median(f"{backend}_enc", scenario, "silo_cpu_us")}
            report["cost"].append(row)
            print(f"{backend:<10}{name:<10}{plain or 0:>13,.0f}{enc or 0:>11,.0f}{ratio or 0:>11.3f}{bar or '-':>6}"
                  f"{row['plain_p99_ms'] or 0:>11.2f}{row['encrypted_p99_ms'] or 0:>9.2f}"
                  f"{row['plain_silo_cpu_us'] or 0:>15.1f}{row['encrypted_silo_cpu_us'] or 0:>13.1f}")
    with open(out_file, "w") as out:
        json.dump(report, out, indent=2)
        out.write("\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
