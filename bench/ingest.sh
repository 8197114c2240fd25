#!/usr/bin/env bash
# Ingest throughput: `bench/ingest.sh [DATA_ROOT]` (default /work/shared/data). Ingests cub10
# (layout cub) and flowers12 (imagefolder) with data.copies=1 at raw size 224 in local[2], and
# times Spark's own image source decoding the same files in the same JVM; one JSON line per
# data set (see bench/README.md).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/_java.sh" tasn.bench.IngestBench "${1:-/work/shared/data}"
