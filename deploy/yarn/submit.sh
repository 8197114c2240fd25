#!/usr/bin/env bash
# Submits one tasn job to a YARN cluster with spark-submit and the shaded job jar. An example
# to adapt: it is NOT run by this project's tests (there is no YARN cluster here); --dry-run
# prints the command instead of running it.
#
#   deploy/yarn/submit.sh [OPTIONS] SUBCOMMAND [JOB ARGS...]
#   deploy/yarn/submit.sh --config conf/tasn-cpu.conf --executors 4 \
#       train --data hdfs:///tasn/shards --run-dir hdfs:///tasn/runs/cpu-1
#
# Options (defaults in brackets; sizes in whole gigabytes, such as 4g):
#   --jar PATH              the shaded job jar [target/tasn-spark-0.1.0-SNAPSHOT-job.jar,
#                           built by `mvn -Pjob-jar package`]
#   --config FILE           a tasn HOCON file, shipped to the driver and passed as --config
#   --executors N           executors [4]
#   --executor-cores C      cores per executor, one training replica each [2]
#   --executor-memory M     JVM heap per executor [4g]
#   --memory-overhead M     off-heap room per executor, where ND4J's arrays live [6g]
#   --driver-memory M       driver heap; the driver averages the parameters [4g]
#   --driver-overhead M     driver off-heap room [4g]
#   --queue Q               YARN queue [default]
#   --deploy-mode MODE      cluster or client [cluster]
#   --dry-run               print the spark-submit command, run nothing
#   -h, --help              this text
# Needs SPARK_HOME (a Spark 3.5 installation built for Scala 2.12) and HADOOP_CONF_DIR or
# YARN_CONF_DIR (the cluster's client configuration). See docs/sizing.md for the memory sizes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAR="$ROOT/target/tasn-spark-0.1.0-SNAPSHOT-job.jar"
CONFIG=""; EXECUTORS=4; CORES=2; MEMORY=4g; OVERHEAD=6g; DRIVER_MEMORY=4g; DRIVER_OVERHEAD=4g
QUEUE=default; DEPLOY_MODE=cluster; DRY_RUN=""

usage_error() { echo "yarn/submit.sh: $1 (see --help)" >&2; exit 2; }
need_value() { [[ $# -ge 2 && -n "$2" ]] || usage_error "$1 needs a value"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --jar) need_value "$@"; JAR="$2"; shift 2 ;;
    --config) need_value "$@"; CONFIG="$2"; shift 2 ;;
    --executors) need_value "$@"; EXECUTORS="$2"; shift 2 ;;
    --executor-cores) need_value "$@"; CORES="$2"; shift 2 ;;
    --executor-memory) need_value "$@"; MEMORY="$2"; shift 2 ;;
    --memory-overhead) need_value "$@"; OVERHEAD="$2"; shift 2 ;;
    --driver-memory) need_value "$@"; DRIVER_MEMORY="$2"; shift 2 ;;
    --driver-overhead) need_value "$@"; DRIVER_OVERHEAD="$2"; shift 2 ;;
    --queue) need_value "$@"; QUEUE="$2"; shift 2 ;;
    --deploy-mode) need_value "$@"; DEPLOY_MODE="$2"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    -*) usage_error "unknown option $1" ;;
    *) break ;;
  esac
