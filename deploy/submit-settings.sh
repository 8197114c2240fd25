# What deploy/yarn/submit.sh and deploy/k8s/submit.sh share, sourced by both (not run on its
# own): the options both take, the checks of sizes and counts, the JVM options of a driver or
# executor, the spark-submit options a user passes through, and the Spark settings every tasn
# job needs, layered on the cluster's own (deploy/spark-submit-common.sh, shared with
# jobs/_launch.sh). The sourcing script sets ROOT (the project root) and defines usage_error
# (message, exit 2) first.
source "$ROOT/deploy/spark-submit-common.sh"

# Defaults of the shared options (sizes in whole gigabytes; docs/sizing.md explains them).
CONFIG=""; EXECUTORS=4; CORES=2; MEMORY=4g; OVERHEAD=6g; DRIVER_MEMORY=4g; DRIVER_OVERHEAD=4g; DRY_RUN=""

# Prints the comment block at the head of the sourcing script, without the '#' (its --help).
print_help() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; }

need_value() { [[ $# -ge 2 && -n "$2" ]] || usage_error "$1 needs a value"; }

# The options of the scripts that take a value (the shared ones, and each script's own added
# by it): `--opt=VALUE` is split into `--opt VALUE` before they are read, as spark-submit does.
SCRIPT_VALUE_OPTIONS=(--jar --config --executors --num-executors --executor-cores --executor-memory
  --memory-overhead --driver-memory --driver-overhead)
is_script_value_option() { [[ " ${SCRIPT_VALUE_OPTIONS[*]} " == *" $1 "* ]]; }

# Takes one shared option from the front of "$@" and sets TAKEN to the number of words it
# used: 0 when the first word is not a shared option.
take_shared_option() {
  TAKEN=2
  case "$1" in
    --jar) need_value "$@"; JAR="$2" ;;
    --config) need_value "$@"; CONFIG="$2" ;;
    --executors|--num-executors) need_value "$@"; EXECUTORS="$2" ;;
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

# MEMORY_SETTINGS: the off-heap room of the driver's and executors' containers and their JVM
# options with JavaCPP's caps derived from the sizes (java_options); $1, when given, is added to
# both JVMs' options (k8s: JavaCPP's cache folder).
memory_settings() {
  local extra="${1:+ $1}"
  MEMORY_SETTINGS=(
    "spark.executor.memoryOverhead=$OVERHEAD"
    "spark.driver.memoryOverhead=$DRIVER_OVERHEAD"
    "spark.executor.extraJavaOptions=$(java_options "$MEMORY" "$OVERHEAD")$extra"
    "spark.driver.extraJavaOptions=$(java_options "$DRIVER_MEMORY" "$DRIVER_OVERHEAD")$extra")
}

# Takes one spark-submit option the script does not handle itself from the front of "$@"
# into SUBMIT_PASS (TAKEN words; 0: none): the user's --jars, --packages, --files, --conf,
# --properties-file, --principal, --keytab, --driver-java-options, --verbose, ... reach
# spark-submit unchanged. --version (Spark's) is refused: it would submit nothing.
take_passed_option() {
  if [[ "$1" == --version ]]; then usage_error "--version: run \$SPARK_HOME/bin/spark-submit --version for Spark's version"; fi
  take_submit_option "$@"
}

# The Spark settings of the job, as --conf words in LAYERED_CONF: conf/spark-defaults.conf
# (Kryo with ND4J's registrator and ours for Java records, no dynamic allocation, the log4j2
# plugin, task retries, zstd Parquet) and the SETTINGS the script computes (KEY=VALUE: sizes
# and JVM options, which replace the file's), layered on the cluster's spark-defaults.conf as
# deploy/spark-submit-common.sh says; OPTIONS are every spark-submit option of the command
# (the script's and the user's), whose settings win. One training replica per executor core,
# each single-threaded in ND4J: no oversubscription (OMP_NUM_THREADS=1).
#   job_spark_settings SETTINGS... -- OPTIONS...
job_spark_settings() {
  PROJECT_OVERRIDES=(spark.executorEnv.OMP_NUM_THREADS=1)
  while [[ $# -gt 0 && "$1" != -- ]]; do PROJECT_OVERRIDES+=("$1"); shift; done
  shift
  spark_layered_conf "$@"
}

# Removes every `OPTION VALUE` pair from SUBMIT_PASS and sets TAKEN_OUT to their values,
# comma-separated (for --files, which the YARN script adds to).
take_out_option() {
  local i kept=()
  TAKEN_OUT=""
  for (( i = 0; i < ${#SUBMIT_PASS[@]}; i++ )); do
    if [[ "${SUBMIT_PASS[$i]}" == "$1" && $((i + 1)) -lt ${#SUBMIT_PASS[@]} ]]; then
      TAKEN_OUT="${TAKEN_OUT:+$TAKEN_OUT,}${SUBMIT_PASS[$((i + 1))]}"; i=$((i + 1))
    else
      kept+=("${SUBMIT_PASS[$i]}")
    fi
  done
  SUBMIT_PASS=(${kept[@]+"${kept[@]}"})
}

# --name tasn-SUBCOMMAND unless the user names the application (--name or spark.app.name).
application_name() {
  # grep reads all its input (no -q): under pipefail, a grep that quits at the first match
  # can kill the writer with SIGPIPE and turn a found name into "not found".
  if submit_settings_given ${SUBMIT_PASS[@]+"${SUBMIT_PASS[@]}"} | grep -x spark.app.name > /dev/null; then return; fi
  echo "--name"; echo "tasn-$1"
}

# Prints COMMAND (an array) ready to copy with --dry-run, or runs it in place of this shell.
run_or_print() {
  if [[ -n "$DRY_RUN" ]]; then
    printf '%q ' "$@"; echo
    exit 0
  fi
  exec "$@"
}
