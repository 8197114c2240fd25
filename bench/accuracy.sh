#!/usr/bin/env bash
# Accuracy on real photographs: TASN against its baseline, trained from scratch with the `cpu`
# configuration on the same shards (same augmentation copies, same epochs, same schedule),
# evaluated on each data set's test split after every epoch. For each data set: ingest (once),
# train the baseline, train TASN, score the test split with both final models (jobs/score.sh),
# then print one JSON line per data set with the final-epoch test top-1 of TASN's master head
# and of the baseline, their image-by-image comparison on the test split (McNemar's exact p),
# and draw WORK/<set>.png.
#
#   bench/accuracy.sh                     # both data sets, one after the other
#   bench/accuracy.sh cub10               # one of them
#
# Environment:
#   DATA_ROOT   where flowers12/ and cub10/ are (default: ../shared/data beside the repository)
#   WORK        ingest outputs and run directories (default: bench/out/accuracy)
#   EPOCHS_flowers12, EPOCHS_cub10   epochs per data set (defaults 15 and 40: each TASN run
#               within about an hour on 2 cores)
#   COPIES      augmentation copies per training image written by ingest (default 8); epoch e
#               reads copy e mod COPIES, so a run sees COPIES different views of each image
#   SET         extra `--set key=value` words for the ingest and both trainings (the same for
#               TASN and the baseline); give a fresh WORK when they change data.* keys
#   TRAIN_SET   extra `--set key=value` words for both trainings only, not the ingest (for
#               example TRAIN_SET="seed=7": another training seed on the same shards)
# A killed run is continued with --resume when the script is started again; a finished run
# (model.zip present) is not trained again.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_ROOT="${DATA_ROOT:-$(cd "$ROOT/.." && pwd)/shared/data}"
WORK="${WORK:-$ROOT/bench/out/accuracy}"
COPIES="${COPIES:-8}"
read -r -a EXTRA <<< "${SET:-}"
SETS=()
for kv in "${EXTRA[@]}"; do SETS+=(--set "$kv"); done
read -r -a TRAIN_EXTRA <<< "${TRAIN_SET:-}"
TRAIN_SETS=("${SETS[@]}")
for kv in "${TRAIN_EXTRA[@]}"; do TRAIN_SETS+=(--set "$kv"); done
if [[ $# -eq 0 ]]; then set -- cub10 flowers12; fi
mkdir -p "$WORK"

layout_of() {
  case "$1" in
    cub10) echo cub ;;
    flowers12) echo imagefolder ;;
    *) echo "bench/accuracy.sh: unknown data set '$1'; give cub10 or flowers12" >&2; exit 2 ;;
  esac
}

train() { # train DATASET NAME [--baseline]
  local data="$WORK/$1/shards" run="$WORK/$1/$2" epochs_var="EPOCHS_$1"
  local epochs="${!epochs_var:-}"
  [[ -n "$epochs" ]] || { [[ "$1" == cub10 ]] && epochs=40 || epochs=15; }
  if [[ -f "$run/model.zip" ]]; then
    echo "bench/accuracy.sh: $run is finished; delete it to train again" >&2
    return
  fi
  # A resumed run keeps its own config.conf (and its --baseline): only the epochs are restated.
  local mode=(--output "$run" --config cpu "${@:3}")
  if [[ -d "$run/checkpoints" ]]; then mode=(--output "$run" --resume); elif [[ -e "$run" ]]; then mode+=(--overwrite); fi
  /usr/bin/time -v -o "$run.time" "$ROOT/jobs/train.sh" --data "$data" "${mode[@]}" \
      --epochs "$epochs" "${TRAIN_SETS[@]}" >> "$run.log" 2>&1 \
    || { echo "bench/accuracy.sh: training $run failed; see $run.log" >&2; exit 1; }
}

score_test() { # score_test DATASET NAME: the final model's predictions on the test split alone
  local view="$WORK/$1/test-split" out="$WORK/$1/$2-test-predictions"
  [[ -f "$out/predictions.csv" ]] && return
  mkdir -p "$view"  # a shards folder holding only dataset.json and test/, so that val is not scored
  ln -sfn "$(cd "$WORK/$1/shards" && pwd -P)/dataset.json" "$view/dataset.json"
  ln -sfn "$(cd "$WORK/$1/shards" && pwd -P)/test" "$view/test"
  "$ROOT/jobs/score.sh" --model "$WORK/$1/$2/model.zip" --input "$view" --layout shards --output "$out" --overwrite \
      > "$out.log" 2>&1 || { echo "bench/accuracy.sh: scoring with $WORK/$1/$2 failed; see $out.log" >&2; exit 1; }
}

for set_name in "$@"; do
  layout="$(layout_of "$set_name")"
  [[ -d "$DATA_ROOT/$set_name" ]] || { echo "bench/accuracy.sh: no $DATA_ROOT/$set_name; set DATA_ROOT" >&2; exit 2; }
  mkdir -p "$WORK/$set_name"
  if [[ ! -f "$WORK/$set_name/shards/dataset.json" ]]; then
    "$ROOT/jobs/ingest.sh" --input "$DATA_ROOT/$set_name" --layout "$layout" --output "$WORK/$set_name/shards" \
        --overwrite --config cpu --set "data.copies=$COPIES" "${SETS[@]}" > "$WORK/$set_name/ingest.log" 2>&1 \
      || { echo "bench/accuracy.sh: ingest of $set_name failed; see $WORK/$set_name/ingest.log" >&2; exit 1; }
  fi
  train "$set_name" baseline --baseline
  train "$set_name" tasn
  score_test "$set_name" tasn
  score_test "$set_name" baseline
  "$ROOT/bench/_java.sh" tasn.bench.AccuracyReport "$set_name" "$WORK/$set_name/tasn" "$WORK/$set_name/baseline" \
      "$WORK/$set_name.png" "$WORK/$set_name/tasn-test-predictions/predictions.csv" \
      "$WORK/$set_name/baseline-test-predictions/predictions.csv" | grep '^{'
done
