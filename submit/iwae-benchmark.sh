#!/usr/bin/env bash
# IWAE-5000 speed of a checkpoint against this machine's sgemm rate (IwaeBenchmarkJob): wall time, images/s,
# decoder GFLOP/s and its fraction of the GEMM rate, as JSON + Markdown (iwae-benchmark.output). The issue's figure:
#   submit/iwae-benchmark.sh --conf conf/experiments/mnist-static-mlp.conf spark.master='local[2]' \
#     data.path=data-out/binarized-mnist evaluate.checkpoint=runs/mnist-ref/checkpoints/round-NNNNNN
exec "$(dirname "$0")/launch.sh" iwae "$@"
