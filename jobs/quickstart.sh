#!/usr/bin/env bash
# The whole pipeline, from a fresh clone, in one command:
#   jobs/quickstart.sh [--output DIR] [--epochs N]                 generated demo data (default DIR: ./demo)
#   jobs/quickstart.sh --data DIR --layout L [--config cpu] ...     your own images
# Steps: generate (demo only) -> ingest -> train TASN -> train the baseline -> score the test
# (or validation) split with both -> export attention samples; then it prints where each
# output is and the accuracy of both models. Every step runs through the jobs/ scripts, so
# SPARK_HOME selects spark-submit exactly as for the single jobs.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="demo"; DATA=""; LAYOUT="imagefolder"; CONFIG="tiny"; EPOCHS=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --output) OUT="$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    --layout) LAYOUT="$2"; shift 2 ;;
    --config) CONFIG="$2"; shift 2 ;;
    --epochs) EPOCHS="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "quickstart: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
command -v java >/dev/null || { echo "quickstart: java not found; install a Java 17 JDK" >&2; exit 2; }
command -v mvn >/dev/null || { echo "quickstart: mvn not found; install Maven 3.8+" >&2; exit 2; }
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
START=$(date +%s)
EPOCH_ARGS=()
if [[ -n "$EPOCHS" ]]; then EPOCH_ARGS=(--epochs "$EPOCHS"); elif [[ -z "$DATA" ]]; then EPOCH_ARGS=(--epochs 4); fi

if [[ -z "$DATA" ]]; then
  echo "== generate: $OUT/images"
  "$HERE/generate.sh" --output "$OUT/images" --classes 6 --per-class 40 --size 80 --seed 1 --splits --overwrite
  DATA="$OUT/images"; LAYOUT="imagefolder"
fi

echo "== ingest: $DATA -> $OUT/shards"
"$HERE/ingest.sh" --input "$DATA" --layout "$LAYOUT" --output "$OUT/shards" --config "$CONFIG" --overwrite

echo "== train TASN: $OUT/run"
"$HERE/train.sh" --data "$OUT/shards" --output "$OUT/run" --config "$CONFIG" "${EPOCH_ARGS[@]}" --overwrite

echo "== train the baseline: $OUT/baseline"
"$HERE/train.sh" --data "$OUT/shards" --output "$OUT/baseline" --config "$CONFIG" "${EPOCH_ARGS[@]}" --baseline --overwrite

echo "== score: $OUT/scores, $OUT/baseline-scores"
"$HERE/score.sh" --model "$OUT/run/model.zip" --input "$OUT/shards" --layout shards --output "$OUT/scores" --overwrite
"$HERE/score.sh" --model "$OUT/baseline/model.zip" --input "$OUT/shards" --layout shards --output "$OUT/baseline-scores" --overwrite

echo "== sample: $OUT/samples"
"$HERE/sample.sh" --model "$OUT/run/model.zip" --input "$OUT/shards" --layout shards --output "$OUT/samples" --limit 24 --random-details 2 --overwrite

top1() { grep -o '"top1" *: *[0-9.eE-]*' "$1" | head -1 | sed 's/.*: *//'; }
echo
echo "quickstart finished in $(( $(date +%s) - START )) s"
echo "  shards:     $OUT/shards   (dataset.json, rejects.csv)"
echo "  TASN run:   $OUT/run      (metrics.jsonl, curves.png, model.zip)"
echo "  baseline:   $OUT/baseline"
echo "  scores:     $OUT/scores/report.json, $OUT/baseline-scores/report.json"
echo "  samples:    $OUT/samples/index.html"
echo "  top-1 accuracy on the held-out images: TASN (master head) $(top1 "$OUT/scores/report.json"), baseline $(top1 "$OUT/baseline-scores/report.json")"
