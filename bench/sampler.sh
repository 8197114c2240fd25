#!/usr/bin/env bash
# Throughput (images/s, forward, float, batch 8) of TASN's attention sampler at the cpu shapes
# (R 224 -> S 112) and paper shapes (R 512 -> S 224), and of trilinear attention + structure
# map on 512-channel features; one JSON line each. Usage: bench/sampler.sh [seconds per line]
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/_java.sh" tasn.bench.SamplerBench "$@"
