/**
 * Sigma engine throughput (issue: Ward foundation, acceptance 4). The attack-samples JSONL
 * (or, without ../shared, the project's examples) replicated to ≥ 1 M events in a temp file;
 * the full SigmaHQ Windows rule set (or Ward's pack). Prints rule load time, events/s per core
 * for hunt (read + parse + normalize + detect), the ratio to a bare JSON.parse pass over the same
 * file in the same run, and peak RSS. `WARD_BENCH_EVENTS` sets the event count.
 */
import { createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, openSync, writeSync, closeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir, availableParallelism } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type * as Detect from '../src/detect/index.js';
import type * as Sources from '../src/sources/index.js';

const shared = resolve(import.meta.dirname, '../../shared');

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function bareParse(file: string): Promise<{ n: number; s: number }> {
  const t0 = performance.now();
  let n = 0;
  const rl = createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of rl) {
    if (line) {
      JSON.parse(line);
      n++;
    }
  }
  return { n, s: (performance.now() - t0) / 1000 };
}

/** Ward's own JSON reader with no detector: byte lines, UTF-8 decode and JSON.parse of every line. */
async function readerParse(jsonReader: typeof Sources.jsonReader, file: string): Promise<{ n: number; s: number }> {
  const t0 = performance.now();
  let n = 0;
  for await (const b of jsonReader.read(file)) n += b.length;
  return { n, s: (performance.now() - t0) / 1000 };
}

export default async function sigmaBench(): Promise<void> {
  const target = Number(process.env.WARD_BENCH_EVENTS ?? 1_000_000);
  const haveShared = existsSync(join(shared, 'datasets'));
  const src = haveShared ? join(shared, 'datasets/evtx-attack-samples/evtx-attack-samples.jsonl') : resolve(import.meta.dirname, '../examples/windows-sysmon.jsonl');
  const ruleDirs = haveShared
    ? ['rules/windows', 'rules-emerging-threats', 'rules-threat-hunting/windows'].map((d) => join(shared, 'sigma', d))
    : [resolve(import.meta.dirname, '../rules')];
  if (!haveShared) console.log('(../shared absent: using examples/ and Ward\'s rule pack)');
  // Measure what users run: the compiled JavaScript under dist/ (`ward` runs it), not src/ through
  // tsx's on-the-fly compilation, which runs this engine's hot loops about 2× slower (it turns the
  // modules into CommonJS, where every imported constant is read through a getter).
  const compiled = distIsCurrent();
  const from = compiled ? '../dist' : '../src';
  const { loadRules, createSigmaDetector, runFile, automatonBuilds } = (await import(`${from}/detect/index.js`)) as typeof Detect;
  const { jsonReader } = (await import(`${from}/sources/index.js`)) as typeof Sources;
  console.log(compiled ? 'engine: compiled dist/, as `ward` runs it' : 'engine: src/ through tsx (dist/ is missing or older than src/: `npm run build` to measure what users run)');

  const lines = readFileSync(src, 'utf8').split('\n').filter(Boolean);
  const dir = mkdtempSync(join(tmpdir(), 'ward-bench-'));
  const cores = availableParallelism();
  // One file per core, so `--threads` (which spreads files over workers) can use them all.
  const files = Array.from({ length: cores }, (_, i) => join(dir, `events-${i}.jsonl`));
  const fds = files.map((f) => openSync(f, 'w'));
  const chunk = lines.join('\n') + '\n';
  let written = 0;
  for (let k = 0; written < target; k++) {
    writeSync(fds[k % cores], chunk);
    written += lines.length;
  }
  fds.forEach(closeSync);
  const mb = files.reduce((a, f) => a + statSync(f).size, 0) / 1e6;
  console.log(`input: ${written.toLocaleString('en')} events, ${mb.toFixed(0)} MB (${src.split('/').pop()} ×${Math.ceil(target / lines.length)})`);

  const t0 = performance.now();
  const { ruleset } = loadRules({ paths: ruleDirs, pipelines: ['windows'] });
  const loadS = (performance.now() - t0) / 1000;
  console.log(`rules: ${ruleset.rules.length} compiled in ${loadS.toFixed(2)} s (target < 2 s)`);

  let bare = { n: 0, s: 0 };
  for (const f of files) {
    const b = await bareParse(f);
    bare = { n: bare.n + b.n, s: bare.s + b.s };
  }
  const bareRate = bare.n / bare.s;
  console.log(`bare JSON.parse pass:   ${Math.round(bareRate).toLocaleString('en')} events/s (node:readline + JSON.parse of every line)`);
  let own = { n: 0, s: 0 };
  for (const f of files) {
    const b = await readerParse(jsonReader, f);
    own = { n: own.n + b.n, s: own.s + b.s };
  }
  const ownRate = own.n / own.s;
  console.log(`Ward reader, parse only: ${Math.round(ownRate).toLocaleString('en')} events/s (byte lines + JSON.parse of every line, no detection)`);

  const det = createSigmaDetector(ruleset);
  const builtBefore = { ...automatonBuilds };
  const t1 = performance.now();
  let events = 0;
  let hits = 0;
  let screened = 0;
  // Lines with a hit, counted as they come (a file's detections arrive in line order) rather
  // than as a set of keys: the bench should time the engine, not its own bookkeeping.
  let hitLines = 0;
  for (const f of files) {
    let last = -1;
    for await (const u of runFile(f, [det])) {
      events += u.events;
      screened += u.screened ?? 0;
      hits += u.detections.length;
      for (const d of u.detections) {
        const line = d.loc?.line ?? -1;
        if (line !== last) hitLines++;
        last = line;
      }
    }
  }
  const s = (performance.now() - t1) / 1000;
  const rate = events / s;
  console.log(`ward hunt (1 core):     ${Math.round(rate).toLocaleString('en')} events/s, ${hits.toLocaleString('en')} hits, ${(mb / s).toFixed(1)} MB/s (target ≥ 100,000 events/s/core)`);
  // Where the time can go: lines ruled out from their bytes cost a scan; the others a parse too.
  const pct = (n: number) => `${((100 * n) / events).toFixed(1)} %`;
  console.log(`lines ruled out by the raw screen: ${pct(screened)}; parsed and matched: ${pct(events - screened)}; with a hit: ${pct(hitLines)}`);
  const memo = det.screenStats();
  if (memo && memo.lookups > 0) {
    // The input repeats one file, which flatters any memo: say how much it answered (with
    // WARD_BENCH_EVENTS=8255 the attack samples are read once: 84.6 %).
    console.log(`screen values answered from its memo: ${((100 * memo.answered) / memo.lookups).toFixed(1)} % of ${memo.lookups.toLocaleString('en')} (input: ${src.split('/').pop()} ×${Math.ceil(target / lines.length)})`);
  }
  console.log(`automata built on first use during the hunt: ${automatonBuilds.count - builtBefore.count} in ${((automatonBuilds.ms - builtBefore.ms) / 1000).toFixed(2)} s (not in the rule load time above)`);
  console.log(`ratio to bare parse:    ${(rate / bareRate).toFixed(2)} (target ≥ 0.5); to Ward's reader parsing every line: ${(rate / ownRate).toFixed(2)}`);
  console.log(`peak RSS:               ${peakRssMb()} MB (target < 1 GB)`);
  screenPeers(createSigmaDetector, ruleset, det, lines);

  // All cores: the CLI with --threads, one file per worker (wall clock includes rule loading).
  // The compiled CLI, as users run it, when dist/ is newer than every source file; otherwise from
  // source, where every worker thread also compiles the TypeScript it loads (seconds of CPU).
  const cli = compiled ? [resolve(import.meta.dirname, '../bin/ward.js')] : ['--import', 'tsx', resolve(import.meta.dirname, '../src/cli/main.ts')];
  const t2 = performance.now();
  const r = spawnSync(process.execPath, [...cli, 'hunt', ...files, '--rules', ...ruleDirs, '--pipeline', 'windows', '--threads', String(cores), '--format', 'jsonl', '--output', join(dir, 'hits.jsonl'), '--quiet', '--no-progress'], { encoding: 'utf8' });
  const s2 = (performance.now() - t2) / 1000;
  if (r.status !== 0 && r.status !== 1) console.log(`ward hunt --threads ${cores} failed: ${r.stderr.slice(0, 300)}`);
  else console.log(`ward hunt --threads ${cores}: ${Math.round(events / s2).toLocaleString('en')} events/s wall clock incl. rule load (${(events / s2 / cores).toFixed(0)} per core), ${(events / s2 / rate).toFixed(2)}× one core (${compiled ? 'compiled dist/' : 'from source: run `npm run build` first to measure what users run'})`);
  rmSync(dir, { recursive: true, force: true });
}

