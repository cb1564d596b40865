#!/usr/bin/env bash
# The model family's speed table (FamilyBenchmarkJob's speed part, benchmarks' bench/FamilySpeed): every
# benchmarks/conf/speed/*.conf on all cores, 300 warm-up steps, training and IWAE-5000 each paired with the sgemm rate
# read around them (median of 3), the graph's speed for the speed-up, memory, the executor and the ND4J native build.
# Needs the prepared static MNIST (conf/datasets/binarized-mnist.conf; CIFAR-10 for conv-logistic-cifar10). Later
# key=value arguments win, e.g. benchmark.family.throughput='["benchmarks/conf/speed/mlp-vampprior.conf"]'.
# JSON + Markdown in work/family-speed.*. Run it at a quiet moment: every figure is against the machine's sgemm rate.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/.."
list="$(ls benchmarks/conf/speed/*.conf | sed 's/.*/"&"/' | paste -sd, -)"
exec "$here/launch.sh" family spark.master='local[2]' 'benchmark.family.experiments=[]' "benchmark.family.throughput=[$list]" \
  benchmark.family.output=work/family-speed.json "$@"
