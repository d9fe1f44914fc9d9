#!/usr/bin/env bash
# Runs the README's "Try it" commands, exactly as written, against a freshly started local
# system (fresh work directory), and checks what they print. Needs the packaged services
# (./mvnw verify or install first), jq, oathtool and npx.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
log="$work/run.log"
java -Dgatekey.repo="$PWD" -Dgatekey.work="$work" -cp "deploy/local/target/gatekey-local.jar:deploy/local/target/lib/*" dev.gatekey.local.Main >"$log" 2>&1 &
runner=$!
# SIGTERM (a background job ignores SIGINT): the runner's shutdown hook stops services and PostgreSQL
trap 'kill $runner 2>/dev/null || true; wait $runner 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 240); do
  [ -f "$work/local.env" ] && break
  kill -0 $runner 2>/dev/null || { cat "$log"; exit 1; }
  sleep 1
done
[ -f "$work/local.env" ] || { echo "the local system did not start"; cat "$log"; exit 1; }

flow=$(sed -n '/<!-- thin-flow:start -->/,/<!-- thin-flow:end -->/p' README.md | sed '1,2d;$d' | sed '$d')
out="$work/flow.out"
(cd "$work" && mkdir -p system-tests/src/test && ln -s "$OLDPWD/system-tests/src/test/resources" system-tests/src/test/resources \
  && bash -euo pipefail -c "$(echo "$flow" | sed "s#\. \.gatekey/local\.env#. $work/local.env#")") >"$out" 2>&1 \
  || { echo "README flow failed:"; cat "$out"; exit 1; }
cat "$out"
# Without MFA alice is denied, with MFA allowed, and the replayed code is refused.
grep -q 'with an explicit deny in an identity-based policy' "$out"
grep -q '"arn": "arn:aws:iam::[0-9]\{12\}:user/bob"' "$out"
grep -q 'The MFA code is invalid or has already been used' "$out"
[ "$(head -c 8 "$work/alice-qr.png" | od -An -tx1 | tr -d " \n")" = "89504e470d0a1a0a" ]
echo "README flow: every step behaved as documented"
