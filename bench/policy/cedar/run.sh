#!/usr/bin/env bash
# Cedar side of bench/policy: evaluates the self-manage-MFA policy set, alone and with 1,000
# irrelevant statements, with @cedar-policy/cedar-wasm (pinned in package.json and
# package-lock.json) on Node, for the requests of the JMH DecisionBenchmark. Checks every
# decision first (fails otherwise), then prints one JSON line per scenario and request on
# stdout (per-decision mean, median and p99 in ns); progress and errors go to stderr.
# Usage: bench/policy/cedar/run.sh [--verify-only] [key=value ...]   (keys: see bench.mjs / README.md)
# Needs node >= 18 and npm; installs into bench/policy/cedar/node_modules (git-ignored).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
command -v node >/dev/null && command -v npm >/dev/null || { echo "cedar bench: node and npm are required" >&2; exit 1; }
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 18 ] || { echo "cedar bench: node >= 18 is required, found $(node --version)" >&2; exit 1; }
echo "== cedar-wasm: npm ci" >&2
npm ci --no-audit --no-fund --prefer-offline --loglevel=error >&2
echo "== cedar-wasm on $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg), node $(node --version)" >&2
exec node bench.mjs "$@"
