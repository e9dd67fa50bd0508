"""Checks docker-compose.yml without Docker: the services exist, silos scale, and every environment
variable the service containers get is one the processes read (README "Configuration").

Reads YAML with the standard library only: the compose file keeps to a simple block style
(mappings, lists, anchors for the shared environment), which is all this needs to understand.
"""
import re
import sys

CONTRACT = {
    "DB_URL", "DB_POOL_SIZE", "METRICS_ENABLED", "LOG_LEVEL", "LOG_FORMAT", "READINESS_TIMEOUT",
    "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID", "CLUSTERING", "SILO_PORT", "GATEWAY_PORT",
    "ADVERTISED_IP", "POD_IP", "ASPNETCORE_URLS", "API_KEYS", "DASHBOARD_ENABLED",
    "DASHBOARD_USERNAME", "DASHBOARD_PASSWORD", "DASHBOARD_ALLOW_ANONYMOUS", "HISTORY_LIMIT", "MAX_BODY_BYTES",
    "STATE_TTL", "HISTORY_TTL", "TOMBSTONE_TTL", "RETENTION_SWEEP_INTERVAL",
}
OUR_SERVICES = ("migrate", "silo", "gateway")


def blocks(lines, indent):
    """Top-level keys at `indent` spaces and the lines under each."""
    result, key = {}, None
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        width = len(line) - len(line.lstrip())
        match = re.match(r"^ {%d}([A-Za-z0-9_.-]+):" % indent, line)
        if width == indent and match:
            key = match.group(1)
            result[key] = []
        elif key is not None and width > indent:
            result[key].append(line)
    return result


def environment_names(service_lines, anchors):
    names = set()
    env = blocks(service_lines, 4).get("environment", [])
    for line in env:
        merge = re.match(r"^\s+<<: \*([\w-]+)", line)
        if merge:
            names |= anchors[merge.group(1)]
            continue
        match = re.match(r"^\s{6}([A-Z_][A-Z0-9_]*):", line)
        if match:
            names.add(match.group(1))
    return names


def main(path):
    lines = open(path, encoding="utf-8").read().splitlines()
    top = blocks(lines, 0)
    anchors = {}
    for key, body in top.items():
        for line in lines:
            match = re.match(r"^%s: &([\w-]+)" % re.escape(key), line)
            if match:
                anchors[match.group(1)] = {m.group(1) for m in (re.match(r"^\s{2}([A-Z_][A-Z0-9_]*):", b) for b in body) if m}
    services = blocks(top.get("services", []), 2)
    problems = []
    for required in ("postgres",) + OUR_SERVICES:
        if required not in services:
            problems.append("service %s is missing" % required)
    for name in OUR_SERVICES:
        unknown = environment_names(services.get(name, []), anchors) - CONTRACT
        if unknown:
            problems.append("service %s sets variables the processes do not read: %s" % (name, ", ".join(sorted(unknown))))
    silo = blocks(services.get("silo", []), 4)
    if "container_name" in silo or "ports" in silo:
        problems.append("service silo has container_name or host ports, so --scale silo=N cannot work")
    if "migrate" in services and 'command: ["migrate"]' not in "\n".join(services["migrate"]):
        problems.append('service migrate does not run the "migrate" command')
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
