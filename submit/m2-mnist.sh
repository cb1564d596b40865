#!/usr/bin/env bash
# Semi-supervised M2 on raw MNIST (dynamic binarization) with 100 labels per class: trains in one
# process for m2-benchmark.seconds and prints the test classification error as JSON (SemiSupervisedBenchmarkJob).
# Needs a prepared dataset (conf/datasets/mnist-dynamic.conf); 10 labels per class: train.labelled-per-class=10.
exec "$(dirname "$0")/launch.sh" m2 --conf benchmarks/conf/mnist-m2-100-labels.conf spark.master='local[1]' "$@"
