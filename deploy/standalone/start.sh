#!/usr/bin/env bash
# Starts a Spark standalone cluster on loopback from the Maven classpath, with no Spark
# installation: one Master and N Workers, each a plain JVM bound to 127.0.0.1.
#
#   deploy/standalone/start.sh [--workers N] [--cores C] [--memory 4g] [--dir STATE_DIR]
#
# Prints the master URL (spark://127.0.0.1:PORT) on the last line of stdout; the state
# directory holds master-url, the PIDs (pids), the logs, and the SPARK_HOME the Workers need
# (a jars/ folder of links to the classpath jars: without it every executor fails with
# "Cannot find any build directories"). Stop everything with deploy/standalone/stop.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORKERS=2; CORES=1; MEMORY=4g; STATE="$ROOT/target/standalone"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --workers) WORKERS="$2"; shift 2 ;;
    --cores) CORES="$2"; shift 2 ;;
    --memory) MEMORY="$2"; shift 2 ;;
    --dir) STATE="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "start.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
command -v java >/dev/null || { echo "start.sh: java not found; install a Java 17 JDK" >&2; exit 2; }

THIN_JAR="$ROOT/target/tasn-spark-0.1.0-SNAPSHOT.jar"
if [[ ! -f "$THIN_JAR" || ! -f "$ROOT/target/classpath.txt" ]]; then
  command -v mvn >/dev/null || { echo "start.sh: mvn not found; install Maven 3.8+" >&2; exit 2; }
  (cd "$ROOT" && mvn -B -q -DskipTests package) >&2
fi
CLASSPATH_JARS="$THIN_JAR:$(cat "$ROOT/target/classpath.txt")"

if [[ -f "$STATE/pids" ]]; then
  echo "start.sh: $STATE/pids exists: a cluster may be running; stop it with deploy/standalone/stop.sh --dir $STATE" >&2
  exit 2
fi
mkdir -p "$STATE/spark-home/jars" "$STATE/logs" "$STATE/work"
rm -f "$STATE/spark-home/jars/"*
IFS=':' read -r -a JARS <<< "$CLASSPATH_JARS"
for jar in "${JARS[@]}"; do ln -sf "$jar" "$STATE/spark-home/jars/"; done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
MASTER_PORT=$(free_port); MASTER_UI=$(free_port)
export SPARK_HOME="$STATE/spark-home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1
JAVA=(java -Xmx512m @"$ROOT/conf/java17.flags" -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" -cp "$CLASSPATH_JARS")

"${JAVA[@]}" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$MASTER_PORT" --webui-port "$MASTER_UI" \
  > "$STATE/logs/master.log" 2>&1 &
echo "master $!" > "$STATE/pids"
URL="spark://127.0.0.1:$MASTER_PORT"
for _ in $(seq 1 120); do
  if (exec 3<>/dev/tcp/127.0.0.1/"$MASTER_PORT") 2>/dev/null; then break; fi
  sleep 0.5
done
for i in $(seq 1 "$WORKERS"); do
  "${JAVA[@]}" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores "$CORES" --memory "$MEMORY" \
    --webui-port "$(free_port)" --work-dir "$STATE/work/worker-$i" "$URL" > "$STATE/logs/worker-$i.log" 2>&1 &
  echo "worker-$i $!" >> "$STATE/pids"
done
# Wait until every Worker has registered with the Master (its JSON status page counts them).
alive=0
for _ in $(seq 1 240); do
  alive=$(curl -s "http://127.0.0.1:$MASTER_UI/json/" | grep -o '"aliveworkers" *: *[0-9]*' | grep -o '[0-9]*$' || true)
  alive=${alive:-0}
  [[ "$alive" -ge "$WORKERS" ]] && break
  sleep 0.5
done
if [[ "$alive" -lt "$WORKERS" ]]; then
  echo "start.sh: only $alive of $WORKERS workers registered; see $STATE/logs" >&2
  "$ROOT/deploy/standalone/stop.sh" --dir "$STATE" >&2 || true
  exit 1
fi
echo "$URL" > "$STATE/master-url"
echo "standalone cluster: $WORKERS workers x $CORES cores, logs in $STATE/logs, UI http://127.0.0.1:$MASTER_UI" >&2
echo "$URL"
