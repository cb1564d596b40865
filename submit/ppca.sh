#!/usr/bin/env bash
# Closed-form probabilistic PCA against a linear VAE on the same data (PpcaJob; docs/ppca.md): exact log p(x) of both,
# principal angles, identifiability and the collapse sweep, as ppca.md + CSV tables in ppca.output. MNIST in [0, 1]:
#   submit/ppca.sh --conf conf/experiments/ppca-mnist.conf spark.master='local[2]' data.path=data-out/mnist
exec "$(dirname "$0")/launch.sh" ppca "$@"
