/**
 * `npm run eval`: simulate a hospital with a seed the tests do not use, run Ward's detection over
 * the output (readers → normalize → Sigma rule packs in rules/), and score the alerts against the
 * simulator's ground truth: per scenario and stage, detected yes/no, recall of labelled events,
 * precision of the alerts. Options: --seed N --days D --beds B --scenarios 1,2,3,4 --out DIR
 * --rules DIR... --keep (leave the simulated output on disk).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import yaml from 'js-yaml';
import { createSigmaDetector, loadRules, runPaths, type Detection } from '../src/detect/index.js';
import { SCENARIOS, simulate, type LabelLine } from '../src/sim/index.js';
import { packageRoot } from '../src/util/index.js';
import { parseArgs } from 'node:util';

/** The eval's seed; tests use small seeds (1–99) so they never see this output. */
export const EVAL_SEED = 20261128;

export interface EvalOptions {
  seed: number;
  days: number;
  beds: number;
  scenarios: number[];
  out?: string;
  rules: string[];
  keep: boolean;
}

/** Site lists the rules read through placeholders, taken from the simulated hospital's reference data. */
export function placeholdersFor(outDir: string): Record<string, string[]> {
  return yaml.load(readFileSync(join(outDir, 'hospital', 'placeholders.yaml'), 'utf8')) as Record<string, string[]>;
}

export interface DetectionRun {
  detections: Detection[];
  events: number;
  problems: number;
  ruleProblems: string[];
}

export async function detect(outDir: string, ruleDirs: string[]): Promise<DetectionRun> {
  const { ruleset, problems } = loadRules({ paths: ruleDirs, placeholders: placeholdersFor(outDir) });
  const detector = createSigmaDetector(ruleset);
  const detections: Detection[] = [];
  let events = 0;
  let nProblems = 0;
  // The labels, manifest and hospital reference data are not telemetry.
  const inputs = ['windows', 'fhir', 'atna', 'hl7', 'ehr', 'network'].map((d) => join(outDir, d));
  for await (const u of runPaths(inputs, [detector])) {
    detections.push(...u.detections);
    events += u.events;
    nProblems += u.problems.length;
  }
  return { detections, events, problems: nProblems, ruleProblems: problems.filter((p) => p.severity === 'error').map((p) => `${p.file}: ${p.message}`) };
}

/** The events an alert stands on: its own location, or every event of a correlation window. */
function alertKeys(d: Detection, outDir: string): string[] {
  const locs = d.correlation ? d.correlation.events.map((e) => e.loc) : d.loc ? [d.loc] : [];
  return locs.filter((l) => l.file).map((l) => `${relative(outDir, resolve(l.file!))}:${l.file!.endsWith('.hl7') ? `r${l.record}` : l.line}`);
}

const labelKey = (l: LabelLine): string => `${l.file}:${l.file.endsWith('.hl7') ? `r${l.record}` : l.line}`;

export interface StageScore {
  scenario: string;
  scenarioId: number;
  stage: string;
  events: number;
  detectedEvents: number;
  alerts: number;
  /** alerts touching this stage whose events are all labelled */
  cleanAlerts: number;
  rules: string[];
}

export interface Score {
  stages: StageScore[];
  alerts: number;
  trueAlerts: number;
  falseAlerts: number;
  falseByRule: Record<string, number>;
}

export function score(labels: LabelLine[], detections: Detection[], outDir: string, scenarioIds: number[]): Score {
  const byKey = new Map<string, LabelLine[]>();
  for (const l of labels) {
    const k = labelKey(l);
    (byKey.get(k) ?? byKey.set(k, []).get(k)!).push(l);
  }
  const stages = new Map<string, StageScore>();
  for (const id of scenarioIds) {
    for (const st of SCENARIOS[id].stages) {
      stages.set(`${id}/${st}`, { scenario: SCENARIOS[id].name, scenarioId: id, stage: st, events: 0, detectedEvents: 0, alerts: 0, cleanAlerts: 0, rules: [] });
    }
  }
  for (const l of labels) {
    const s = stages.get(`${l.scenarioId}/${l.stage}`);
    if (s) s.events++;
  }
  const covered = new Set<string>();
  let trueAlerts = 0;
  const falseByRule: Record<string, number> = {};
  for (const d of detections) {
    const keys = alertKeys(d, outDir);
    const touched = new Set<string>();
    let allLabelled = keys.length > 0;
    for (const k of keys) {
      const ls = byKey.get(k);
      if (!ls) {
        allLabelled = false;
        continue;
      }
      for (const l of ls) {
        touched.add(`${l.scenarioId}/${l.stage}`);
        covered.add(`${k}|${l.scenarioId}/${l.stage}`);
      }
    }
    if (touched.size === 0) {
      falseByRule[d.rule.title] = (falseByRule[d.rule.title] ?? 0) + 1;
      continue;
    }
    trueAlerts++;
    for (const t of touched) {
      const s = stages.get(t);
      if (!s) continue;
      s.alerts++;
      if (allLabelled) s.cleanAlerts++;
      if (!s.rules.includes(d.rule.title)) s.rules.push(d.rule.title);
    }
  }
  for (const c of covered) {
    const s = stages.get(c.slice(c.indexOf('|') + 1));
    if (s) s.detectedEvents++;
  }
  return { stages: [...stages.values()], alerts: detections.length, trueAlerts, falseAlerts: detections.length - trueAlerts, falseByRule };
}

