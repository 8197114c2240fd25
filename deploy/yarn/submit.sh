#!/usr/bin/env bash
# Submits one tasn job to a YARN cluster with spark-submit and the shaded job jar. Tested on
# Hadoop's MiniYARNCluster in cluster mode (YarnClusterModeTest: one attempt, SUCCEEDED, and a
# failed job's own exit code); --dry-run prints the command instead of running it.
#
#   deploy/yarn/submit.sh [OPTIONS] SUBCOMMAND [JOB ARGS...]
#   deploy/yarn/submit.sh --config conf/tasn-cpu.conf --executors 4 \
#       train --data hdfs:///tasn/shards --output hdfs:///tasn/runs/cpu-1
#
# Options (defaults in brackets; sizes in whole gigabytes, such as 4g):
#   --jar PATH              the shaded job jar [target/tasn-spark-0.1.0-SNAPSHOT-job.jar,
#                           built by `mvn -Pjob-jar package`]
#   --config FILE|NAME      a tasn HOCON file, shipped to the driver and passed as --config,
#                           or a built-in name (tiny, cpu, paper)
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
# (--num-executors is --executors; every option also takes the form --opt=VALUE.)
#
# Every other spark-submit option goes to spark-submit as given, before SUBCOMMAND:
#   --conf (-c) KEY=VALUE, --properties-file, --jars, --packages, --exclude-packages,
#   --repositories, --files, --archives, --py-files, --principal, --keytab, --proxy-user,
#   --driver-java-options, --driver-library-path, --driver-class-path, --driver-cores,
#   --total-executor-cores, --name, --remote, and the flags --verbose (-v) and --supervise.
# --files is added to the --config file the script ships. Refused: --master (this script
# submits to YARN), --class (tasn.cli.TasnMain), --kill, --status, --version (they submit
# nothing; run $SPARK_HOME/bin/spark-submit for them).
# Spark settings: Spark reads the cluster's spark-defaults.conf ($SPARK_CONF_DIR or
# $SPARK_HOME/conf); conf/spark-defaults.conf and the sizes above are layered on it as --conf
# (the lists spark.kryo.registrator, spark.plugins and the extraJavaOptions merged with the
# cluster's), and what you give (--conf, --properties-file, --driver-java-options, ...) wins.
# Needs SPARK_HOME (a Spark 3.5 installation built for Scala 2.12) and HADOOP_CONF_DIR or
# YARN_CONF_DIR (the cluster's client configuration). See docs/sizing.md for the memory sizes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
usage_error() { echo "yarn/submit.sh: $1 (see --help)" >&2; exit 2; }
source "$ROOT/deploy/submit-settings.sh"
JAR="$ROOT/target/tasn-spark-0.1.0-SNAPSHOT-job.jar"
QUEUE=default; DEPLOY_MODE=cluster
SCRIPT_VALUE_OPTIONS+=(--queue --deploy-mode)

while [[ $# -gt 0 ]]; do
  if [[ "$1" == --*=* ]] && is_script_value_option "${1%%=*}"; then set -- "${1%%=*}" "${1#*=}" "${@:2}"; fi
  take_shared_option "$@"
  if (( TAKEN > 0 )); then shift "$TAKEN"; continue; fi
  case "$1" in
    --queue) need_value "$@"; QUEUE="$2"; shift 2; continue ;;
    --deploy-mode) need_value "$@"; DEPLOY_MODE="$2"; shift 2; continue ;;
    --master|--master=*) usage_error "${1%%=*}: this script submits to YARN (--master yarn)" ;;
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
[[ "$DEPLOY_MODE" == cluster || "$DEPLOY_MODE" == client ]] || usage_error "--deploy-mode $DEPLOY_MODE: use cluster or client"
[[ -f "$JAR" ]] || usage_error "the job jar $JAR is missing: build it with 'mvn -Pjob-jar -DskipTests package' (or give --jar PATH)"

