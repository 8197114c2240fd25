#!/usr/bin/env bash
# Train-job throughput on Spark against the same model fitted in one JVM on the same
# minibatches, IN THE SAME RUN: the train job on local[W] (per-epoch training time including
# its shuffle), then a fresh JVM that assembles exactly the job's minibatches and times only
# ComputationGraph.fit. Prints one JSON line per side and a summary line with the ratio
# spark/one-JVM (goal >= 0.9) and each JVM's peak RSS (local mode: driver and executors share it).
#
#   bench/train_spark.sh                        # toy model, 32 px, 4 classes x 32 images, 3 epochs
#   MODEL=toy SIZE=64 PER_CLASS=64 EPOCHS=4 bench/train_spark.sh
#
# Environment: MODEL (toy: BatchNorm, one 3x3 conv of 6 filters, two heads; wide: two 3x3 convs of 64;
# tasn: the tiny TASN of the tiny configuration, six outputs; use SIZE=64) SIZE CLASSES PER_CLASS EPOCHS WORKERS BATCH FREQUENCY.
# Results also go to bench/out/train_spark-<UTC time>.jsonl.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL="${MODEL:-toy}"; SIZE="${SIZE:-32}"; CLASSES="${CLASSES:-4}"; PER_CLASS="${PER_CLASS:-32}"
EPOCHS="${EPOCHS:-3}"; WORKERS="${WORKERS:-2}"; BATCH="${BATCH:-8}"; FREQUENCY="${FREQUENCY:-2}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$ROOT/bench/out"
OUT="$ROOT/bench/out/train_spark-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
COMMON=(--data "$WORK/data" --run "$WORK/run" --model "$MODEL" --size "$SIZE" --classes "$CLASSES"
        --per-class "$PER_CLASS" --epochs "$EPOCHS" --workers "$WORKERS" --batch "$BATCH" --frequency "$FREQUENCY")
for mode in spark local; do
  "$ROOT/bench/_java.sh" tasn.bench.TrainSparkBenchmark "$mode" "${COMMON[@]}" 2>/dev/null | grep '^{' | tee -a "$OUT"
done
python3 - "$OUT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
spark = next(r for r in rows if r["impl"].startswith("spark"))
local = next(r for r in rows if r["impl"] == "one JVM")
print(json.dumps({"summary": "train_spark", "model": spark["model"],
                  "spark_images_per_s": round(spark["images_per_s"], 2),
                  "one_jvm_images_per_s": round(local["images_per_s"], 2),
                  "ratio_spark_over_one_jvm": round(spark["images_per_s"] / local["images_per_s"], 3),
                  "spark_peak_rss_mib": spark["peak_rss_mib"], "one_jvm_peak_rss_mib": local["peak_rss_mib"],
                  "results_file": sys.argv[1]}))
PY
