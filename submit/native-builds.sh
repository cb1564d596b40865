#!/usr/bin/env bash
# Which ND4J native build is fastest here: the family speed table (submit/family-speed.sh) of the given speed experiments
# (default: the conv, PixelCNN, VampPrior and reference models) once per build, generic, -avx2 and -onednn-avx2 of
# nd4j-native ${dl4j.version}, in the order given by NATIVE_BUILDS (default "generic avx2 onednn-avx2"; run it a second
# time in the reverse order to see the drift of the machine). Each build runs in its own JVM with
# -Dorg.bytedeco.javacpp.platform.extension and that build's jar on the class path (fetched from Maven Central into
# ~/.m2 on first use). Both executors are measured: the CPU executor's figure and the graph's (graph_train_examples).
# Writes work/native-builds/<build>.json and .md. Run it at a quiet moment.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
props="$here/launch.properties"
prop() { sed -n "s/^$1=//p" "$props"; }
version="$(sed -n 's:.*<dl4j.version>\(.*\)</dl4j.version>.*:\1:p' pom.xml | head -1)"
builds="${NATIVE_BUILDS:-generic avx2 onednn-avx2}"
if [ "$#" -gt 0 ]; then
  list="$(printf '"%s",' "$@")"; list="${list%,}"
else
  list='"benchmarks/conf/speed/mlp-bernoulli.conf","benchmarks/conf/speed/mlp-vampprior.conf","benchmarks/conf/speed/conv-bernoulli.conf","benchmarks/conf/speed/pixelcnn-bernoulli.conf"'
fi
[ -f "$(prop jar)" ] && [ -f "$(prop bench.jar)" ] || mvn -B -q -DskipTests package
mkdir -p work/native-builds
for build in $builds; do
  case "$build" in
    generic) ext=""; extra="" ;;
    avx2|onednn-avx2)
      ext="-$build"
      extra="$HOME/.m2/repository/org/nd4j/nd4j-native/$version/nd4j-native-$version-linux-x86_64$ext.jar"
      [ -f "$extra" ] || mvn -B -q dependency:get "-Dartifact=org.nd4j:nd4j-native:$version:jar:linux-x86_64$ext" -Dtransitive=false
      ;;
    *) echo "error: unknown native build '$build' in NATIVE_BUILDS (known: generic avx2 onednn-avx2)" >&2; exit 2 ;;
  esac
  echo "native build: ${build} ..." >&2
  # shellcheck disable=SC2046
  OMP_NUM_THREADS="$(prop omp.num.threads)" OMP_WAIT_POLICY="$(prop omp.wait.policy)" \
  java $(prop jvm.flags) -Xmx8g -Dorg.bytedeco.javacpp.maxbytes=8G -Dorg.bytedeco.javacpp.platform.extension="$ext" \
    -cp "$(prop bench.jar):${extra:+$extra:}$(prop jar):$(cat "$(prop classpath.file)")" "$(prop bench.main.family)" \
    spark.master='local[2]' 'benchmark.family.experiments=[]' "benchmark.family.throughput=[$list]" \
    "benchmark.family.output=work/native-builds/$build.json" > "work/native-builds/$build.log" 2>&1
  tail -n +1 "work/native-builds/$build.md"
done
