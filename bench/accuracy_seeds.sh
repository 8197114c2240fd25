#!/usr/bin/env bash
# The accuracy benchmark repeated over training seeds: bench/accuracy.sh once per seed on the
# same shards (one ingest, shared), so that only the training seed changes between repeats
# (initial weights, which augmentation copy each epoch reads, batch order). Prints each seed's
# JSON line from bench/accuracy.sh, then one summary line per data set (tasn.bench.SeedSpread):
# mean test top-1 of TASN's master head and of the baseline, their spread between seeds, and the
# mean gain with Welch's 95% interval; draws WORK/<set>-seeds.png.
#
#   SEEDS="42 7 3" bench/accuracy_seeds.sh cub10
#   bench/accuracy_seeds.sh                   # both data sets, seeds 42 7 3
#
# Environment: SEEDS (default "42 7 3"), WORK (default bench/out/accuracy-seeds), and
# bench/accuracy.sh's DATA_ROOT, EPOCHS_<set>, COPIES and SET (SET must not hold seed=).
# Layout: WORK/seed-N/<set>/{shards,baseline,tasn,...}; the first seed's shards are the ingest,
# the other seeds' are links to it. Runs that finished are kept; a killed one is resumed when
# the script is started again.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${WORK:-$ROOT/bench/out/accuracy-seeds}"
read -r -a SEED_LIST <<< "${SEEDS:-42 7 3}"
for s in "${SEED_LIST[@]}"; do
  [[ "$s" =~ ^[0-9]+$ ]] || { echo "bench/accuracy_seeds.sh: SEEDS holds '$s'; give whole numbers, e.g. SEEDS=\"42 7 3\"" >&2; exit 2; }
done
if [[ " ${SET:-} " == *" seed="* ]]; then
  echo "bench/accuracy_seeds.sh: SET holds seed=...; give the seeds in SEEDS instead" >&2; exit 2
fi
if [[ $# -eq 0 ]]; then set -- cub10 flowers12; fi
mkdir -p "$WORK"

for set_name in "$@"; do
  dirs=()
  first="$WORK/seed-${SEED_LIST[0]}/$set_name"
  for s in "${SEED_LIST[@]}"; do
    seed_work="$WORK/seed-$s"
    mkdir -p "$seed_work/$set_name"
    # The first seed's directory holds the ingest; the others link to it, so the shards (and
    # their augmentation copies) are the same whatever the training seed. The seed reaches the
    # trainings only (TRAIN_SET), not the ingest.
    if [[ "$seed_work/$set_name" != "$first" && ! -e "$seed_work/$set_name/shards" ]]; then
      ln -s "$first/shards" "$seed_work/$set_name/shards"
    fi
    WORK="$seed_work" TRAIN_SET="seed=$s" "$ROOT/bench/accuracy.sh" "$set_name"
    dirs+=("$seed_work/$set_name")
  done
  "$ROOT/bench/_java.sh" tasn.bench.SeedSpread "$set_name" "$WORK/$set_name-seeds.png" "${dirs[@]}" | grep '^{'
done
