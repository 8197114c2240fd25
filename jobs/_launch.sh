#!/usr/bin/env bash
# Runs one tasn subcommand: `_launch.sh SUBCOMMAND [ARGS...]` (jobs/<job>.sh call it).
#
# ARGS mixes the job's own options with spark-submit's: every option spark-submit takes
# (deploy/spark-submit-common.sh lists them: --master, --conf/-c, --jars, --packages, --files,
# --archives, --properties-file, --driver-java-options, --principal/--keytab, --verbose, ...),
# as `--opt VALUE` or `--opt=VALUE`, anywhere in ARGS, goes to spark-submit; the rest goes to
# the job. No job option has a spark-submit option's name; -h/--help, -V and --version are
# the job's (run $SPARK_HOME/bin/spark-submit --help for Spark's); --class, --kill, --status
# are refused. A job option's value that is itself a spark-submit option's name must be given
# as --opt=VALUE.
#
# With SPARK_HOME set: $SPARK_HOME/bin/spark-submit with the shaded job jar (built first
# when missing or older than the sources). Spark reads the cluster's own spark-defaults.conf;
# the project's settings of conf/spark-defaults.conf are layered on it as --conf (its head
# says how; deploy/README.md, "Spark settings"), and yours (--conf, --properties-file, ...)
# win. The shipped log4j2 configuration reaches driver and executors through the plugin that
# file enables (tasn.cli.LoggingPlugin).
# Without SPARK_HOME: the same jobs on an embedded Spark from the Maven classpath
# (org.apache.spark.deploy.SparkSubmit, master local[*] unless --master is given), with the
# JVM flags of conf/java17.flags, conf/log4j2.properties, and conf/spark-defaults.conf as the
# whole Spark configuration (unless --properties-file). That one JVM is the driver and every
# executor, so it gets the driver's settings of conf/spark-defaults.conf: a 4 GB heap and
# JavaCPP's caps on ND4J's off-heap memory (without them JavaCPP allows as much as the heap
# again and a cpu training run grew to 12-13 GB resident; capped, the same run peaks at
# 8.1 GB). TASN_JAVA_OPTS replaces these JVM options, for example for the paper model
# (docs/sizing.md); spark-submit's --driver-* options cannot change a JVM already running.
#
# Help is fast: when ARGS ask for -h/--help/-V/--version, or are empty (every job but inspect
# then prints its usage), the job runs in a plain `java -cp` without Spark or the Java 17
# flags, and --help adds a paragraph on the spark-submit options.
#
# Environment: SPARK_HOME (above); TASN_JOB_JAR, a jar to run instead of the project's build
# (no build is attempted; without SPARK_HOME target/classpath.txt must exist; with it, give
# the classes the jar lacks with --driver-class-path and spark.executor.extraClassPath);
# TASN_JAVA_OPTS (above); TASN_DRY_RUN=1 prints the command instead of running it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="0.1.0-SNAPSHOT"
THIN_JAR="$ROOT/target/tasn-spark-$VERSION.jar"
JOB_JAR="$ROOT/target/tasn-spark-$VERSION-job.jar"
MAIN_CLASS="tasn.cli.TasnMain"
PROJECT_CONF="$ROOT/conf/spark-defaults.conf"

usage_error() { echo "tasn: $1" >&2; exit 2; }
source "$ROOT/deploy/spark-submit-common.sh"

if [[ $# -lt 1 ]]; then usage_error "usage: $0 SUBCOMMAND [ARGS...]"; fi
SUBCOMMAND="$1"; shift

# Split spark-submit's options (into SUBMIT_PASS) from the job's own.
JOB_ARGS=()
HELP=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) HELP=help; JOB_ARGS+=("$1"); shift; continue ;;
    -V|--version) HELP="${HELP:-version}"; JOB_ARGS+=("$1"); shift; continue ;;
  esac
  take_submit_option "$@"
  if (( TAKEN > 0 )); then shift "$TAKEN"; else JOB_ARGS+=("$1"); shift; fi
