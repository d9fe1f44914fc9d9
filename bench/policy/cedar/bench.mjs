// Cedar (@cedar-policy/cedar-wasm) side of bench/policy: the self-manage-MFA policy set, alone
// and with 1,000 irrelevant statements, deciding the requests of the JMH DecisionBenchmark.
// Checks every decision first (the timed requests and the self-manage cases of the
// conformance corpus), then times single decisions after a warm-up and prints one JSON line per
// scenario and request on stdout; everything else goes to stderr. See README.md.
//
// Usage: node bench.mjs [key=value ...]   |   node bench.mjs --verify-only
//   warmupMs=3000       the same loop, untimed, before every measurement
//   measureMs=4000      measure at least this long ...
//   minIterations=1000  ... and at least this many decisions ...
//   maxIterations=200000 ... but never more
//   irrelevant=0,1000   the scenarios: irrelevant statements besides the self-manage set
//   requests=all        or a comma list of the request names below and/or "mix"
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { iamStatement, irrelevantPolicies } from './irrelevant.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const ACCOUNT = '123456789012';
const USER = 'alice';
const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/${USER}`;
const SELF_MANAGE_SIDS = 9;

function fail(message) {
  process.stderr.write(`cedar bench: ${message}\n`);
  process.exit(1);
}

function options(argv) {
  const o = { warmupMs: 3000, measureMs: 4000, minIterations: 1000, maxIterations: 200000, irrelevant: [0, 1000], requests: 'all',
    verifyOnly: false };
  for (const arg of argv) {
    if (arg === '--verify-only') { o.verifyOnly = true; continue; }
    const [key, value] = arg.split('=', 2);
    if (value === undefined || !(key in o) || key === 'verifyOnly') fail(`unknown argument ${arg}`);
    if (key === 'irrelevant') o.irrelevant = value.split(',').map(Number);
    else if (key === 'requests') o.requests = value;
    else o[key] = Number(value);
    if (key !== 'requests' && [o[key]].flat().some((v) => !Number.isInteger(v) || v < 0)) {
      fail(`${key} must be a non-negative integer (list)`);
    }
  }
  if (o.maxIterations < 1) fail('maxIterations must be at least 1');
  return o;
}

// ---- the policy sets -------------------------------------------------------------------------

/** The hand translation, keyed by the @id annotation (the IAM Sid). */
function selfManagePolicies() {
  const parts = cedar.policySetTextToParts(readFileSync(join(here, 'self-manage-mfa.cedar'), 'utf8'));
  if (parts.type !== 'success') fail(`self-manage-mfa.cedar: ${JSON.stringify(parts.errors)}`);
  const policies = {};
  for (const text of parts.policies) {
    const id = /@id\("([^"]+)"\)/.exec(text)?.[1];
    if (!id || id in policies) fail(`self-manage-mfa.cedar: a policy without a unique @id: ${text}`);
    policies[id] = text;
  }
  if (Object.keys(policies).length !== SELF_MANAGE_SIDS) fail(`expected ${SELF_MANAGE_SIDS} policies`);
  return policies;
}

function scenarioName(irrelevant) {
  return irrelevant === 0 ? 'self-manage-mfa' : `self-manage-mfa+${irrelevant}`;
}

/** Parses the set once into the Wasm module's cache (as policy-service compiles once). */
function preparse(irrelevant, id = scenarioName(irrelevant)) {
  const policies = { ...selfManagePolicies(), ...irrelevantPolicies(irrelevant, ACCOUNT) };
  const count = Object.keys(policies).length;
  if (count !== SELF_MANAGE_SIDS + irrelevant) fail(`expected ${SELF_MANAGE_SIDS + irrelevant} policies, got ${count}`);
  const parsed = cedar.preparsePolicySet(id, { staticPolicies: policies });
  if (parsed.type !== 'success') fail(`${id}: ${JSON.stringify(parsed.errors)}`);
  return { id, irrelevant, count };
}

// ---- requests --------------------------------------------------------------------------------

/** A resource ARN as a Cedar entity (id = ARN); see self-manage-mfa.cedar for the model. */
function resourceEntity(arn) {
  const iam = /^arn:aws:iam::(\d*):(user|mfa)\/(.+)$/.exec(arn);
  if (iam) {
    return { uid: { type: iam[2] === 'user' ? 'User' : 'MfaDevice', id: arn },
      attrs: { arn, account: iam[1], name: iam[3] }, parents: [] };
  }
  return { uid: { type: 'AwsResource', id: arn }, attrs: { arn }, parents: [] };
}

const principalEntity = resourceEntity(USER_ARN);

/**
 * The caller's context as policy-service's RequestContextFactory builds it (the same keys, the
 * IAM names in lower camel case): MFA keys per DESIGN.md's table — absent for a long-term
 * access key; session credentials carry multiFactorAuthPresent and tokenIssueTime, and with MFA
 * multiFactorAuthAge.
 */
function context(session, nowMs = Date.now()) {
  const nowS = Math.floor(nowMs / 1000);
  const c = {
    currentTime: new Date(nowS * 1000).toISOString().replace('.000Z', 'Z'),
    epochTime: nowS,
    principalArn: USER_ARN,
    principalType: 'User',
    principalAccount: ACCOUNT,
    userid: 'AIDABENCHALICE00000001',
    username: USER,
  };
  if (session.mfa !== undefined) {
    c.multiFactorAuthPresent = session.mfa;
    c.tokenIssueTime = new Date((nowS - 3600) * 1000).toISOString().replace('.000Z', 'Z');
    if (session.mfa) c.multiFactorAuthAge = session.mfaAgeSeconds ?? 300;
  }
  return c;
}

function request(pset, session, action, resourceArn, builtContext = context(session), actionGroups = []) {
  const resource = resourceEntity(resourceArn);
  const entities = resource.uid.id === principalEntity.uid.id ? [principalEntity] : [principalEntity, resource];
  if (actionGroups.length > 0) {
    entities.push({ uid: { type: 'Action', id: action }, attrs: {},
      parents: actionGroups.map((id) => ({ type: 'Action', id })) });
  }
  return {
    principal: principalEntity.uid,
    action: { type: 'Action', id: action },
    resource: resource.uid,
    context: builtContext,
    preparsedPolicySetId: pset.id,
    entities,
  };
}

const MFA = { mfa: true, mfaAgeSeconds: 300 };
const NO_MFA = { mfa: false };
const LONG_TERM = {};

/**
 * The requests of the JMH DecisionBenchmark, same names, same expected decisions. `decide`
 * passes a request built in advance; `WithContext` builds the context from the caller on every
 * call, as Authorize does. (Cedar-wasm converts the request from JS to Rust on every call
 * either way.)
 */
const TIMED = [
  { name: 'mfaSessionAllowed', session: MFA, action: 'iam:CreateAccessKey', resource: USER_ARN,
    expect: 'ALLOWED', matched: ['AllowManageOwnAccessKeys'] },
  { name: 'noMfaSessionDenied', session: NO_MFA, action: 'iam:CreateAccessKey', resource: USER_ARN,
    expect: 'EXPLICIT_DENY', matched: ['DenyAllExceptListedIfNoMFA'] },
  { name: 'noMfaSessionEnablesMfa', session: NO_MFA, action: 'iam:EnableMFADevice', resource: USER_ARN,
    expect: 'ALLOWED', matched: ['AllowManageOwnUserMFA'] },
  { name: 'noMfaSessionOtherService', session: NO_MFA, action: 's3:GetObject',
    resource: 'arn:aws:s3:::reports/2026/q3.csv', expect: 'EXPLICIT_DENY', matched: ['DenyAllExceptListedIfNoMFA'] },
  { name: 'mfaSessionAllowedWithContext', session: MFA, action: 'iam:CreateAccessKey', resource: USER_ARN,
    expect: 'ALLOWED', matched: ['AllowManageOwnAccessKeys'], buildContext: true },
];
const MIX = TIMED.filter((r) => !r.buildContext).map((r) => r.name);

// ---- checking decisions ----------------------------------------------------------------------

/** Cedar's answer in IAM's terms: allow, explicit deny (a forbid holds) or implicit deny. */
function decide(call) {
  const answer = cedar.statefulIsAuthorized(call);
  if (answer.type !== 'success') fail(`authorization failed: ${JSON.stringify(answer.errors)}`);
  const { decision, diagnostics } = answer.response;
  if (diagnostics.errors.length > 0) fail(`policies errored: ${JSON.stringify(diagnostics.errors)}`);
  const matched = [...diagnostics.reason].sort();
  if (decision === 'allow') return { decision: 'ALLOWED', matched };
  return { decision: matched.length > 0 ? 'EXPLICIT_DENY' : 'IMPLICIT_DENY', matched };
}

function check(what, call, expect, matched) {
  const got = decide(call);
  const want = [...matched].sort();
  if (got.decision !== expect || JSON.stringify(got.matched) !== JSON.stringify(want)) {
    fail(`${what}: expected ${expect} ${JSON.stringify(want)}, got ${got.decision} ${JSON.stringify(got.matched)}`);
  }
}

const SESSIONS = {
  'long-term-key': () => LONG_TERM,
  'sts-mfa': (r) => ({ mfa: true, mfaAgeSeconds: r.mfaAgeSeconds }),
  'sts-no-mfa': () => NO_MFA,
  'console-mfa': (r) => ({ mfa: true, mfaAgeSeconds: r.mfaAgeSeconds }),
  'console-password': () => NO_MFA,
};

/** The conformance corpus's cases of the self-manage policy for the IAM user (not root). */
function corpusCases() {
  const file = join(root, 'policy-service/src/test/resources/conformance/mfa-policies.json');
  const corpus = JSON.parse(readFileSync(file, 'utf8'));
  const cases = corpus.cases.filter((c) => JSON.stringify(c.policies) === '["aws-self-manage-mfa-and-creds"]'
    && c.request.principal === USER && c.request.session in SESSIONS
    && c.request.resource !== undefined && Object.keys(c.request).every((k) =>
      ['principal', 'session', 'action', 'resource', 'mfaAgeSeconds'].includes(k)));
  if (cases.length < 40) fail(`expected at least 40 self-manage cases in ${file}, found ${cases.length}`);
  return cases;
}

function verify(pset, cases) {
  for (const c of cases) {
    const r = c.request;
    check(`${pset.id}: corpus "${c.description}"`, request(pset, SESSIONS[r.session](r), r.action, r.resource),
      c.expect.decision, (c.expect.matchedStatements ?? []).map((m) => m.sid));
  }
  check(`${pset.id}: long-term access key, CreateAccessKey (BoolIfExists: the key is absent)`,
    request(pset, LONG_TERM, 'iam:CreateAccessKey', USER_ARN), 'EXPLICIT_DENY', ['DenyAllExceptListedIfNoMFA']);
  for (const t of TIMED) {
    check(`${pset.id}: ${t.name}`, request(pset, t.session, t.action, t.resource), t.expect, t.matched);
  }
}

/** IAM's `*` (none of these ARNs or actions has a `?`), case-insensitive for actions. */
function glob(pattern, value, ignoreCase) {
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

/**
 * The Cedar translation of the irrelevant statements against IAM's rules, on the set of the
 * self-manage policies and the first `count` irrelevant statements: requests that do hit them
 * (every service's exact actions and a member of its wildcard, a matching and a foreign
 * resource, each region and none, with MFA so that the self-manage set adds nothing) must get
 * the decision and matched statements that IAM's matching gives on the IAM statements.
 * Returns the number of requests checked.
 */
function verifyIrrelevant(count) {
  const pset = preparse(count, `check-${count}`);
  const statements = Array.from({ length: count }, (_, n) => iamStatement(n, ACCOUNT));
  const wildcards = [...new Set(statements.flatMap((st) => st.Action).filter((a) => a.includes('*')))];
  const members = { 'Describe*': 'DescribeThings', 'Get*': 'GetThing', 'List*': 'ListThings' };
  const probes = new Map();
  for (const st of iamStatementsOfEveryKind()) {
    for (const action of st.Action) {
      const [service, name] = action.split(':');
      probes.set(`${service}:${members[name] ?? name}`, st.Resource);
    }
  }
  const seen = new Set();
  for (const [action, pattern] of probes) {
    const matching = pattern.replace(/\*/g, 'x1');
    for (const resource of [matching, matching.replace(ACCOUNT, '999999999999')]) {
      for (const region of ['eu-west-1', 'eu-west-2', 'eu-west-3', undefined]) {
        const hits = statements.filter((st) => st.Action.some((a) => glob(a, action, true)) && glob(st.Resource, resource, false)
          && (st.Condition === undefined || st.Condition.StringEquals['aws:RequestedRegion'] === region));
        const denies = hits.filter((st) => st.Effect === 'Deny');
        const [expect, matched] = denies.length > 0 ? ['EXPLICIT_DENY', denies]
          : hits.length > 0 ? ['ALLOWED', hits] : ['IMPLICIT_DENY', []];
        const built = { ...context(MFA), ...(region === undefined ? {} : { requestedRegion: region }) };
        const groups = wildcards.filter((w) => glob(w, action, true));
        check(`${pset.id}: ${action} on ${resource} in ${region ?? 'no region'}`,
          request(pset, MFA, action, resource, built, groups), expect, matched.map((st) => st.Sid));
        seen.add(expect);
      }
    }
  }
  if (count <= 100 && seen.size !== 3) fail(`${pset.id}: the probes did not reach every decision: ${[...seen]}`);
  return probes.size * 8;
}

/** The first 30 statements: every service with each of its three actions. */
function iamStatementsOfEveryKind() {
  return Array.from({ length: 30 }, (_, n) => iamStatement(n, ACCOUNT));
}

// ---- timing ----------------------------------------------------------------------------------

/**
 * Times `calls` round robin, one decision per sample (process.hrtime.bigint around each call),
 * after `warmupMs` of the same loop (V8 tiers the Wasm code up meanwhile). Percentiles are
 * nearest-rank over all samples. cpu_mean_ns: the process's CPU time (user + system, all its
 * threads) over the timed loop per decision — on a machine shared with other work it shows how
 * much of the wall-clock figures is waiting for a core.
 */
function measure(calls, { warmupMs, measureMs, minIterations, maxIterations }) {
  const run = (call) => {
    const call2 = call.buildContext ? { ...call.base, context: context(call.session) } : call.base;
    const answer = cedar.statefulIsAuthorized(call2);
    if (answer.type !== 'success' || answer.response.decision !== call.decision) {
      fail(`decision changed while timing: ${JSON.stringify(answer)}`);
    }
  };
  const warmupEnd = process.hrtime.bigint() + BigInt(warmupMs) * 1_000_000n;
  for (let i = 0; process.hrtime.bigint() < warmupEnd; i++) run(calls[i % calls.length]);
  const samples = new Float64Array(maxIterations);
  const end = process.hrtime.bigint() + BigInt(measureMs) * 1_000_000n;
  const cpuStart = process.cpuUsage();
  let n = 0;
  while (n < maxIterations) {
    const call = calls[n % calls.length];
    const start = process.hrtime.bigint();
    run(call);
    const stop = process.hrtime.bigint();
    samples[n++] = Number(stop - start);
    if (stop >= end && n >= minIterations && n % calls.length === 0) break;
  }
  const cpu = process.cpuUsage(cpuStart);
  const sorted = samples.subarray(0, n).sort();
  const rank = (p) => sorted[Math.min(n - 1, Math.ceil(p * n) - 1)];
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  return { iterations: n, mean_ns: Math.round(sum / n), p50_ns: rank(0.5), p99_ns: rank(0.99), max_ns: sorted[n - 1],
    cpu_mean_ns: Math.round(((cpu.user + cpu.system) * 1000) / n) };
}

function timedCall(pset, t) {
  const decision = t.expect === 'ALLOWED' ? 'allow' : 'deny';
  return { base: request(pset, t.session, t.action, t.resource), buildContext: !!t.buildContext, session: t.session, decision };
}

// ---- main ------------------------------------------------------------------------------------

const o = options(process.argv.slice(2));
const selected = o.requests === 'all' ? [...TIMED.map((t) => t.name), 'mix'] : o.requests.split(',');
for (const name of selected) {
  if (name !== 'mix' && !TIMED.some((t) => t.name === name)) fail(`unknown request ${name}`);
}
const cases = corpusCases();
const sets = o.irrelevant.map((n) => preparse(n));
for (const pset of sets) verify(pset, cases);
const translationChecks = [10, 100, 1000].map(verifyIrrelevant).reduce((a, b) => a + b);
process.stderr.write(`cedar ${cedar.getCedarVersion()} (cedar-wasm, Node ${process.version}): decisions verified for `
  + `${sets.map((s) => `${s.id} (${s.count} policies)`).join(', ')}: ${cases.length + 1} corpus-style cases + `
  + `${TIMED.length} timed requests each; the irrelevant statements' translation: ${translationChecks} requests\n`);
if (o.verifyOnly) process.exit(0);

for (const pset of sets) {
  for (const name of selected) {
    const timed = name === 'mix' ? TIMED.filter((t) => MIX.includes(t.name)) : TIMED.filter((t) => t.name === name);
    const stats = measure(timed.map((t) => timedCall(pset, t)), o);
    process.stdout.write(`${JSON.stringify({ engine: 'cedar-wasm', cedar_version: cedar.getCedarVersion(),
      scenario: pset.id, irrelevant_statements: pset.irrelevant, policies: pset.count, request: name, ...stats })}\n`);
  }
}
