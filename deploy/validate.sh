#!/usr/bin/env bash
# Checks the deployment assets without a cluster or a Docker engine: every kustomize overlay renders,
# every YAML passes yamllint (sources and rendered output), the Prometheus config and alert rules pass promtool,
# and docker-compose.yml has the services and only the environment variables of the contract.
set -euo pipefail
cd "$(dirname "$0")/.."

ok() { echo "ok   $*"; }
fail() { echo "FAIL $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null || fail "$1 is missing (install: $2)"; }

need kubectl "kubectl 1.32+"
need yamllint "apt-get install yamllint"
need promtool "apt-get install prometheus"
need python3 "apt-get install python3"

rendered=$(mktemp -d)
trap 'rm -rf "$rendered"' EXIT

for overlay in deploy/k8s/overlays/*/; do
  name=$(basename "$overlay")
  kubectl kustomize "$overlay" >"$rendered/$name.yaml" || fail "kustomize $overlay"
  ok "kustomize renders $overlay ($(grep -c '^kind:' "$rendered/$name.yaml") objects)"
done

yamllint -c deploy/.yamllint deploy docker-compose.yml || fail "yamllint of the sources"
ok "yamllint deploy/ docker-compose.yml"
yamllint -d '{extends: relaxed, rules: {line-length: {max: 200}}}' "$rendered" || fail "yamllint of the rendered manifests"
ok "yamllint of the rendered manifests"

promtool check config deploy/prometheus/prometheus.yml >/dev/null || fail "promtool check config"
ok "promtool check config deploy/prometheus/prometheus.yml"
promtool check rules deploy/prometheus/alerts.yml >/dev/null || fail "promtool check rules"
ok "promtool check rules deploy/prometheus/alerts.yml"

python3 -m json.tool deploy/grafana/botstate-dashboard.json >/dev/null || fail "Grafana dashboard is not JSON"
ok "Grafana dashboard is valid JSON"

python3 deploy/check_compose.py docker-compose.yml || fail "docker-compose.yml structure"
ok "docker-compose.yml structure and environment names"
