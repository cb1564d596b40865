#!/usr/bin/env bash
# Throughput figures as JSON (BenchmarkJob), on the reference experiment in local[2] by default.
# Needs a prepared dataset: data.path=... (default from conf/experiments/mnist-static-mlp.conf).
exec "$(dirname "$0")/launch.sh" benchmark --conf conf/experiments/mnist-static-mlp.conf spark.master='local[2]' "$@"
