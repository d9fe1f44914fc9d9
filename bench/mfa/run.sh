#!/usr/bin/env bash
# Benchmarks of mfa-device-service (not part of ./mvnw verify):
#  1. VerifyTotp over gRPC against PostgreSQL on loopback, replay check intact: the packaged
#     service as its own process, an embedded PostgreSQL, many enabled devices so that no code
#     is a replay; maximum accepted verifications/s (closed loop), then latency at half that rate.
#  2. TOTP computation alone (JMH), the product's Totp class.
# Usage: bench/mfa/run.sh [devices=40000] [inflight=64] [warmupSeconds=10] [seconds=20]
# Builds with ./mvnw package (never install). Everything it starts listens on 127.0.0.1 and is
# stopped at the end. Results: stdout and bench/mfa/target/results.txt.
set -euo pipefail
bench_args=("$@")
root=$(cd "$(dirname "$0")/../.." && pwd)
bench=$root/bench/mfa
out=$bench/target
mkdir -p "$out/classes"
cd "$root"

echo "== building mfa-device-service (package, tests skipped)"
./mvnw -B -q -pl mfa-device-service -am package -DskipTests \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$out/classpath.txt"
jar=$root/mfa-device-service/target/quarkus-app/quarkus-run.jar

jmh_version=1.37
m2=${MAVEN_REPO:-$HOME/.m2/repository}
jmh_jar() { echo "$m2/$1/$2/$3/$2-$3.jar"; }
for artifact in "org/openjdk/jmh jmh-core $jmh_version" "org/openjdk/jmh jmh-generator-annprocess $jmh_version" \
                "net/sf/jopt-simple jopt-simple 5.0.4" "org/apache/commons commons-math3 3.6.1"; do
  set -- $artifact
  if [ ! -f "$(jmh_jar "$1" "$2" "$3")" ]; then
    ./mvnw -B -q dependency:get -Dartifact="$(echo "$1" | tr / .):$2:$3"
  fi
done
jmh=$(jmh_jar org/openjdk/jmh jmh-core $jmh_version):$(jmh_jar net/sf/jopt-simple jopt-simple 5.0.4):$(jmh_jar org/apache/commons commons-math3 3.6.1)
processor=$(jmh_jar org/openjdk/jmh jmh-generator-annprocess $jmh_version)
cp=$root/mfa-device-service/target/classes:$(cat "$out/classpath.txt"):$jmh

echo "== compiling the benchmarks"
javac -nowarn -d "$out/classes" -cp "$cp" -processorpath "$processor:$jmh" $(find "$bench/src" -name '*.java')

{
  echo "== $(date -u +%FT%TZ) on $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "== VerifyTotp over gRPC (service: $jar)"
  java -Xmx1g -Dbench.log="$out/mfa-service.log" -cp "$out/classes:$cp" dev.gatekey.bench.VerifyTotpBench "$jar" ${bench_args[@]+"${bench_args[@]}"}
  echo "== TOTP computation alone (JMH, 1 thread)"
  java -cp "$out/classes:$cp" org.openjdk.jmh.Main 'dev.gatekey.bench.TotpBenchmark' -f 1 -wi 2 -w 2s -i 3 -r 3s -t 1 \
    | grep -E '^(Benchmark|TotpBenchmark)'
} 2>&1 | tee "$out/results.txt"
