#!/usr/bin/env bash
# Submits one tasn job to Kubernetes with spark-submit, in cluster mode, on the job image of
# deploy/docker/Dockerfile and the pod template beside this script. An example to adapt: it
# is NOT run by this project's tests (there is no Kubernetes cluster or Docker engine here);
# --dry-run prints the command instead of running it.
#
#   deploy/k8s/submit.sh --master k8s://https://API-SERVER:6443 --image REGISTRY/tasn-spark:0.1.0 \
#       --config tasn-cpu.conf --executors 4 \
#       train --data s3a://bucket/tasn/shards --output s3a://bucket/tasn/runs/cpu-1
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
# (--num-executors is --executors; every option also takes the form --opt=VALUE.)
#
# Every other spark-submit option goes to spark-submit as given, before SUBCOMMAND:
#   --conf (-c) KEY=VALUE, --properties-file, --jars, --packages, --exclude-packages,
#   --repositories, --files, --archives, --py-files, --principal, --keytab, --proxy-user,
#   --driver-java-options, --driver-library-path, --driver-class-path, --driver-cores,
#   --total-executor-cores, --queue, --name, --remote, and the flags --verbose (-v) and
#   --supervise. Refused: --deploy-mode (always cluster), --class (tasn.cli.TasnMain), --kill,
#   --status, --version (they submit nothing; run $SPARK_HOME/bin/spark-submit for them).
# Spark settings: Spark reads the cluster's spark-defaults.conf ($SPARK_CONF_DIR or
# $SPARK_HOME/conf); conf/spark-defaults.conf and the settings above are layered on it as
# --conf (the lists spark.kryo.registrator, spark.plugins and the extraJavaOptions merged with
# the cluster's), and what you give (--conf, --properties-file, --driver-java-options, ...) wins.
# Needs SPARK_HOME (a Spark 3.5 installation) on the submitting machine, and kubectl access
# for the service account. Input and output paths must be reachable from the pods (S3, HDFS,
# a shared volume). See docs/sizing.md for the memory sizes.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
usage_error() { echo "k8s/submit.sh: $1 (see --help)" >&2; exit 2; }
source "$ROOT/deploy/submit-settings.sh"
JAR="local:///opt/tasn/tasn-spark-job.jar"
MASTER=""; IMAGE=""; NAMESPACE=default; SERVICE_ACCOUNT=spark

SCRIPT_VALUE_OPTIONS+=(--master --image --namespace --service-account)

while [[ $# -gt 0 ]]; do
  if [[ "$1" == --*=* ]] && is_script_value_option "${1%%=*}"; then set -- "${1%%=*}" "${1#*=}" "${@:2}"; fi
  take_shared_option "$@"
  if (( TAKEN > 0 )); then shift "$TAKEN"; continue; fi
  case "$1" in
    --master) need_value "$@"; MASTER="$2"; shift 2; continue ;;
    --image) need_value "$@"; IMAGE="$2"; shift 2; continue ;;
    --namespace) need_value "$@"; NAMESPACE="$2"; shift 2; continue ;;
    --service-account) need_value "$@"; SERVICE_ACCOUNT="$2"; shift 2; continue ;;
    --deploy-mode|--deploy-mode=*) usage_error "${1%%=*}: this script submits in cluster mode only" ;;
    -h|--help) print_help; exit 0 ;;
  esac
  take_passed_option "$@"
  if (( TAKEN > 0 )); then shift "$TAKEN"; continue; fi
  case "$1" in
    -*) usage_error "unknown option $1" ;;
    *) break ;;
  esac
done
[[ $# -ge 1 ]] || usage_error "no job given: name a subcommand (ingest, train, score, sample) and its arguments"
SUBCOMMAND="$1"; shift

check_shared_options
[[ "$MASTER" == k8s://* ]] || usage_error "--master ${MASTER:-(missing)}: give the API server as k8s://https://HOST:PORT"
[[ -n "$IMAGE" ]] || usage_error "--image is missing: build and push deploy/docker/Dockerfile, then name it"
# The jar is inside the image (deploy/docker/Dockerfile puts it there): a local:// URI.
[[ "$JAR" == local:///* || "$JAR" == https://* || "$JAR" == s3a://* || "$JAR" == hdfs://* ]] \
  || usage_error "--jar $JAR: give the jar's place inside the image as local:///PATH (or a URL the pods can read)"

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

# JavaCPP unpacks its native libraries into the pod template's emptyDir.
CACHE_DIR="-Dorg.bytedeco.javacpp.cachedir=/opt/tasn/javacpp-cache"

OWN_OPTIONS=(--master "$MASTER" --deploy-mode cluster)
memory_settings "$CACHE_DIR"
job_spark_settings \
  "spark.kubernetes.namespace=$NAMESPACE" \
  "spark.kubernetes.container.image=$IMAGE" \
  "spark.kubernetes.authenticate.driver.serviceAccountName=$SERVICE_ACCOUNT" \
  "spark.kubernetes.driver.podTemplateFile=$HERE/pod-template.yaml" \
  "spark.kubernetes.executor.podTemplateFile=$HERE/pod-template.yaml" \
  "spark.executor.instances=$EXECUTORS" "spark.executor.cores=$CORES" \
  `# Kubernetes requests exactly the cores asked for (Spark's default request is the same).` \
  "spark.kubernetes.executor.request.cores=$CORES" \
  "spark.executor.memory=$MEMORY" "spark.driver.memory=$DRIVER_MEMORY" \
  `# The pod's memory limit is heap + overhead: ND4J's arrays must fit in the overhead.` \
  "${MEMORY_SETTINGS[@]}" \
  -- "${OWN_OPTIONS[@]}" ${SUBMIT_PASS[@]+"${SUBMIT_PASS[@]}"}
mapfile -t NAME_ARGS < <(application_name "$SUBCOMMAND")

COMMAND=("${SPARK_HOME:-\$SPARK_HOME}/bin/spark-submit"
  "${OWN_OPTIONS[@]}"
  ${NAME_ARGS[@]+"${NAME_ARGS[@]}"}
  --class tasn.cli.TasnMain
  ${LAYERED_CONF[@]+"${LAYERED_CONF[@]}"}
  ${SUBMIT_PASS[@]+"${SUBMIT_PASS[@]}"}
  "$JAR" "$SUBCOMMAND" ${CONFIG_ARGS[@]+"${CONFIG_ARGS[@]}"} "$@")
run_or_print "${COMMAND[@]}"
