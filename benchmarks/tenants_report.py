"""The --tenants run of scripts/benchmark.sh: what API keys cost, and what one tenant's flood does to another.

usage: tenants_report.py RESULTS.tsv OUT.json key=value...
RESULTS.tsv rows as report.py reads them; contenders BACKEND_silo (open) and BACKEND_keyed (API_KEYS_FILE),
scenarios get_hot and turn, and on the keyed silo calm_alone, calm_flooded and flood (the flooding tenant's wrk).
"""
import json
import sys

from report import same_build_heading, same_build_runs

SCENARIOS = [("get_hot", "hot GET"), ("turn", "turn")]


def main(results_file, out_file, *pairs):
    settings = dict(pair.split("=", 1) for pair in pairs)
    runs, median = same_build_runs(results_file)

    backends = sorted({contender.rsplit("_", 1)[0] for contender, _ in runs})
    report = {"settings": settings, "cost": [], "flood": []}
    same_build_heading(settings)
    print(f"{'backend':<10}{'scenario':<10}{'open req/s':>12}{'keyed req/s':>13}{'keyed/open':>12}{'open p99':>10}{'keyed p99':>11}"
          f"{'open silo µs':>14}{'keyed silo µs':>15}")
    for backend in backends:
        for scenario, name in SCENARIOS:
            open_rps, keyed_rps = median(f"{backend}_silo", scenario, "rps"), median(f"{backend}_keyed", scenario, "rps")
            ratio = round(keyed_rps / open_rps, 3) if open_rps and keyed_rps else None
            row = {"backend": backend, "scenario": scenario, "open_rps": open_rps, "keyed_rps": keyed_rps, "keyed_over_open": ratio,
                   "open_p99_ms": median(f"{backend}_silo", scenario, "p99_ms"), "keyed_p99_ms": median(f"{backend}_keyed", scenario, "p99_ms"),
                   "open_silo_cpu_us": median(f"{backend}_silo", scenario, "silo_cpu_us"), "keyed_silo_cpu_us": median(f"{backend}_keyed", scenario, "silo_cpu_us")}
            report["cost"].append(row)
            print(f"{backend:<10}{name:<10}{open_rps or 0:>12,.0f}{keyed_rps or 0:>13,.0f}{ratio or 0:>12.3f}"
                  f"{row['open_p99_ms'] or 0:>10.2f}{row['keyed_p99_ms'] or 0:>11.2f}"
                  f"{row['open_silo_cpu_us'] or 0:>14.1f}{row['keyed_silo_cpu_us'] or 0:>15.1f}")
    print(f"\nTenant bench's hot GET on the keyed silo, alone and while tenant flood (limit {settings['flood_limit']}/s) floods it")
    print(f"{'backend':<10}{'alone req/s':>12}{'alone p99':>11}{'flooded req/s':>15}{'flooded p99':>13}{'non-2xx':>9}{'flood req/s':>13}{'flood 429s':>12}")
    for backend in backends:
        contender = f"{backend}_keyed"
        row = {"backend": backend,
               "alone_rps": median(contender, "calm_alone", "rps"), "alone_p99_ms": median(contender, "calm_alone", "p99_ms"),
               "flooded_rps": median(contender, "calm_flooded", "rps"), "flooded_p99_ms": median(contender, "calm_flooded", "p99_ms"),
               "flooded_non2xx": median(contender, "calm_flooded", "non2xx"),
               "flood_rps": median(contender, "flood", "rps"), "flood_refused": median(contender, "flood", "non2xx")}
        report["flood"].append(row)
        print(f"{backend:<10}{row['alone_rps'] or 0:>12,.0f}{row['alone_p99_ms'] or 0:>11.2f}{row['flooded_rps'] or 0:>15,.0f}"
              f"{row['flooded_p99_ms'] or 0:>13.2f}{row['flooded_non2xx'] or 0:>9.0f}{row['flood_rps'] or 0:>13,.0f}{row['flood_refused'] or 0:>12.0f}")
    with open(out_file, "w") as out:
        json.dump(report, out, indent=2)
        out.write("\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