done
[[ $# -ge 1 ]] || usage_error "no job given: name a subcommand (ingest, train, score, sample) and its arguments"
SUBCOMMAND="$1"; shift

check_count() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || usage_error "$1 $2: expected a whole number of at least 1"; }
check_gigabytes() { [[ "$2" =~ ^[1-9][0-9]*g$ ]] || usage_error "$1 $2: expected whole gigabytes, such as 4g"; }
gigabytes() { echo "${1%g}"; }
# The JVM options of a driver or executor: the Java 17 flags Spark and ND4J need
# (conf/java17.flags), and JavaCPP's caps on ND4J's off-heap memory derived from the
# container's size. maxbytes caps ND4J's own allocations: the overhead less 1 GB for the
# JVM's other native memory (metaspace, threads, Netty). maxphysicalbytes caps the whole
# process's resident memory: heap + overhead less 1 GB, so JavaCPP frees memory (or fails
# with a clear OutOfMemoryError) before YARN or Kubernetes kills the container.
java_options() {
  local heap overhead
  heap=$(gigabytes "$1"); overhead=$(gigabytes "$2")
  (( overhead >= 2 )) || usage_error "memory overhead $2: ND4J needs at least 2g off-heap"
  echo "$(grep -v '^#' "$ROOT/conf/java17.flags" | tr '\n' ' ')-Dorg.bytedeco.javacpp.maxbytes=$((overhead - 1))G -Dorg.bytedeco.javacpp.maxphysicalbytes=$((heap + overhead - 1))G"
}
# Where the shaded job jar should be, and what to do when it is not.
check_jar() {
  [[ -f "$1" ]] || usage_error "the job jar $1 is missing: build it with 'mvn -Pjob-jar -DskipTests package' (or give --jar PATH)"
}
# The settings every tasn job needs (the same as conf/spark-defaults.conf): Kryo with ND4J's
# registrator for the arrays parameter averaging moves, a 1 GB Kryo buffer for whole models,
# no dynamic allocation (each executor holds a model replica for the whole job), no locality
# wait (every partition is read once per round), zstd Parquet.
SPARK_SETTINGS=(
  --conf spark.serializer=org.apache.spark.serializer.KryoSerializer
  --conf spark.kryo.registrator=org.nd4j.kryo.Nd4jRegistrator
  --conf spark.kryoserializer.buffer.max=1g
  --conf spark.dynamicAllocation.enabled=false
  --conf spark.locality.wait=0s
  --conf spark.task.maxFailures=4
  --conf spark.sql.parquet.compression.codec=zstd
)
check_count --executors "$EXECUTORS"
check_count --executor-cores "$CORES"
for pair in "--executor-memory:$MEMORY" "--memory-overhead:$OVERHEAD" "--driver-memory:$DRIVER_MEMORY" \
            "--driver-overhead:$DRIVER_OVERHEAD"; do
  check_gigabytes "${pair%%:*}" "${pair#*:}"
done
[[ "$DEPLOY_MODE" == cluster || "$DEPLOY_MODE" == client ]] || usage_error "--deploy-mode $DEPLOY_MODE: use cluster or client"
check_jar "$JAR"

CONFIG_ARGS=()
FILES_ARGS=()
if [[ -n "$CONFIG" ]]; then
  [[ -f "$CONFIG" ]] || usage_error "--config $CONFIG: no such file"
  if [[ "$DEPLOY_MODE" == cluster ]]; then
    # The driver runs in a YARN container: ship the file into its working directory.
    FILES_ARGS=(--files "$(cd "$(dirname "$CONFIG")" && pwd)/$(basename "$CONFIG")")
    CONFIG_ARGS=(--config "$(basename "$CONFIG")")
  else
    CONFIG_ARGS=(--config "$(cd "$(dirname "$CONFIG")" && pwd)/$(basename "$CONFIG")")
  fi
fi

if [[ -z "$DRY_RUN" ]]; then
  [[ -n "${SPARK_HOME:-}" && -x "${SPARK_HOME}/bin/spark-submit" ]] \
    || usage_error "SPARK_HOME must name a Spark 3.5 installation (with bin/spark-submit)"
  [[ -n "${HADOOP_CONF_DIR:-}${YARN_CONF_DIR:-}" ]] \
    || usage_error "set HADOOP_CONF_DIR (or YARN_CONF_DIR) to the cluster's client configuration"
fi

EXECUTOR_JAVA_OPTIONS=$(java_options "$MEMORY" "$OVERHEAD")
DRIVER_JAVA_OPTIONS=$(java_options "$DRIVER_MEMORY" "$DRIVER_OVERHEAD")

COMMAND=("${SPARK_HOME:-\$SPARK_HOME}/bin/spark-submit"
  --master yarn --deploy-mode "$DEPLOY_MODE" --queue "$QUEUE"
  --name "tasn-$SUBCOMMAND"
  --class tasn.cli.TasnMain
  --num-executors "$EXECUTORS" --executor-cores "$CORES"
  --executor-memory "$MEMORY" --driver-memory "$DRIVER_MEMORY"
  --conf "spark.executor.memoryOverhead=$OVERHEAD"
  --conf "spark.driver.memoryOverhead=$DRIVER_OVERHEAD"
  "${SPARK_SETTINGS[@]}"
  --conf "spark.executor.extraJavaOptions=$EXECUTOR_JAVA_OPTIONS"
  --conf "spark.driver.extraJavaOptions=$DRIVER_JAVA_OPTIONS"
  # One training replica per executor core, each single-threaded in ND4J: no oversubscription.
  --conf "spark.executorEnv.OMP_NUM_THREADS=1"
  ${FILES_ARGS[@]+"${FILES_ARGS[@]}"}
  "$JAR" "$SUBCOMMAND" ${CONFIG_ARGS[@]+"${CONFIG_ARGS[@]}"} "$@")

if [[ -n "$DRY_RUN" ]]; then
  printf '%q ' "${COMMAND[@]}"; echo
  exit 0
fi
exec "${COMMAND[@]}"
