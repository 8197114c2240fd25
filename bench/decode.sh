#!/usr/bin/env bash
# Decode + eval-view throughput, one thread: our ImageDecoder (OpenCV) against ImageIO + Java2D,
# on the real photographs in ../shared/data. Prints one JSON line per (folder, pipeline).
# Usage: bench/decode.sh [SIZE=224] [SECONDS=10] [FOLDER...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZE="${1:-224}"
SECONDS_PER_RUN="${2:-10}"
shift $(( $# < 2 ? $# : 2 ))
DATA="${TASN_SHARED_DATA:-$ROOT/../shared/data}"
if [[ $# -eq 0 ]]; then
  set -- "$DATA/cub10/images" "$DATA/flowers12"
fi
for folder in "$@"; do
  [[ -d "$folder" ]] || { echo "bench/decode.sh: no folder $folder (set TASN_SHARED_DATA or pass folders)" >&2; exit 2; }
done
echo "{\"load_average\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"cores\":$(nproc)}"
exec "$ROOT/bench/_java.sh" tasn.bench.DecodeBenchmark "$SIZE" "$SECONDS_PER_RUN" "$@"