/** True when dist/cli/main.js is newer than every file under src/. */
function distIsCurrent(): boolean {
  const root = resolve(import.meta.dirname, '..');
  let built: number;
  try {
    built = statSync(join(root, 'dist/cli/main.js')).mtimeMs;
  } catch {
    return false;
  }
  const newest = (d: string): number =>
    readdirSync(d, { withFileTypes: true }).reduce((m, e) => Math.max(m, e.isDirectory() ? newest(join(d, e.name)) : statSync(join(d, e.name)).mtimeMs), 0);
  return newest(join(root, 'src')) <= built;
}

/**
 * The raw screen alone, its native walk against its JavaScript walk (prefilter/native.ts and
 * walk.ts) over the same lines in interleaved rounds, CPU time: what the C walk is worth, and a
 * check that both said the same of every line.
 */
function screenPeers(create: typeof Detect.createSigmaDetector, ruleset: Detect.RuleSet, det: Detect.SigmaDetector, lines: string[]): void {
  if (!det.screenStats()?.native) {
    console.log('raw screen: JavaScript walk (the native walk is not built: `npm install` builds it; WARD_NATIVE=0 turns it off)');
    return;
  }
  const js = create(ruleset, { rawScreenNative: false });
  const bufs = lines.slice(0, 20_000).map((l) => Buffer.from(l));
  const cost: Record<'native' | 'js', number[]> = { native: [], js: [] };
  let differ = 0;
  for (let round = 0; round < 7; round++) {
    for (const [name, d] of (round % 2 ? [['native', det], ['js', js]] : [['js', js], ['native', det]]) as ['native' | 'js', Detect.SigmaDetector][]) {
      const c0 = process.cpuUsage();
      for (const b of bufs) d.screen(b, 0, b.length);
      const c = process.cpuUsage(c0);
      if (round > 0) cost[name].push((c.user + c.system) / bufs.length);
    }
  }
  const show = (v: unknown) => (v instanceof Int32Array ? v.join(',') : String(v));
  for (const b of bufs) if (show(det.screen(b, 0, b.length)) !== show(js.screen(b, 0, b.length))) differ++;
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
  const [n, j] = [med(cost.native), med(cost.js)];
  console.log(`raw screen alone:       native walk ${n.toFixed(2)} µs a line, JavaScript walk ${j.toFixed(2)} µs (${(j / n).toFixed(2)}× faster; ${bufs.length.toLocaleString('en')} lines, ${differ} verdicts differ)`);
}