CONFIG_ARGS=()
FILES_ARGS=()
if [[ -n "$CONFIG" ]]; then
  case "$CONFIG" in
    tiny|cpu|paper) CONFIG_ARGS=(--config "$CONFIG") ;;
    *)
      [[ -f "$CONFIG" ]] || usage_error "--config $CONFIG: no such file (give a HOCON file, or tiny, cpu or paper)"
      if [[ "$DEPLOY_MODE" == cluster ]]; then
        # The driver runs in a YARN container: ship the file into its working directory.
        FILES_ARGS=(--files "$(cd "$(dirname "$CONFIG")" && pwd)/$(basename "$CONFIG")")
        CONFIG_ARGS=(--config "$(basename "$CONFIG")")
      else
        CONFIG_ARGS=(--config "$(cd "$(dirname "$CONFIG")" && pwd)/$(basename "$CONFIG")")
      fi ;;
  esac
fi

if [[ -z "$DRY_RUN" ]]; then
  [[ -n "${SPARK_HOME:-}" && -x "${SPARK_HOME}/bin/spark-submit" ]] \
    || usage_error "SPARK_HOME must name a Spark 3.5 installation (with bin/spark-submit)"
  [[ -n "${HADOOP_CONF_DIR:-}${YARN_CONF_DIR:-}" ]] \
    || usage_error "set HADOOP_CONF_DIR (or YARN_CONF_DIR) to the cluster's client configuration"
fi

# The user's --files go with the --config file the script ships.
take_out_option --files
if [[ -n "$TAKEN_OUT" ]]; then
  if (( ${#FILES_ARGS[@]} > 0 )); then FILES_ARGS[1]+=",$TAKEN_OUT"; else FILES_ARGS=(--files "$TAKEN_OUT"); fi
fi
OWN_OPTIONS=(--master yarn --deploy-mode "$DEPLOY_MODE" --queue "$QUEUE"
  --num-executors "$EXECUTORS" --executor-cores "$CORES"
  --executor-memory "$MEMORY" --driver-memory "$DRIVER_MEMORY")
memory_settings
job_spark_settings "${MEMORY_SETTINGS[@]}" -- "${OWN_OPTIONS[@]}" ${SUBMIT_PASS[@]+"${SUBMIT_PASS[@]}"}
mapfile -t NAME_ARGS < <(application_name "$SUBCOMMAND")

COMMAND=("${SPARK_HOME:-\$SPARK_HOME}/bin/spark-submit"
  "${OWN_OPTIONS[@]}"
  ${NAME_ARGS[@]+"${NAME_ARGS[@]}"}
  --class tasn.cli.TasnMain
  ${LAYERED_CONF[@]+"${LAYERED_CONF[@]}"}
  ${FILES_ARGS[@]+"${FILES_ARGS[@]}"}
  ${SUBMIT_PASS[@]+"${SUBMIT_PASS[@]}"}
  "$JAR" "$SUBCOMMAND" ${CONFIG_ARGS[@]+"${CONFIG_ARGS[@]}"} "$@")

# Exit codes (deploy/README.md, "YARN cluster mode"). One attempt: a tasn job run again by YARN
# after a failure would only redo or refuse its output, and report that second attempt's code;
# a --conf of the user's given later still wins. In cluster mode spark-submit exits 1 whatever
# the job's exit code was; the YARN client logs the application's diagnostics, "User application
# exited with status N": exit with N (1 the job failed, 2 bad command line or configuration).
COMMAND=("${COMMAND[0]}" --conf spark.yarn.maxAppAttempts=1 "${COMMAND[@]:1}")
if [[ -z "$DRY_RUN" && "$DEPLOY_MODE" == cluster ]]; then
  APP_STATUS=""; APP_ID="..."
  while IFS= read -r line; do
    printf '%s\n' "$line" >&2
    if [[ "$line" =~ Submitted\ application\ (application_[0-9_]+) ]]; then APP_ID="${BASH_REMATCH[1]}"; fi
    if [[ "$line" =~ User\ application\ exited\ with\ status\ ([0-9]+) ]]; then APP_STATUS="${BASH_REMATCH[1]}"; fi
  done 3>&1 < <("${COMMAND[@]}" 2>&1 >&3)
  wait $! && exit 0
  SUBMIT_STATUS=$?
  [[ -z "$APP_STATUS" ]] || echo "yarn/submit.sh: the job exited with status $APP_STATUS; its messages are in the driver's log: yarn logs -applicationId $APP_ID" >&2
  exit "${APP_STATUS:-$SUBMIT_STATUS}"
fi
run_or_print "${COMMAND[@]}"
