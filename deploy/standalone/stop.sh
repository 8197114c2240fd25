#!/usr/bin/env bash
# Stops the cluster that deploy/standalone/start.sh started: every process by its PID
# (Workers first, then the Master), and the executors the Workers launched.
#   deploy/standalone/stop.sh [--dir STATE_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="$ROOT/target/standalone"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dir) STATE="$2"; shift 2 ;;
    -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
    *) echo "stop.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ -f "$STATE/pids" ]] || { echo "stop.sh: no cluster recorded in $STATE" >&2; exit 0; }
tac "$STATE/pids" | while read -r name pid; do
  # Executors are children of their Worker: stop them with it.
  pkill -TERM -P "$pid" 2>/dev/null || true
  kill -TERM "$pid" 2>/dev/null || true
done
for _ in $(seq 1 40); do
  alive=0
  while read -r name pid; do kill -0 "$pid" 2>/dev/null && alive=1; done < "$STATE/pids"
  [[ $alive -eq 0 ]] && break
  sleep 0.25
done
while read -r name pid; do kill -KILL "$pid" 2>/dev/null || true; done < "$STATE/pids"
rm -f "$STATE/pids" "$STATE/master-url"
echo "stopped the cluster in $STATE" >&2
