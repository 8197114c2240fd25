#!/usr/bin/env bash
# tasn train: see `jobs/train.sh --help`. Runs on spark-submit when SPARK_HOME is set, else on an embedded local Spark.
exec "$(dirname "${BASH_SOURCE[0]}")/_launch.sh" train "$@"
