#!/usr/bin/env bash
# Assembles a minimal Spark installation from Maven Central, for machines without a Spark
# distribution: DIR/jars holds exactly the jars our pom marks `provided` (Spark 3.5.9, its
# Scala 2.12 and shaded Hadoop 3.3.4 client: what a Spark distribution ships), and
# DIR/bin/spark-submit runs org.apache.spark.deploy.SparkSubmit on them with the Java 17 flags.
# With SPARK_HOME=DIR the jobs/ scripts take their spark-submit path and the shaded job jar,
# exactly as on a real installation; CI uses it to test that path.
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
cp "$ROOT/conf/java17.flags" "$DIR/conf/java17.flags"
cp "$ROOT/conf/log4j2.properties" "$DIR/conf/log4j2.properties"
cat > "$DIR/bin/spark-submit" <<'SUBMIT'
#!/usr/bin/env bash
# spark-submit of a Spark installation assembled by deploy/spark-home/make.sh.
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SPARK_HOME="$HOME_DIR" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
exec java ${SPARK_SUBMIT_JAVA_OPTS:--Xmx8g} @"$HOME_DIR/conf/java17.flags" \
  -Dlog4j2.configurationFile="$HOME_DIR/conf/log4j2.properties" \
  -cp "$HOME_DIR/conf:$HOME_DIR/jars/*" org.apache.spark.deploy.SparkSubmit "$@"
SUBMIT
chmod +x "$DIR/bin/spark-submit"
echo "$DIR"
