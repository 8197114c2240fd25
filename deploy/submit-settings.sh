# What deploy/yarn/submit.sh and deploy/k8s/submit.sh share, sourced by both (not run on its
# own): the options both take, the checks of sizes and counts, the JVM options of a driver or
# executor, and the Spark settings every tasn job needs. The sourcing script sets ROOT (the
# project root) and defines usage_error (message, exit 2) first.

# Defaults of the shared options (sizes in whole gigabytes; docs/sizing.md explains them).
CONFIG=""; EXECUTORS=4; CORES=2; MEMORY=4g; OVERHEAD=6g; DRIVER_MEMORY=4g; DRIVER_OVERHEAD=4g; DRY_RUN=""

# Prints the comment block at the head of the sourcing script, without the '#' (its --help).
print_help() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; }

need_value() { [[ $# -ge 2 && -n "$2" ]] || usage_error "$1 needs a value"; }

# Takes one shared option from the front of "$@" and sets TAKEN to the number of words it
# used: 0 when the first word is not a shared option.
take_shared_option() {
  TAKEN=2
  case "$1" in
    --jar) need_value "$@"; JAR="$2" ;;
    --config) need_value "$@"; CONFIG="$2" ;;
    --executors) need_value "$@"; EXECUTORS="$2" ;;
    --executor-cores) need_value "$@"; CORES="$2" ;;
    --executor-memory) need_value "$@"; MEMORY="$2" ;;
    --memory-overhead) need_value "$@"; OVERHEAD="$2" ;;
    --driver-memory) need_value "$@"; DRIVER_MEMORY="$2" ;;
    --driver-overhead) need_value "$@"; DRIVER_OVERHEAD="$2" ;;
    --dry-run) DRY_RUN=1; TAKEN=1 ;;
    *) TAKEN=0 ;;
  esac
}

check_count() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || usage_error "$1 $2: expected a whole number of at least 1"; }
check_gigabytes() { [[ "$2" =~ ^[1-9][0-9]*g$ ]] || usage_error "$1 $2: expected whole gigabytes, such as 4g"; }
gigabytes() { echo "${1%g}"; }

# The counts and sizes of the shared options, each refused with its option's name.
check_shared_options() {
  check_count --executors "$EXECUTORS"
  check_count --executor-cores "$CORES"
  local pair
  for pair in "--executor-memory:$MEMORY" "--memory-overhead:$OVERHEAD" "--driver-memory:$DRIVER_MEMORY" \
              "--driver-overhead:$DRIVER_OVERHEAD"; do
    check_gigabytes "${pair%%:*}" "${pair#*:}"
  done
  local overhead
  for overhead in "--memory-overhead:$OVERHEAD" "--driver-overhead:$DRIVER_OVERHEAD"; do
    (( $(gigabytes "${overhead#*:}") >= 2 )) || usage_error "${overhead%%:*} ${overhead#*:}: ND4J needs at least 2g off-heap"
  done
}

# The JVM options of a driver or executor of HEAP and OVERHEAD: the Java 17 flags Spark and
# ND4J need (conf/java17.flags), and JavaCPP's caps on ND4J's off-heap memory derived from the
# container's size. maxbytes caps ND4J's own allocations: the overhead less 1 GB for the JVM's
# other native memory (metaspace, threads, Netty). maxphysicalbytes caps the whole process's
# resident memory: heap + overhead less 1 GB, so JavaCPP frees memory (or fails with a clear
# OutOfMemoryError) before YARN or Kubernetes kills the container.
java_options() {
  local heap overhead
  heap=$(gigabytes "$1"); overhead=$(gigabytes "$2")
  echo "$(grep -v '^#' "$ROOT/conf/java17.flags" | tr '\n' ' ')-Dorg.bytedeco.javacpp.maxbytes=$((overhead - 1))G -Dorg.bytedeco.javacpp.maxphysicalbytes=$((heap + overhead - 1))G"
}

# The Spark settings every tasn job needs come from conf/spark-defaults.conf, the file
# jobs/*.sh and the tests run with (Kryo with ND4J's registrator and ours for Java records, no
# dynamic allocation, task retries, zstd Parquet); the sizes and JVM options the scripts set
# with --conf take precedence over its examples. One training replica per executor core, each
# single-threaded in ND4J: no oversubscription.
SPARK_SETTINGS=(
  --properties-file "$ROOT/conf/spark-defaults.conf"
  --conf spark.executorEnv.OMP_NUM_THREADS=1
)

# Prints COMMAND (an array) ready to copy with --dry-run, or runs it in place of this shell.
run_or_print() {
  if [[ -n "$DRY_RUN" ]]; then
    printf '%q ' "$@"; echo
    exit 0
  fi
  exec "$@"
}
