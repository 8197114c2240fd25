#!/usr/bin/env bash
# Keeps the records of finished accuracy pairs, small enough to commit, so that a summary over
# seeds can be made again after the run directories are gone (a later session, another machine):
#
#   bench/keep_runs.sh DEST SEED_DIR...
#   bench/keep_runs.sh bench/results/runs/flowers12-sketchaug /work/acc/seed-7/flowers12 /work/acc/seed-3/flowers12
#   bench/_java.sh tasn.bench.SeedSpread flowers12 out.png bench/results/runs/flowers12-sketchaug/seed-*
#
# SEED_DIR is one data set's directory of bench/accuracy.sh (WORK/<set>) or of
# bench/accuracy_seeds.sh (WORK/seed-N/<set>), with both runs finished and the test split scored.
# Each goes to DEST/seed-N (N read from the TASN run's config.conf) in the layout that
# tasn.bench.SeedSpread and tasn.bench.AccuracyReport read:
#   tasn/, baseline/                       config.conf (the resolved training config), metrics.jsonl
#   tasn-test-predictions/, baseline-test-predictions/    predictions.csv
#   tasn.time, baseline.time               /usr/bin/time -v of the training (minutes, peak RSS)
#   ingest/                                config.conf and dataset.json of the shards (the recipe's data side)
# Nothing is written for a SEED_DIR that lacks one of these (exit 2, naming the file); an existing
# DEST/seed-N is refused rather than replaced. Each copy is made under a temporary name and renamed.
set -euo pipefail
if [[ $# -lt 2 ]]; then
  echo "usage: bench/keep_runs.sh DEST SEED_DIR...  (each SEED_DIR with finished tasn/ and baseline/ runs)" >&2
  exit 2
fi
DEST="$1"; shift
FILES=(tasn/config.conf tasn/metrics.jsonl baseline/config.conf baseline/metrics.jsonl
       tasn-test-predictions/predictions.csv baseline-test-predictions/predictions.csv
       tasn.time baseline.time shards/config.conf shards/dataset.json)

seed_of() { # the top-level `seed` of a resolved config.conf (HOCON, written by the train job)
  sed -n 's/^seed[[:space:]]*[=:][[:space:]]*\([0-9][0-9]*\).*/\1/p' "$1" | head -n 1
}

# Check every SEED_DIR before copying any, so that a bad argument leaves DEST as it was.
targets=()
for dir in "$@"; do
  for f in "${FILES[@]}"; do
    [[ -f "$dir/$f" ]] || { echo "bench/keep_runs.sh: $dir/$f is missing; keep only pairs that bench/accuracy.sh finished (both runs trained, the test split scored)" >&2; exit 2; }
  done
  [[ -f "$dir/tasn/model.zip" && -f "$dir/baseline/model.zip" ]] \
    || { echo "bench/keep_runs.sh: $dir has a run without model.zip (unfinished); finish it with bench/accuracy.sh first" >&2; exit 2; }
  seed="$(seed_of "$dir/tasn/config.conf")"
  [[ -n "$seed" ]] || { echo "bench/keep_runs.sh: $dir/tasn/config.conf has no top-level seed" >&2; exit 2; }
  [[ "$(seed_of "$dir/baseline/config.conf")" == "$seed" ]] \
    || { echo "bench/keep_runs.sh: $dir: the TASN and baseline runs were trained with different seeds" >&2; exit 2; }
  target="$DEST/seed-$seed"
  [[ ! -e "$target" ]] || { echo "bench/keep_runs.sh: $target exists; delete it to keep $dir in its place" >&2; exit 2; }
  for t in "${targets[@]}"; do
    [[ "$t" != "$target" ]] || { echo "bench/keep_runs.sh: two SEED_DIRs have seed $seed; keep them under different DESTs" >&2; exit 2; }
  done
  targets+=("$target")
done

mkdir -p "$DEST"
i=0
for dir in "$@"; do
  target="${targets[$i]}"; i=$((i + 1))
  tmp="$(mktemp -d "$DEST/.keeping.XXXXXX")"
  for f in "${FILES[@]}"; do
    to="$tmp/${f/#shards\//ingest/}"
    mkdir -p "$(dirname "$to")"
    cp "$dir/$f" "$to"
  done
  mv "$tmp" "$target"
  echo "bench/keep_runs.sh: $dir -> $target" >&2
done
