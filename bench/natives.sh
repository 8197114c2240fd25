#!/usr/bin/env bash
# ND4J's native builds against each other and against PyTorch, in one run: the figures behind
# shipping the generic oneDNN build alone (docs/natives.md). For each round, each build runs
# tasn.bench.NativeBuildBench in a fresh JVM on a classpath holding only that build's natives
# (a ResNet-50 training step, a TASN `cpu` training step, TASN `cpu` scoring forward), then
# the PyTorch peers run on the same shapes: bench/torch_train_step.py (torchvision ResNet-50)
# and bench/torch_tasn.py (TASN at the `cpu` preset's shapes, train and infer).
#
#   bench/natives.sh                                # 3 rounds, 5 timed steps, 2 threads
#   BUILDS="onednn onednn-avx2" ROUNDS=1 ITERATIONS=3 THREADS=1 bench/natives.sh
#
# BUILDS: nd4j-native classifiers without the linux-x86_64- prefix; default onednn and
# onednn-avx2, plus onednn-avx512 where this CPU has AVX-512 (on others it dies with SIGILL).
# A build that is not the shipped one is fetched from Maven Central into target/natives.
# Prints one JSON line per measurement (with "round"), then per workload and build a summary:
# the median over rounds, "vs_torch" (torch ms / ours ms: >1 means DL4J faster) and
# "vs_shipped" (the shipped build's ms / this build's ms: >1 means this build is faster).
# Everything also goes to bench/out/natives-<UTC time>.jsonl. Needs bench/setup-torch.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${ROUNDS:-3}"; ITERATIONS="${ITERATIONS:-5}"; WARMUP="${WARMUP:-2}"; THREADS="${THREADS:-2}"
SHIPPED=onednn
if [[ -z "${BUILDS:-}" ]]; then
  BUILDS="onednn onednn-avx2"
  if grep -q -w avx512f /proc/cpuinfo; then BUILDS="$BUILDS onednn-avx512"; fi
fi
PY=/usr/bin/python3
"$PY" -c 'import torch, torchvision' 2>/dev/null \
  || { echo "natives: PyTorch is missing; run bench/setup-torch.sh (as root) first" >&2; exit 2; }
export OMP_NUM_THREADS="$THREADS"

DL4J_VERSION=1.0.0-M2
jar_of() {  # the natives jar of build $1, fetched into target/natives when not in ~/.m2
  local classifier="linux-x86_64-$1"
  local jar="$ROOT/target/natives/nd4j-native-$DL4J_VERSION-$classifier.jar"
  if [[ ! -f "$jar" ]]; then
    (cd "$ROOT" && mvn -B -q dependency:copy -Dartifact="org.nd4j:nd4j-native:$DL4J_VERSION:jar:$classifier" \
        -DoutputDirectory="$ROOT/target/natives") >&2
  fi
  echo "$jar"
}

mkdir -p "$ROOT/bench/out"
OUT="$ROOT/bench/out/natives-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
declare -A JARS
for build in $BUILDS; do JARS[$build]="$(jar_of "$build")"; done
tag() { sed "s/}\$/,\"round\":$1,\"threads\":$THREADS}/" | tee -a "$OUT"; }

for round in $(seq 1 "$ROUNDS"); do
  for build in $BUILDS; do
    ND4J_NATIVES_JAR="${JARS[$build]}" "$ROOT/bench/_java.sh" tasn.bench.NativeBuildBench "$ITERATIONS" "$WARMUP" 2>/dev/null \
      | grep '^{' | sed "s/}\$/,\"requested_build\":\"linux-x86_64-$build\"}/" | tag "$round"
  done
  "$PY" "$ROOT/bench/torch_train_step.py" --batch 8 --size 224 --warmup "$WARMUP" --iterations "$ITERATIONS" \
      --threads "$THREADS" | grep '^{' | sed 's/^{/{"workload":"resnet50_step",/' | tag "$round"
  for mode in train infer; do
    "$PY" "$ROOT/bench/torch_tasn.py" --mode "$mode" --batch 16 --warmup "$WARMUP" --iterations "$ITERATIONS" \
        --threads "$THREADS" | grep '^{' | sed "s/^{/{\"workload\":\"tasn_$([[ $mode == train ]] && echo step || echo infer)\",/" \
        | tag "$round"
  done
done

"$PY" - "$OUT" "linux-x86_64-$SHIPPED" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
shipped = sys.argv[2]
for r in rows:
    if r.get("impl") == "dl4j" and r["native_build"] != r["requested_build"]:
        sys.exit(f"natives: asked for {r['requested_build']} but the JVM mapped {r['native_build']}")
torch = {(r["workload"], r["round"]): r["ms_per_step"] for r in rows if r.get("impl") == "torch"}
def med(xs): return statistics.median(xs) if xs else None
ours = {}
for r in rows:
    if r.get("impl") == "dl4j":
        ours.setdefault((r["workload"], r["native_build"]), []).append(r)
for (workload, build), rs in sorted(ours.items()):
    base = {x["round"]: x["ms_per_step"] for x in ours.get((workload, shipped), [])}
    vs_torch = [torch[(workload, x["round"])] / x["ms_per_step"] for x in rs if (workload, x["round"]) in torch]
    vs_shipped = [base[x["round"]] / x["ms_per_step"] for x in rs if x["round"] in base]
    print(json.dumps({
        "summary": workload, "native_build": build, "rounds": len(rs),
        "ms_per_step": med([x["ms_per_step"] for x in rs]),
        "cpu_ms_per_step": med([x["cpu_ms_per_step"] for x in rs]),
        "images_per_s": med([x["images_per_s"] for x in rs]),
        "peak_rss_mib": max(x["peak_rss_mib"] for x in rs),
        "vs_torch": round(med(vs_torch), 3) if vs_torch else None,
        "vs_shipped": round(med(vs_shipped), 3) if vs_shipped else None,
    }))
print(json.dumps({"results_file": sys.argv[1]}))
PY