done
if [[ ${#JOB_ARGS[@]} -eq 0 && "$SUBCOMMAND" != inspect ]]; then HELP=usage; fi
given_value() {  # the last value SUBMIT_PASS gives option $1
  local i found=""
  for (( i = 0; i + 1 < ${#SUBMIT_PASS[@]}; i++ )); do
    if [[ "${SUBMIT_PASS[$i]}" == "$1" ]]; then found="${SUBMIT_PASS[$((i + 1))]}"; fi
  done
  echo "$found"
}

command -v java >/dev/null || usage_error "java not found on PATH; install a Java 17 JDK (Debian: apt-get install openjdk-17-jdk-headless)"

stale() {  # true when $1 is missing or older than any source of the build
  local artefact="$1"
  [[ ! -f "$artefact" ]] && return 0
  [[ -n "$(find "$ROOT/pom.xml" "$ROOT/src/main" "$ROOT/conf/log4j2.properties" -newer "$artefact" -type f -print -quit)" ]]
}

build() {
  command -v mvn >/dev/null || usage_error "the project is not built and mvn is not on PATH; install Maven 3.8+ (Debian: apt-get install maven)"
  echo "tasn: building the project (mvn $*) ..." >&2
  (cd "$ROOT" && mvn -B -q -DskipTests "$@" package) >&2
}

run() {  # runs (or with TASN_DRY_RUN=1 prints) the command "$@" in place of this shell
  if [[ -n "${TASN_DRY_RUN:-}" ]]; then printf '%q ' "$@"; echo; exit 0; fi
  exec "$@"
}

# The job in a plain JVM: --help, --version, or the usage without arguments.
fast_path() {
  local code=0
  local command=(java -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" -cp "$1"
    "$MAIN_CLASS" "$SUBCOMMAND" ${JOB_ARGS[@]+"${JOB_ARGS[@]}"})
  if [[ -n "${TASN_DRY_RUN:-}" ]]; then run "${command[@]}"; fi
  "${command[@]}" || code=$?
  if [[ "$HELP" == help ]]; then
    echo
    echo "spark-submit options: jobs/$SUBCOMMAND.sh passes these to spark-submit (with SPARK_HOME) or to"
    echo "the embedded Spark, as --opt VALUE or --opt=VALUE, anywhere among the job's options:"
    spark_submit_options_help
    echo "-h/--help, -V/--version are the job's; --class, --kill, --status, --usage-error are refused."
    echo "Spark reads the cluster's spark-defaults.conf; conf/spark-defaults.conf is layered on it, and"
    echo "what you give (--conf, --properties-file, --executor-memory, ...) wins. See deploy/README.md."
  fi
  exit "$code"
}

if [[ -n "${SPARK_HOME:-}" ]]; then
  JAR="${TASN_JOB_JAR:-$JOB_JAR}"
  if [[ -z "${TASN_JOB_JAR:-}" ]] && stale "$JOB_JAR"; then build -Pjob-jar; fi
  [[ -f "$JAR" ]] || usage_error "TASN_JOB_JAR=$JAR: no such file"
  if [[ -n "$HELP" ]]; then
    DRIVER_CLASS_PATH="$(given_value --driver-class-path)"
    fast_path "$JAR${DRIVER_CLASS_PATH:+:$DRIVER_CLASS_PATH}:$SPARK_HOME/jars/*"
  fi
  spark_layered_conf ${SUBMIT_PASS[@]+"${SUBMIT_PASS[@]}"}
  run "$SPARK_HOME/bin/spark-submit" --class "$MAIN_CLASS" ${LAYERED_CONF[@]+"${LAYERED_CONF[@]}"} \
    ${SUBMIT_PASS[@]+"${SUBMIT_PASS[@]}"} "$JAR" "$SUBCOMMAND" ${JOB_ARGS[@]+"${JOB_ARGS[@]}"}
fi

JAR="${TASN_JOB_JAR:-$THIN_JAR}"
if [[ -z "${TASN_JOB_JAR:-}" ]] && { stale "$THIN_JAR" || [[ ! -f "$ROOT/target/classpath.txt" ]]; }; then build; fi
[[ -f "$JAR" ]] || usage_error "TASN_JOB_JAR=$JAR: no such file"
[[ -f "$ROOT/target/classpath.txt" ]] || usage_error "$ROOT/target/classpath.txt is missing: build the project (mvn -DskipTests package)"
CLASSPATH_JARS="$JAR:$(cat "$ROOT/target/classpath.txt")"
if [[ -n "$HELP" ]]; then fast_path "$CLASSPATH_JARS"; fi

# The embedded Spark: conf/spark-defaults.conf unless the caller names a properties file of
# their own; local[*] unless a master is given.
EMBEDDED_ARGS=(--conf spark.ui.showConsoleProgress=false)
if [[ -z "$(given_value --properties-file)" ]]; then EMBEDDED_ARGS+=(--properties-file "$PROJECT_CONF"); fi
if [[ -z "$(given_value --master)" ]]; then EMBEDDED_ARGS+=(--master "local[*]"); fi
for option in --driver-memory --driver-java-options --driver-class-path --driver-library-path; do
  if [[ -n "$(given_value "$option")" ]]; then
    echo "tasn: note: $option has no effect on the embedded Spark, whose JVM is this one: set TASN_JAVA_OPTS instead" >&2
  fi
done
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
# The driver settings of conf/spark-defaults.conf, read from it so the two cannot drift apart.
EMBEDDED_JAVA_OPTS="-Xmx$(project_setting "$PROJECT_CONF" spark.driver.memory) $(project_setting "$PROJECT_CONF" spark.driver.extraJavaOptions)"
run java ${TASN_JAVA_OPTS:-$EMBEDDED_JAVA_OPTS} @"$ROOT/conf/java17.flags" \
  -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
  -cp "$CLASSPATH_JARS" \
  org.apache.spark.deploy.SparkSubmit "${EMBEDDED_ARGS[@]}" \
  --class "$MAIN_CLASS" ${SUBMIT_PASS[@]+"${SUBMIT_PASS[@]}"} "$JAR" "$SUBCOMMAND" ${JOB_ARGS[@]+"${JOB_ARGS[@]}"}
