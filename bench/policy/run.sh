#!/usr/bin/env bash
# Benchmarks of policy-service (not part of ./mvnw verify; the module is in the bench profile):
#  1. In-process decisions (JMH, one thread): the self-manage-MFA policy set, alone and with
#     1,000 irrelevant statements; mean (avgt) and percentiles (sample). Then, when Node is
#     installed, the same decisions with Cedar (bench/policy/cedar) and the ratio table.
#  2. Authorize over gRPC on loopback against the gRPC health Check of the same server, at
#     1, 16 and 64 calls in flight: the packaged service on an embedded PostgreSQL.
# Usage: bench/policy/run.sh [jmh|grpc|all] [key=value ... for the gRPC run: inflight=1,16,64
#        warmupSeconds=5 seconds=4 rounds=4 users=16]
# Builds with ./mvnw package (never install). Everything it starts listens on 127.0.0.1 and is
# stopped at the end. Results: stdout and bench/policy/target/results.txt.
set -euo pipefail
what=${1:-all}
if [ $# -gt 0 ]; then shift; fi
grpc_args=("$@")
root=$(cd "$(dirname "$0")/../.." && pwd)
bench=$root/bench/policy
out=$bench/target
cd "$root"

echo "== building policy-service and the benchmarks (package, tests skipped)"
./mvnw -B -q -o -Pbench -pl bench/policy -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile="$out/classpath.txt" 2>&1 | grep -v 'Maven extensions' || true
test -f "$out/policy-bench-0.1.0-SNAPSHOT.jar" || { echo "build failed"; exit 1; }
cp=$out/classes:$(cat "$out/classpath.txt")
jar=$root/policy-service/target/quarkus-app/quarkus-run.jar

{
  echo "== $(date -u +%FT%TZ) on $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
  if [ "$what" = all ] || [ "$what" = jmh ]; then
    echo "== in-process decisions (JMH 1.37, 1 thread, 1 fork; ns per decision)"
    java -cp "$cp" org.openjdk.jmh.Main 'dev.gatekey.bench.policy.DecisionBenchmark' \
      -f 1 -t 1 -wi 3 -w 2s -i 4 -r 3s -bm avgt,sample -tu ns -rff "$out/jmh.csv" -rf csv \
      | grep -E '^(Benchmark|DecisionBenchmark)|<failure>|Exception'
    # the same decisions with Cedar (cedar-wasm on Node, bench/policy/cedar), right after JMH
    if command -v node >/dev/null && command -v npm >/dev/null; then
      echo "== the same decisions with Cedar (cedar-wasm), then Cedar / Gatekey"
      "$bench/cedar/run.sh" > "$out/cedar.jsonl"
      node "$bench/cedar/ratio.mjs" "$out/jmh.csv" "$out/cedar.jsonl"
    else
      echo "== Cedar side skipped: node and npm are needed (bench/policy/cedar/README.md)"
    fi
  fi
  if [ "$what" = all ] || [ "$what" = grpc ]; then
    echo "== Authorize vs gRPC health Check over loopback (service: $jar)"
    java -Xmx1g -Dbench.log="$out/policy-service.log" -cp "$cp" dev.gatekey.bench.policy.AuthorizeLoad "$jar" \
      ${grpc_args[@]+"${grpc_args[@]}"}
  fi
} 2>&1 | tee "$out/results.txt"
