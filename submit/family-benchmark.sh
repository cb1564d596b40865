#!/usr/bin/env bash
# The model family's quality figures (FamilyBenchmarkJob): every experiment of benchmark.family.experiments
# trained for the same CPU budget on one thread, then IWAE-5000 on benchmark.family.iwae-images test images (a hash subset)
# (its speed part, benchmark.family.throughput, is empty by default: submit/family-speed.sh runs it).
# Needs the prepared static MNIST (conf/datasets/binarized-mnist.conf). JSON + Markdown in work/family-benchmark.*.
exec "$(dirname "$0")/launch.sh" family spark.master='local[2]' "$@"
