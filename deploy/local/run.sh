#!/usr/bin/env bash
# Builds Gatekey and starts the whole system locally on an embedded PostgreSQL.
# Prints the endpoints and root credentials and writes them to .gatekey/local.env.
# Ctrl-C stops everything. Data is kept in .gatekey/ between runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -DskipTests install
exec java -Dgatekey.repo="$PWD" -cp "deploy/local/target/gatekey-local.jar:deploy/local/target/lib/*" dev.gatekey.local.Main
