#!/usr/bin/env bash
# Runs a Java benchmark main class from src/test/java (package tasn.bench) on the test
# classpath, with the JVM flags Spark needs: `bench/_java.sh CLASS [ARGS...]`.
# Builds the test classes first when they are missing or older than the sources.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CP_FILE="$ROOT/target/test-classpath.txt"
MARK="$ROOT/target/test-classes"
if [[ ! -f "$CP_FILE" || ! -d "$MARK" || -n "$(find "$ROOT/pom.xml" "$ROOT/src" -newer "$CP_FILE" -type f -print -quit)" ]]; then
  echo "bench: building (mvn test-compile) ..." >&2
  (cd "$ROOT" && mvn -B -q -DskipTests test-compile dependency:build-classpath \
      -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE") >&2
  touch "$CP_FILE"
fi
CLASS="$1"; shift
CLASSPATH_JARS="$(cat "$CP_FILE")"
# ND4J_NATIVES_JAR=PATH: run on that nd4j-native natives jar instead of the shipped one
# (bench/natives.sh compares the builds this way).
if [[ -n "${ND4J_NATIVES_JAR:-}" ]]; then
  [[ -f "$ND4J_NATIVES_JAR" ]] || { echo "bench: ND4J_NATIVES_JAR=$ND4J_NATIVES_JAR: no such file" >&2; exit 2; }
  CLASSPATH_JARS="$(tr ':' '\n' <<< "$CLASSPATH_JARS" | grep -v -E '/nd4j-native-[^/]*-linux-x86_64[^/]*\.jar$' | paste -sd:):$ND4J_NATIVES_JAR"
fi
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
exec java ${BENCH_JAVA_OPTS:--Xmx8g} @"$ROOT/conf/java17.flags" \
  -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
  -cp "$ROOT/target/test-classes:$ROOT/target/classes:$CLASSPATH_JARS" "$CLASS" "$@"
