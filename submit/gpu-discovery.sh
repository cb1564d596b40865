#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript / spark.worker.resource.gpu.discoveryScript):
# prints the GPUs of this host as Spark's ResourceInformation JSON, e.g. {"name":"gpu","addresses":["0","1"]}.
set -euo pipefail
ids="$(nvidia-smi --query-gpu=index --format=csv,noheader | tr -d ' ' | paste -sd, - | sed 's/,/","/g')"
if [ -z "$ids" ]; then
  echo '{"name":"gpu","addresses":[]}'
else
  echo "{\"name\":\"gpu\",\"addresses\":[\"$ids\"]}"
fi
