#!/usr/bin/env bash
# Runs one job: launch.sh <prepare|train|evaluate|leaderboard|validate|results|benchmark|family|iwae|m2> [--conf FILE] [key=value ...]
# With spark-submit available (SPARK_HOME or PATH) the job is submitted with train-vae.jar;
# otherwise it runs embedded (spark.master, default local[*]) with java and the Maven-built classpath.
# A benchmark job (bench.main.*) runs from vae-benchmarks.jar, with train-vae.jar beside it.
# Jar paths, job classes and JVM flags come from submit/launch.properties (their one home).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
props="$here/launch.properties"
prop() { sed -n "s/^$1=//p" "$props"; }

job="${1:?usage: launch.sh <job> [--conf FILE] [key=value ...]}"; shift
main="$(prop "main.$job")"
bench_jar=""
if [ -z "$main" ]; then
  main="$(prop "bench.main.$job")"
  [ -z "$main" ] || bench_jar="$root/$(prop bench.jar)"
fi
[ -n "$main" ] || { echo "error: unknown job '$job' (known: $(sed -n 's/^\(bench\.\)\{0,1\}main\.\([a-z0-9]*\)=.*/\2/p' "$props" | tr '\n' ' '))" >&2; exit 2; }
# VAE_JAR picks another build of the fat jar, e.g. spark-jobs/target/train-vae-cuda.jar (mvn -Pcuda package) for GPU executors.
jar="${VAE_JAR:-$root/$(prop jar)}"
classpath_file="$root/$(prop classpath.file)"
jvm_flags="$(prop jvm.flags)"
# The ND4J native build (docs/executors.md, "Native build"): VAE_NATIVE_BUILD, else native.build of launch.properties.
# auto takes onednn-avx2 (oneDNN kernels, AVX2) where this machine's CPU has AVX2, else generic; both are in the jar.
# The choice goes to the driver and the executors alike: on a cluster whose executors lack AVX2, set generic.
native_build="${VAE_NATIVE_BUILD:-$(prop native.build)}"
has_avx2() { grep -qw avx2 /proc/cpuinfo 2>/dev/null; }
case "$native_build" in
  auto) if has_avx2; then native_build=onednn-avx2; else native_build=generic; fi ;;
  generic) ;;
  onednn-avx2) has_avx2 || { echo "error: VAE_NATIVE_BUILD=onednn-avx2 needs a CPU with AVX2, and this one has none (/proc/cpuinfo); use VAE_NATIVE_BUILD=generic or auto" >&2; exit 2; } ;;
  *) echo "error: VAE_NATIVE_BUILD (or native.build in submit/launch.properties) is '$native_build'; use auto, generic or onednn-avx2" >&2; exit 2 ;;
esac
case "${VAE_JAR:-}:$native_build" in
  *cuda*) ;;  # the CUDA build has no CPU variants
  *:generic) jvm_flags="$jvm_flags -Dorg.bytedeco.javacpp.platform.extension=" ;;  # empty: JavaCPP would take the oneDNN build otherwise
  *) jvm_flags="$jvm_flags -Dorg.bytedeco.javacpp.platform.extension=-$native_build" ;;
esac
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(prop omp.num.threads)}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-$(prop omp.wait.policy)}"

if [ ! -f "$jar" ] || [ ! -f "$classpath_file" ] || { [ -n "$bench_jar" ] && [ ! -f "$bench_jar" ]; }; then
  echo "building train-vae.jar and vae-benchmarks.jar (first run only) ..." >&2
  (cd "$root" && mvn -B -q -DskipTests package)
fi

spark_submit=""
if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  spark_submit="$SPARK_HOME/bin/spark-submit"
elif command -v spark-submit >/dev/null 2>&1; then
  spark_submit="$(command -v spark-submit)"
fi

if [ -n "$spark_submit" ] && [ "${VAE_EMBEDDED:-0}" != "1" ]; then
  # Extra spark-submit options (master, executors, resources) come from SPARK_SUBMIT_OPTS_EXTRA.
  # shellcheck disable=SC2086
  exec "$spark_submit" --class "$main" \
    --driver-java-options "$jvm_flags" \
    --conf "spark.executor.extraJavaOptions=$jvm_flags" \
    --conf "spark.executorEnv.OMP_NUM_THREADS=$OMP_NUM_THREADS" \
    --conf "spark.executorEnv.OMP_WAIT_POLICY=$OMP_WAIT_POLICY" \
    ${SPARK_SUBMIT_OPTS_EXTRA:-} ${bench_jar:+--jars "$jar"} "${bench_jar:-$jar}" "$@"
fi

# shellcheck disable=SC2086
exec java $jvm_flags ${JAVA_MEMORY:--Xmx8g -Dorg.bytedeco.javacpp.maxbytes=8G} \
  -cp "${bench_jar:+$bench_jar:}$jar:$(cat "$classpath_file")" "$main" "$@"
