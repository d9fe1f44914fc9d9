#!/usr/bin/env bash
# Runs the README's AWS CLI commands (the seed's Method 2, between the cli-flow markers),
# exactly as written, against a freshly started local system (fresh work directory, free
# ports) and checks what they print. Needs the packaged services (./mvnw -DskipTests install or
# verify first), Debian's AWS CLI v2 (/usr/bin/aws, package awscli), python3-boto3, jq and
# oathtool. The CLI's profiles go to the scratch directory, never to ~/.aws.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD

# The block says `aws` and `python3`: make them Debian's (a pip-installed AWS CLI v1 may come
# first on PATH).
/usr/bin/aws --version 2>/dev/null | grep -q '^aws-cli/2\.' \
  || { echo "cli-flow: Debian's AWS CLI v2 is missing (apt-get install awscli)"; exit 1; }
/usr/bin/python3 -c 'import boto3' 2>/dev/null \
  || { echo "cli-flow: boto3 is missing (apt-get install python3-boto3)"; exit 1; }
for tool in jq oathtool; do
  command -v $tool >/dev/null || { echo "cli-flow: $tool is missing (apt-get install $tool)"; exit 1; }
done

work=$(mktemp -d)
flowdir="$work/flow"           # plays the repository's root for the block
mkdir -p "$flowdir/system-tests/src/test" "$work/bin" "$work/aws"
ln -s "$repo/system-tests/src/test/resources" "$flowdir/system-tests/src/test/resources"
ln -s /usr/bin/aws "$work/bin/aws"
ln -s /usr/bin/python3 "$work/bin/python3"
log="$work/run.log"
java -Dgatekey.repo="$repo" -Dgatekey.work="$flowdir/.gatekey" -Dgatekey.ports=free \
  -cp "deploy/local/target/gatekey-local.jar:deploy/local/target/lib/*" dev.gatekey.local.Main >"$log" 2>&1 &
runner=$!
# SIGTERM (a background job ignores SIGINT): the runner's shutdown hook stops services and PostgreSQL
trap 'kill $runner 2>/dev/null || true; wait $runner 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 240); do
  [ -f "$flowdir/.gatekey/local.env" ] && break
  kill -0 $runner 2>/dev/null || { cat "$log"; exit 1; }
  sleep 1
done
[ -f "$flowdir/.gatekey/local.env" ] || { echo "the local system did not start"; cat "$log"; exit 1; }

flow=$(sed -n '/<!-- cli-flow:start -->/,/<!-- cli-flow:end -->/p' README.md | sed '1,2d;$d' | sed '$d')
[ -n "$flow" ] || { echo "cli-flow: no cli-flow block in README.md"; exit 1; }
out="$work/flow.out"
# One attempt per call: a retried get-session-token would present its code twice.
(cd "$flowdir" && env PATH="$work/bin:$PATH" HOME="$work" AWS_CONFIG_FILE="$work/aws/config" \
  AWS_SHARED_CREDENTIALS_FILE="$work/aws/credentials" AWS_PAGER="" AWS_MAX_ATTEMPTS=1 \
  bash -euo pipefail -c "$flow") >"$out" 2>&1 \
  || { echo "README CLI flow failed:"; cat "$out"; exit 1; }
cat "$out"

check() { # check <what> <grep -E pattern>
  grep -Eq -- "$2" "$out" || { echo "cli-flow: expected $1 (/$2/) in the output above"; exit 1; }
}
check "the explicit deny without MFA" \
  "An error occurred \(AccessDenied\) when calling the GetLoginProfile operation.*with an explicit deny in an identity-based policy"
check "the device's serial number" "^arn:aws:iam::[0-9]{12}:mfa/alice$"
check "the enabled device" '"SerialNumber": "arn:aws:iam::[0-9]{12}:mfa/alice"'
# created by root, then read by alice with MFA
[ "$(grep -c '"LoginProfile": {' "$out")" = 2 ] || { echo "cli-flow: alice could not read her login profile with MFA"; exit 1; }
check "the replayed code refused" \
  "An error occurred \(AccessDenied\) when calling the GetSessionToken operation.*MultiFactorAuthentication failed with invalid MFA one time pass code"
check "the device in use" '"MFADevicesInUse": 1'
check "alice's mfa_active in the credential report" "^alice,true,true$"
check "boto3's list of users" "^\['alice'\]$"
[ "$(jq -r .Credentials.AccessKeyId "$flowdir/alice-session.json" | head -c 4)" = ASIA ]
[ "$(grep -c 'An error occurred' "$out")" = 2 ] || { echo "cli-flow: an unexpected error above"; exit 1; }
echo "README CLI flow: every step behaved as documented"
