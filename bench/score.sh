#!/usr/bin/env bash
# Scoring throughput through Spark local[2] against the same model's batched scoring in one JVM
# (same run; goal: ratio >= 0.9), and the sample export's throughput; one JSON line each.
# Usage: bench/score.sh [config: tiny|cpu|paper, default tiny] [images, default 256]
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/_java.sh" tasn.bench.ScoreBench "$@"
