// Prints Cedar's figures next to Gatekey's and their ratio (Cedar / Gatekey: how many times
// Gatekey's evaluator is faster), per scenario and request.
// Usage: node ratio.mjs <jmh.csv> <cedar.jsonl>
//   jmh.csv     JMH's `-rf csv` output of DecisionBenchmark run with `-bm avgt,sample -tu ns`
//               (mean = avgt score, p50/p99 = the sample mode's p0.50/p0.99 rows)
//   cedar.jsonl the stdout of run.sh / bench.mjs (one JSON object per line)
import { readFileSync } from 'node:fs';

function csvRows(text) {
  const rows = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const fields = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') { fields.push(field); field = ''; } else field += ch;
    }
    fields.push(field);
    rows.push(fields);
  }
  return rows;
}

/** Gatekey's figures keyed by "<irrelevantStatements>/<request>": { mean_ns, p50_ns, p99_ns }. */
function gatekey(file) {
  const [header, ...rows] = csvRows(readFileSync(file, 'utf8'));
  const col = (name) => header.indexOf(name);
  const [benchmark, mode, score, unit, param] = ['Benchmark', 'Mode', 'Score', 'Unit', 'Param: irrelevantStatements'].map(col);
  if (benchmark < 0 || mode < 0 || score < 0 || unit < 0 || param < 0) {
    throw new Error(`${file}: not a JMH CSV of DecisionBenchmark with the irrelevantStatements parameter`);
  }
  const figures = {};
  for (const row of rows) {
    // "...DecisionBenchmark.<method>" (avgt, sample mean) or "...DecisionBenchmark.<method>:p0.50"
    // (JMH before 1.33: ":<method>·p0.50")
    const m = /DecisionBenchmark\.(\w+)(?::(?:\w+\u00b7)?p(\d(?:\.\d+)?))?$/.exec(row[benchmark]);
    if (!m) continue;
    if (row[unit] !== 'ns/op') throw new Error(`${file}: expected ns/op, got ${row[unit]} (run JMH with -tu ns)`);
    const key = `${Number(row[param])}/${m[1]}`;
    const value = Number(row[score].replace(',', '.'));
    const f = (figures[key] ??= {});
    if (m[2] === undefined && row[mode] === 'avgt') f.mean_ns = value;
    else if (m[2] === '0.50') f.p50_ns = value;
    else if (m[2] === '0.99') f.p99_ns = value;
  }
  return figures;
}

const [jmhFile, cedarFile] = process.argv.slice(2);
if (!jmhFile || !cedarFile) {
  process.stderr.write('usage: node ratio.mjs <jmh.csv> <cedar.jsonl>\n');
  process.exit(2);
}
const ours = gatekey(jmhFile);
const cedarLines = readFileSync(cedarFile, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
const fmt = (ns) => (ns === undefined ? '-' : ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
const ratio = (c, g) => (c === undefined || g === undefined || g === 0 ? "-" : `${(c / g).toFixed(c / g < 10 ? 1 : 0)}x`);
console.log(['scenario', 'request', 'gatekey mean/p50/p99', 'cedar-wasm mean/p50/p99', 'cedar/gatekey mean/p50/p99'].join(' | '));
for (const c of cedarLines) {
  const key = `${c.irrelevant_statements}/${c.request}`;
  let g = ours[key];
  if (c.request === 'mix') {
    // Gatekey has no mix benchmark: the mean of the four requests' figures (means exactly,
    // percentiles approximately)
    const parts = ['mfaSessionAllowed', 'noMfaSessionDenied', 'noMfaSessionEnablesMfa', 'noMfaSessionOtherService']
      .map((r) => ours[`${c.irrelevant_statements}/${r}`]);
    if (parts.every((p) => p !== undefined)) {
      const avg = (k) => (parts.every((p) => p[k] !== undefined) ? parts.reduce((s, p) => s + p[k], 0) / parts.length : undefined);
      g = { mean_ns: avg('mean_ns'), p50_ns: avg('p50_ns'), p99_ns: avg('p99_ns') };
    }
  }
  g ??= {};
  console.log([c.scenario, c.request, [g.mean_ns, g.p50_ns, g.p99_ns].map(fmt).join(' / '),
    [c.mean_ns, c.p50_ns, c.p99_ns].map(fmt).join(' / '),
    [ratio(c.mean_ns, g.mean_ns), ratio(c.p50_ns, g.p50_ns), ratio(c.p99_ns, g.p99_ns)].join(' / ')].join(' | '));
}
