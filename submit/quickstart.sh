#!/usr/bin/env bash
# The quickstart: prepare statically binarized MNIST -> train the reference model for a few
# minutes in local[*] -> IWAE-5000 on 1000 test images -> print the leaderboard.
# Data come from ../shared/data (or BINARIZED_MNIST_DIR); outputs go under work/.
set -euo pipefail
cd "$(dirname "$0")/.."
data_dir="${BINARIZED_MNIST_DIR:-../shared/data/binarized_mnist}"
out="${QUICKSTART_DIR:-work/quickstart}"
rm -rf "$out/runs/reference"
submit/prepare-data.sh prepare.source=binarized-mnist "prepare.input=$data_dir" "prepare.output=$out/data/binarized-mnist" prepare.overwrite=true
submit/train.sh --conf conf/experiments/quickstart.conf "data.path=$out/data/binarized-mnist" "run.dir=$out/runs/reference" "$@"
submit/evaluate.sh --conf conf/experiments/quickstart.conf "data.path=$out/data/binarized-mnist" "run.dir=$out/runs/reference" "results.dir=$out/results"
submit/leaderboard.sh "results.dir=$out/results"
