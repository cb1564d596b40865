#!/usr/bin/env bash
# Prepare-job speed: wall time of whole prepare jobs in local[2] (JVM start included) for MNIST
# (70k images) and CIFAR-10 (test + 10k train subset = 20k images), beside the time it takes only
# to read and decompress the same inputs (ReadBaseline). Prints and writes work/benchmark-prepare.json.
# Inputs: ../shared/data (override with SHARED_DATA=...).
set -euo pipefail
cd "$(dirname "$0")/.."
data="${SHARED_DATA:-../shared/data}"
out="${BENCHMARK_DIR:-work/benchmark-prepare}"
props=submit/launch.properties
prop() { sed -n "s/^$1=//p" "$props"; }
mkdir -p "$out"
{ [ -f "$(prop jar)" ] && [ -f "$(prop bench.jar)" ]; } || (mvn -B -q -DskipTests package)

now() { date +%s.%N; }
run_prepare() {  # name images args...
  local name="$1" images="$2"; shift 2
  local t0 t1; t0=$(now)
  submit/prepare-data.sh spark.master='local[2]' "prepare.output=$out/$name" prepare.overwrite=true "$@" > "$out/$name.log" 2>&1
  t1=$(now)
  echo "$name $images $(awk "BEGIN {print $t1 - $t0}")"
}
baseline() {  # files...
  # shellcheck disable=SC2046
  java $(prop jvm.flags) -cp "$(prop bench.jar):$(prop jar):$(cat "$(prop classpath.file)")" "$(prop bench.read-baseline)" "$@"
}

read -r _ mnist_n mnist_s < <(run_prepare mnist 70000 prepare.source=mnist "prepare.input=$data/mnist")
mnist_base=$(baseline "$data"/mnist/*.gz)
read -r _ cifar_n cifar_s < <(run_prepare cifar10 20000 prepare.source=cifar10-binary "prepare.input=$data/cifar10" \
  'prepare.cifar10.train-files=[train_subset_10k_class_sorted]' 'prepare.cifar10.test-files=[test_class_sorted]')
cifar_base=$(baseline "$data"/cifar10/*.bin)

json=$(cat <<JSON
{
  "machine_cores": $(nproc),
  "mnist": {"images": $mnist_n, "prepare_wall_seconds_incl_jvm": $mnist_s, "images_per_second": $(awk "BEGIN {print $mnist_n / $mnist_s}"), "read_and_decompress_only": $mnist_base},
  "cifar10": {"images": $cifar_n, "prepare_wall_seconds_incl_jvm": $cifar_s, "images_per_second": $(awk "BEGIN {print $cifar_n / $cifar_s}"), "read_and_decompress_only": $cifar_base}
}
JSON
)
echo "$json" | tee work/benchmark-prepare.json