function pct(n: number, d: number): string {
  return d === 0 ? '   -  ' : `${((100 * n) / d).toFixed(1).padStart(5)}%`;
}

export function report(s: Score, events: number, labelled: number): string {
  const out: string[] = [];
  let scenario = -1;
  out.push(`${'scenario / stage'.padEnd(42)} detected  events  recall  alerts  precision  rules`);
  for (const st of s.stages) {
    if (st.scenarioId !== scenario) {
      scenario = st.scenarioId;
      const mine = s.stages.filter((x) => x.scenarioId === scenario);
      const ev = mine.reduce((a, b) => a + b.events, 0);
      const de = mine.reduce((a, b) => a + b.detectedEvents, 0);
      const hit = mine.filter((x) => x.detectedEvents > 0).length;
      out.push(`${`${scenario} ${st.scenario}`.padEnd(42)} ${`${hit}/${mine.length}`.padEnd(8)}  ${String(ev).padStart(6)}  ${pct(de, ev)}`);
    }
    out.push(`  ${st.stage.padEnd(40)} ${(st.detectedEvents > 0 ? 'yes' : 'NO').padEnd(8)}  ${String(st.events).padStart(6)}  ${pct(st.detectedEvents, st.events)}  ${String(st.alerts).padStart(6)}  ${pct(st.cleanAlerts, st.alerts).padStart(9)}  ${st.rules.slice(0, 3).join('; ')}${st.rules.length > 3 ? ` (+${st.rules.length - 3})` : ''}`);
  }
  const benign = events - labelled;
  out.push('');
  out.push(`alerts: ${s.alerts}, on labelled events: ${s.trueAlerts}, false: ${s.falseAlerts} → precision ${pct(s.trueAlerts, s.alerts).trim()}; ${((s.falseAlerts * 10000) / Math.max(1, benign)).toFixed(2)} false alerts per 10k benign events (${benign} benign)`);
  const fb = Object.entries(s.falseByRule).sort((a, b) => b[1] - a[1]);
  if (fb.length) {
    out.push('false alerts by rule:');
    for (const [r, n] of fb.slice(0, 15)) out.push(`  ${String(n).padStart(6)}  ${r}`);
  }
  return out.join('\n');
}

function options(argv: string[]): EvalOptions {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      seed: { type: 'string' },
      days: { type: 'string' },
      beds: { type: 'string' },
      scenarios: { type: 'string' },
      out: { type: 'string' },
      rules: { type: 'string', multiple: true },
      keep: { type: 'boolean' },
    },
  });
  return {
    seed: Number(v.seed ?? EVAL_SEED),
    days: Number(v.days ?? 7),
    beds: Number(v.beds ?? 500),
    scenarios: v.scenarios ? v.scenarios.split(',').filter(Boolean).map(Number) : [1, 2, 3, 4],
    out: v.out,
    rules: v.rules?.length ? v.rules : [join(packageRoot(), 'rules')],
    keep: v.keep ?? false,
  };
}

async function main(): Promise<void> {
  const o = options(process.argv.slice(2));
  const out = o.out ?? mkdtempSync(join(tmpdir(), 'ward-eval-'));
  const t0 = Date.now();
  const sim = simulate({ out, seed: o.seed, days: o.days, beds: o.beds, scenarios: o.scenarios });
  const t1 = Date.now();
  const run = await detect(out, o.rules);
  const t2 = Date.now();
  for (const p of run.ruleProblems) console.error(`rule problem: ${p}`);
  console.log(`ward eval: seed ${o.seed}, ${o.days} days, ${o.beds} beds, scenarios ${o.scenarios.join(',')}; rules ${o.rules.map((r) => relative(process.cwd(), r) || '.').join(', ')}`);
  console.log(`simulated ${Object.values(sim.files).reduce((a, b) => a + b, 0)} events (${sim.labels.length} labelled) in ${((t1 - t0) / 1000).toFixed(1)} s; detection read ${run.events} events (${run.problems} input problems) in ${((t2 - t1) / 1000).toFixed(1)} s\n`);
  const s = score(sim.labels, run.detections, out, o.scenarios);
  console.log(report(s, run.events, sim.labels.length));
  const missed = s.stages.filter((x) => x.scenarioId <= 3 && x.detectedEvents === 0);
  console.log(missed.length ? `\ntarget NOT met: undetected stages of scenarios 1-3: ${missed.map((m) => `${m.scenarioId}/${m.stage}`).join(', ')}` : '\ntarget met: every stage of scenarios 1-3 detected');
  if (!o.keep && !o.out) rmSync(out, { recursive: true, force: true });
  else console.log(`output kept in ${out}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
