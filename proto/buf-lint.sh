#!/usr/bin/env bash
# buf lint of the contracts (run by `./mvnw verify`). buf comes from npm; on a machine without
# Node.js the lint is skipped with a notice, except in CI (CI=true), where it must run.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npx >/dev/null 2>&1; then
  if [ -n "${CI:-}" ]; then
    echo "buf lint: npx (Node.js) is required in CI" >&2
    exit 1
  fi
  echo "buf lint: skipped, npx (Node.js) is not installed"
  exit 0
fi
exec npx --yes @bufbuild/buf@1.50.0 lint
