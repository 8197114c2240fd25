#!/usr/bin/env bash
# Assembles a minimal Spark installation from Maven Central, for machines without a Spark
# distribution: DIR/jars holds exactly the jars our pom marks `provided` (Spark 3.5.9, its
# Scala 2.12 and shaded Hadoop 3.3.4 client: what a Spark distribution ships), and
# DIR/bin/spark-submit works as a distribution's does: Spark's launcher library
# (org.apache.spark.launcher.Main, as bin/spark-class runs it) builds the driver's command
# from the options, $SPARK_CONF_DIR (else DIR/conf)/spark-defaults.conf and --properties-file
# (driver memory, spark.driver.extraJavaOptions and extraClassPath, the Java 17 module flags),
# and DIR/conf is on the class path. Like a distribution, DIR/conf holds no spark-defaults.conf
# and no log4j2.properties: put your own there to play the cluster's.
# With SPARK_HOME=DIR the jobs/ scripts take their spark-submit path and the shaded job jar,
# exactly as on a real installation; CI and the tests use it to test that path.
#
#   deploy/spark-home/make.sh DIR      (prints DIR on stdout)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[[ $# -eq 1 ]] || { echo "usage: $0 DIR" >&2; exit 2; }
command -v mvn >/dev/null || { echo "make.sh: mvn not found; install Maven 3.8+" >&2; exit 2; }
mkdir -p "$1"
DIR="$(cd "$1" && pwd)"
mkdir -p "$DIR/jars" "$DIR/bin" "$DIR/conf"
(cd "$ROOT" && mvn -B -q dependency:build-classpath -Dmdep.includeScope=provided \
    -Dmdep.outputFile="$DIR/provided-classpath.txt") >&2
rm -f "$DIR/jars/"*
tr ':' '\n' < "$DIR/provided-classpath.txt" | while read -r jar; do
  [[ -n "$jar" ]] && ln -sf "$jar" "$DIR/jars/"
done
cat > "$DIR/bin/spark-submit" <<'SUBMIT'
#!/usr/bin/env bash
# spark-submit of a Spark installation assembled by deploy/spark-home/make.sh: bin/spark-class's
# way, with Spark's launcher library building the command it then runs.
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SPARK_HOME="$HOME_DIR" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
build_command() {
  java -Xmx128m -cp "$HOME_DIR/jars/*" org.apache.spark.launcher.Main org.apache.spark.deploy.SparkSubmit "$@"
  printf '%d\0' $?
}
# As bin/spark-class reads it: the launcher's messages, an empty line (its NUL), then the
# command's words separated by NULs; build_command adds the launcher's exit code.
CMD=()
DELIM=$'\n'
CMD_START_FLAG="false"
while IFS= read -d "$DELIM" -r _ARG; do
  ARG=${_ARG//$'\r'}
  if [ "$CMD_START_FLAG" == "true" ]; then
    CMD+=("$ARG")
  elif [ "$ARG" == $'\0' ]; then
    DELIM=''
    CMD_START_FLAG="true"
  elif [ "$ARG" != "" ]; then
    echo "$ARG"
  fi
done < <(build_command "$@")
COUNT=${#CMD[@]}
LAST=$((COUNT - 1))
LAUNCHER_EXIT_CODE=${CMD[$LAST]:-}
if ! [[ $LAUNCHER_EXIT_CODE =~ ^[0-9]+$ ]]; then
  echo "${CMD[@]}" | head -n-1 1>&2
  exit 1
fi
if [ "$LAUNCHER_EXIT_CODE" != 0 ]; then exit "$LAUNCHER_EXIT_CODE"; fi
exec "${CMD[@]:0:$LAST}"
SUBMIT
chmod +x "$DIR/bin/spark-submit"
echo "$DIR"
