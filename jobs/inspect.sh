#!/usr/bin/env bash
# tasn inspect: see `jobs/inspect.sh --help`. Prints a model summary; starts no Spark context.
exec "$(dirname "${BASH_SOURCE[0]}")/_launch.sh" inspect "$@"
