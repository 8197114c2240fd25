#!/usr/bin/env bash
# Runs one tasn subcommand: `_launch.sh SUBCOMMAND [ARGS...]`.
#
# With SPARK_HOME set: spark-submit with the shaded job jar. Options meant for
# spark-submit (--master, --deploy-mode, --conf, --properties-file, --driver-memory,
# --executor-memory, --num-executors, --executor-cores) may appear anywhere in ARGS and are
# passed to it; the rest go to the subcommand.
# Without SPARK_HOME: the same jobs on an embedded Spark from the Maven classpath
# (org.apache.spark.deploy.SparkSubmit, master local[*] unless --master is given), with the
# JVM flags of conf/java17.flags. That one JVM is the driver and every executor, so it gets
# the driver's settings of conf/spark-defaults.conf: a 4 GB heap and JavaCPP's caps on ND4J's
# off-heap memory (without them JavaCPP allows as much as the heap again and a cpu training
# run grew to 12-13 GB resident; capped, the same run peaks at 8.1 GB). TASN_JAVA_OPTS
# replaces these JVM options, for example for the paper model (docs/sizing.md).
# Either way the project is built first when the build is missing or older than its sources.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="0.1.0-SNAPSHOT"
THIN_JAR="$ROOT/target/tasn-spark-$VERSION.jar"
JOB_JAR="$ROOT/target/tasn-spark-$VERSION-job.jar"
MAIN_CLASS="tasn.cli.TasnMain"

if [[ $# -lt 1 ]]; then
  echo "usage: $0 SUBCOMMAND [ARGS...]" >&2
  exit 2
fi
SUBCOMMAND="$1"; shift

# Split spark-submit options from the subcommand's own.
SUBMIT_ARGS=()
JOB_ARGS=()
MASTER=""
PROPERTIES_GIVEN=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --master) MASTER="$2"; SUBMIT_ARGS+=("$1" "$2"); shift 2 ;;
    --master=*) MASTER="${1#--master=}"; SUBMIT_ARGS+=("$1"); shift ;;
    --properties-file) PROPERTIES_GIVEN=1; SUBMIT_ARGS+=("$1" "$2"); shift 2 ;;
    --properties-file=*) PROPERTIES_GIVEN=1; SUBMIT_ARGS+=("$1"); shift ;;
    --deploy-mode|--conf|--driver-memory|--executor-memory|--num-executors|--executor-cores|--total-executor-cores|--jars|--files|--queue|--name)
      SUBMIT_ARGS+=("$1" "$2"); shift 2 ;;
    --deploy-mode=*|--conf=*|--driver-memory=*|--executor-memory=*|--num-executors=*|--executor-cores=*|--total-executor-cores=*)
      SUBMIT_ARGS+=("$1"); shift ;;
    *) JOB_ARGS+=("$1"); shift ;;
  esac
done

command -v java >/dev/null || { echo "tasn: java not found on PATH; install a Java 17 JDK (Debian: apt-get install openjdk-17-jdk-headless)" >&2; exit 2; }

stale() {  # true when $1 is missing or older than any source of the build
  local artefact="$1"
  [[ ! -f "$artefact" ]] && return 0
  [[ -n "$(find "$ROOT/pom.xml" "$ROOT/src/main" -newer "$artefact" -type f -print -quit)" ]]
}

build() {
  command -v mvn >/dev/null || { echo "tasn: the project is not built and mvn is not on PATH; install Maven 3.8+ (Debian: apt-get install maven)" >&2; exit 2; }
  echo "tasn: building the project (mvn $*) ..." >&2
  (cd "$ROOT" && mvn -B -q -DskipTests "$@" package) >&2
}

# conf/spark-defaults.conf unless the caller names a properties file of their own.
if [[ -z "$PROPERTIES_GIVEN" ]]; then SUBMIT_ARGS=(--properties-file "$ROOT/conf/spark-defaults.conf" "${SUBMIT_ARGS[@]}"); fi

if [[ -n "${SPARK_HOME:-}" ]]; then
  if stale "$JOB_JAR"; then build -Pjob-jar; fi
  exec "$SPARK_HOME/bin/spark-submit" --class "$MAIN_CLASS" "${SUBMIT_ARGS[@]}" "$JOB_JAR" "$SUBCOMMAND" "${JOB_ARGS[@]}"
fi

if stale "$THIN_JAR" || [[ ! -f "$ROOT/target/classpath.txt" ]]; then build; fi
if [[ -z "$MASTER" ]]; then SUBMIT_ARGS=(--master "local[*]" "${SUBMIT_ARGS[@]}"); fi
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
# The driver settings of conf/spark-defaults.conf, read from it so the two cannot drift apart.
spark_default() { awk -v key="$1" '$1 == key { $1 = ""; sub(/^ +/, ""); print; exit }' "$ROOT/conf/spark-defaults.conf"; }
EMBEDDED_JAVA_OPTS="-Xmx$(spark_default spark.driver.memory) $(spark_default spark.driver.extraJavaOptions)"
exec java ${TASN_JAVA_OPTS:-$EMBEDDED_JAVA_OPTS} @"$ROOT/conf/java17.flags" \
  -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
  -cp "$THIN_JAR:$(cat "$ROOT/target/classpath.txt")" \
  org.apache.spark.deploy.SparkSubmit --conf spark.ui.showConsoleProgress=false \
  --class "$MAIN_CLASS" "${SUBMIT_ARGS[@]}" "$THIN_JAR" "$SUBCOMMAND" "${JOB_ARGS[@]}"
