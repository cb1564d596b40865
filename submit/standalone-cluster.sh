#!/usr/bin/env bash
# A Spark standalone cluster on this machine, from the Spark jars Maven already has (no Spark download):
# a master on 127.0.0.1 and workers on 127.0.0.1, 127.0.0.2, ... as separate JVMs (ClusterCli / StandaloneCluster).
#   submit/standalone-cluster.sh start  [--state DIR] [--workers 2] [--cores 2] [--memory 2g]
#   submit/standalone-cluster.sh status [--state DIR]    master URL, workers, apps, drivers, the spark-submit line
#   submit/standalone-cluster.sh submit [--state DIR] [--deploy-mode cluster|client] [--spark KEY=VALUE]... JOB [--conf FILE] [key=value ...]
#   submit/standalone-cluster.sh stop   [--state DIR]
# State (pids, master URL, logs, the workers' work dirs with driver and executor logs): work/standalone-cluster.
# In cluster deploy mode (the default) the driver runs on a worker: give data.path, run.dir, ... as absolute paths.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/.."
props=submit/launch.properties
prop() { sed -n "s/^$1=//p" "$props"; }
tools_jar="$(prop tools.jar)"
if [ ! -f "$(prop jar)" ] || [ ! -f "$(prop classpath.file)" ] || [ ! -f "$tools_jar" ]; then
  echo "building train-vae.jar and vae-tools.jar (first run only) ..." >&2
  mvn -B -q -DskipTests package
fi
# shellcheck disable=SC2046
exec java $(prop jvm.flags) -Xmx256m -cp "$tools_jar" "$(prop tools.main.cluster)" "$@"
