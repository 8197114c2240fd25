#!/usr/bin/env bash
# One training step (forward, backward, SGD update) of a pre-activation ResNet-50 in DL4J,
# in each configuration, against torchvision's ResNet-50 in PyTorch (2 threads), IN THE SAME
# RUN: same batch, image size, classes, warm-up and iteration counts; each configuration in a
# fresh process so its peak RSS is its own. Prints one JSON line per measurement, then one
# summary line per configuration with the ratio ours/torch (images/s; >1 means DL4J faster).
#
#   bench/train_step.sh                      # batch 8, 224 px, warm-up 3, 10 iterations, 1 round
#   ROUNDS=3 CONFIGS="helpers device" bench/train_step.sh
#   PROFILE=1 CONFIGS=device bench/train_step.sh   # adds a per-layer-type time breakdown (JFR)
#
# Environment: BATCH SIZE WARMUP ITERATIONS ROUNDS CONFIGS (default|helpers|device|fused),
# THREADS (both sides, default 2), NICE (e.g. -10: run both sides at a higher priority on a
# machine shared with other work; needs root). Needs PyTorch: bench/setup-torch.sh installs it.
# Results also go to bench/out/train_step-<UTC time>.jsonl.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BATCH="${BATCH:-8}"; SIZE="${SIZE:-224}"; WARMUP="${WARMUP:-3}"; ITERATIONS="${ITERATIONS:-10}"
ROUNDS="${ROUNDS:-1}"; CONFIGS="${CONFIGS:-default helpers device fused}"; THREADS="${THREADS:-2}"
PY=/usr/bin/python3
if ! "$PY" -c 'import torch, torchvision' 2>/dev/null; then
  echo "train_step: PyTorch is missing; run bench/setup-torch.sh (as root) first" >&2
  exit 2
fi
mkdir -p "$ROOT/bench/out"
OUT="$ROOT/bench/out/train_step-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
COMMON=(--batch "$BATCH" --size "$SIZE" --warmup "$WARMUP" --iterations "$ITERATIONS")
export OMP_NUM_THREADS="$THREADS"
RUN=(); if [[ -n "${NICE:-}" ]]; then RUN=(nice -n "$NICE"); fi

for round in $(seq 1 "$ROUNDS"); do
  for config in $CONFIGS; do
    extra=()
    if [[ -n "${PROFILE:-}" ]]; then extra=(--profile "$ROOT/bench/out/train_step-$config-r$round.jfr"); fi
    "${RUN[@]}" "$ROOT/bench/_java.sh" tasn.bench.TrainStepBenchmark "$config" "${COMMON[@]}" "${extra[@]}" 2>/dev/null \
      | grep '^{' | sed "s/}\$/,\"round\":$round}/" | tee -a "$OUT"
  done
  "${RUN[@]}" "$PY" "$ROOT/bench/torch_train_step.py" "${COMMON[@]}" --threads "$THREADS" \
    | sed "s/}\$/, \"round\": $round}/" | tee -a "$OUT"
done

# Summary: per configuration, the median over rounds of (torch ms/step / dl4j ms/step).
"$PY" - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
torch = {r["round"]: r for r in rows if r["impl"] == "torch"}
configs = []
for r in rows:
    if r["impl"] == "dl4j" and r["config"] not in configs:
        configs.append(r["config"])
for c in configs:
    mine = [r for r in rows if r["impl"] == "dl4j" and r["config"] == c and r["round"] in torch]
    ratios = [torch[r["round"]]["ms_per_step"] / r["ms_per_step"] for r in mine]
    cpu_ratios = [torch[r["round"]]["cpu_ms_per_step"] / r["cpu_ms_per_step"] for r in mine]
    print(json.dumps({
        "summary": c, "rounds": len(mine),
        "ms_per_step": statistics.median(r["ms_per_step"] for r in mine),
        "images_per_s": statistics.median(r["images_per_s"] for r in mine),
        "torch_ms_per_step": statistics.median(torch[r["round"]]["ms_per_step"] for r in mine),
        "ratio_ours_over_torch": round(statistics.median(ratios), 3),
        "cpu_ratio_ours_over_torch": round(statistics.median(cpu_ratios), 3),
        "peak_rss_mib": max(r["peak_rss_mib"] for r in mine),
        "torch_peak_rss_mib": max(torch[r["round"]]["peak_rss_mib"] for r in mine),
    }))
print(json.dumps({"results_file": sys.argv[1]}))
PY
