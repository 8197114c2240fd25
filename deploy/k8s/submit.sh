#!/usr/bin/env bash
# Submits one tasn job to Kubernetes with spark-submit, in cluster mode, on the job image of
# deploy/docker/Dockerfile and the pod template beside this script. An example to adapt: it
# is NOT run by this project's tests (there is no Kubernetes cluster or Docker engine here);
# --dry-run prints the command instead of running it.
#
#   deploy/k8s/submit.sh --master k8s://https://API-SERVER:6443 --image REGISTRY/tasn-spark:0.1.0 \
#       --config tasn-cpu.conf --executors 4 \
#       train --data s3a://bucket/tasn/shards --run-dir s3a://bucket/tasn/runs/cpu-1
#
# Options (defaults in brackets; sizes in whole gigabytes, such as 4g):
#   --master URL            k8s://https://HOST:PORT of the API server (required)
#   --image IMAGE           the job image (required; built from deploy/docker/Dockerfile)
#   --namespace NS          namespace of the driver and executor pods [default]
#   --service-account SA    service account allowed to create executor pods [spark]
#   --jar URI               the shaded job jar inside the image [local:///opt/tasn/tasn-spark-job.jar]
#   --config NAME           a configuration in the image's /opt/tasn/conf (tasn-tiny.conf,
#                           tasn-cpu.conf, tasn-paper.conf, or one you added), or a built-in
#                           name (tiny, cpu, paper)
#   --executors N           executors [4]
#   --executor-cores C      cores per executor, one training replica each [2]
#   --executor-memory M     JVM heap per executor [4g]
#   --memory-overhead M     off-heap room per executor, where ND4J's arrays live [6g]
#   --driver-memory M       driver heap; the driver averages the parameters [4g]
#   --driver-overhead M     driver off-heap room [4g]
#   --dry-run               print the spark-submit command, run nothing
#   -h, --help              this text
# Needs SPARK_HOME (a Spark 3.5 installation) on the submitting machine, and kubectl access
# for the service account. Input and output paths must be reachable from the pods (S3, HDFS,
# a shared volume). See docs/sizing.md for the memory sizes.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
MASTER=""; IMAGE=""; NAMESPACE=default; SERVICE_ACCOUNT=spark
JAR="local:///opt/tasn/tasn-spark-job.jar"
CONFIG=""; EXECUTORS=4; CORES=2; MEMORY=4g; OVERHEAD=6g; DRIVER_MEMORY=4g; DRIVER_OVERHEAD=4g; DRY_RUN=""

usage_error() { echo "k8s/submit.sh: $1 (see --help)" >&2; exit 2; }
need_value() { [[ $# -ge 2 && -n "$2" ]] || usage_error "$1 needs a value"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --master) need_value "$@"; MASTER="$2"; shift 2 ;;
    --image) need_value "$@"; IMAGE="$2"; shift 2 ;;
    --namespace) need_value "$@"; NAMESPACE="$2"; shift 2 ;;
    --service-account) need_value "$@"; SERVICE_ACCOUNT="$2"; shift 2 ;;
    --jar) need_value "$@"; JAR="$2"; shift 2 ;;
    --config) need_value "$@"; CONFIG="$2"; shift 2 ;;
    --executors) need_value "$@"; EXECUTORS="$2"; shift 2 ;;
    --executor-cores) need_value "$@"; CORES="$2"; shift 2 ;;
    --executor-memory) need_value "$@"; MEMORY="$2"; shift 2 ;;
    --memory-overhead) need_value "$@"; OVERHEAD="$2"; shift 2 ;;
    --driver-memory) need_value "$@"; DRIVER_MEMORY="$2"; shift 2 ;;
    --driver-overhead) need_value "$@"; DRIVER_OVERHEAD="$2"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
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
# The jar is inside the image (deploy/docker/Dockerfile puts it there): a local:// URI.
check_jar() {
  [[ "$1" == local:///* || "$1" == https://* || "$1" == s3a://* || "$1" == hdfs://* ]] \
    || usage_error "--jar $1: give the jar's place inside the image as local:///PATH (or a URL the pods can read)"
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
[[ "$MASTER" == k8s://* ]] || usage_error "--master ${MASTER:-(missing)}: give the API server as k8s://https://HOST:PORT"
[[ -n "$IMAGE" ]] || usage_error "--image is missing: build and push deploy/docker/Dockerfile, then name it"
check_jar "$JAR"

CONFIG_ARGS=()
if [[ -n "$CONFIG" ]]; then
  case "$CONFIG" in
    tiny|cpu|paper) CONFIG_ARGS=(--config "$CONFIG") ;;
    */*) usage_error "--config $CONFIG: name a file in the image's /opt/tasn/conf (such as tasn-cpu.conf), not a path" ;;
    *) CONFIG_ARGS=(--config "/opt/tasn/conf/$CONFIG") ;;
  esac
fi

if [[ -z "$DRY_RUN" ]]; then
  [[ -n "${SPARK_HOME:-}" && -x "${SPARK_HOME}/bin/spark-submit" ]] \
    || usage_error "SPARK_HOME must name a Spark 3.5 installation (with bin/spark-submit)"
fi

EXECUTOR_JAVA_OPTIONS="$(java_options "$MEMORY" "$OVERHEAD") -Dorg.bytedeco.javacpp.cachedir=/opt/tasn/javacpp-cache"
DRIVER_JAVA_OPTIONS="$(java_options "$DRIVER_MEMORY" "$DRIVER_OVERHEAD") -Dorg.bytedeco.javacpp.cachedir=/opt/tasn/javacpp-cache"

COMMAND=("${SPARK_HOME:-\$SPARK_HOME}/bin/spark-submit"
  --master "$MASTER" --deploy-mode cluster
  --name "tasn-$SUBCOMMAND"
  --class tasn.cli.TasnMain
  --conf "spark.kubernetes.namespace=$NAMESPACE"
  --conf "spark.kubernetes.container.image=$IMAGE"
  --conf "spark.kubernetes.authenticate.driver.serviceAccountName=$SERVICE_ACCOUNT"
  --conf "spark.kubernetes.driver.podTemplateFile=$HERE/pod-template.yaml"
  --conf "spark.kubernetes.executor.podTemplateFile=$HERE/pod-template.yaml"
  --conf "spark.executor.instances=$EXECUTORS" --conf "spark.executor.cores=$CORES"
  # Kubernetes requests exactly the cores asked for (Spark's default request is the same).
  --conf "spark.kubernetes.executor.request.cores=$CORES"
  --conf "spark.executor.memory=$MEMORY" --conf "spark.driver.memory=$DRIVER_MEMORY"
  # The pod's memory limit is heap + overhead: ND4J's arrays must fit in the overhead.
  --conf "spark.executor.memoryOverhead=$OVERHEAD"
  --conf "spark.driver.memoryOverhead=$DRIVER_OVERHEAD"
  "${SPARK_SETTINGS[@]}"
  --conf "spark.executor.extraJavaOptions=$EXECUTOR_JAVA_OPTIONS"
  --conf "spark.driver.extraJavaOptions=$DRIVER_JAVA_OPTIONS"
  # One training replica per executor core, each single-threaded in ND4J: no oversubscription.
  --conf "spark.executorEnv.OMP_NUM_THREADS=1"
  "$JAR" "$SUBCOMMAND" ${CONFIG_ARGS[@]+"${CONFIG_ARGS[@]}"} "$@")

if [[ -n "$DRY_RUN" ]]; then
  printf '%q ' "${COMMAND[@]}"; echo
  exit 0
fi
exec "${COMMAND[@]}"
