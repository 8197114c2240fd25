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
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
exec java ${BENCH_JAVA_OPTS:--Xmx8g} @"$ROOT/conf/java17.flags" \
  -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
  -cp "$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$CP_FILE")" "$CLASS" "$@"
