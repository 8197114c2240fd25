#!/usr/bin/env bash
# The whole pipeline on generated demo data, from a fresh clone:
#   jobs/quickstart.sh [--output DIR]        (default DIR: ./demo)
# 1. generate: a synthetic fine-grained data set (classes differ only in a small mark)
# 2. ingest:   decode and augment it into Parquet shards with the `tiny` configuration
# Every step uses the jobs/ scripts, so SPARK_HOME selects spark-submit as everywhere else.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="demo"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --output) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "quickstart: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
START=$(date +%s)

echo "== 1/2 generate: $OUT/images"
"$HERE/generate.sh" --output "$OUT/images" --classes 10 --per-class 40 --size 96 --seed 1 --splits --overwrite

echo "== 2/2 ingest: $OUT/shards"
"$HERE/ingest.sh" --input "$OUT/images" --layout imagefolder --output "$OUT/shards" --config tiny --overwrite

echo
echo "quickstart finished in $(( $(date +%s) - START )) s"
echo "  images:  $OUT/images"
echo "  shards:  $OUT/shards  (dataset.json, rejects.csv, train/ val/ test/)"
