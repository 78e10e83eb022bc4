/**
 * Access-analytics evaluation (issue 6): simulate a hospital with a seed the tests do not use,
 * run the access analytics over its audit trails (HL7 ADT, EHR access log, FHIR AuditEvent)
 * through the ordinary readers, and score every record access against the simulator's labels:
 * AUC and precision/recall per snooping category, bulk $export and bulk browsing detected and
 * minutes from the start to the first alert, false alerts per 10 k benign record accesses.
 *
 * Options: --seed N --days D --beds B --out DIR (keep the simulation there) --dir DIR (score an
 * existing simulation instead of simulating) --no-care-teams (ADT + roster only, without the
 * nursing roster hospital/encounters.csv) --no-patient-index (patient addresses only from ADT PID)
 * --stream (judge accesses as `ward serve` would, delayMinutes after they happen) --config FILE
 * (merged over the defaults).
 * `npm run eval` may chain it after scripts/eval.ts: `tsx scripts/eval.ts && tsx scripts/eval-access.ts`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import yaml from 'js-yaml';
import { runPaths, type Detection } from '../src/detect/index.js';
import { createAccessAnalytics, loadAnalyticsConfig, type AnalyticsConfigInput, type ScoreRecord } from '../src/detect/analytics/index.js';
import { simulate, type LabelLine } from '../src/sim/index.js';
import type { WardEvent } from '../src/normalize/index.js';
import { parseArgs } from 'node:util';

/** Differs from scripts/eval.ts (20261128) and from every test seed (1–99). */
export const ACCESS_EVAL_SEED = 20261206;
const CATEGORIES = ['self', 'family', 'coworker', 'vip', 'neighbour', 'name-search', 'bulk'] as const;

interface Opts { seed: number; days: number; beds: number; out?: string; dir?: string; careTeams: boolean; patientIndex: boolean; stream: boolean; config?: string }

/** Which reference data and mode the run uses (the ablations of the report). */
export interface Variant { careTeams: boolean; patientIndex: boolean; stream: boolean }

/** The site configuration a hospital would write, taken from the simulator's reference data. */
export function siteConfig(dir: string, v: Variant): AnalyticsConfigInput {
  const h = yaml.load(readFileSync(join(dir, 'hospital', 'hospital.yaml'), 'utf8')) as {
    departments: { code: string; name: string }[]; vipPatients: string[];
    serviceAccounts?: { user: string; network?: string; schedule?: string }[];
  };
  const hours = (s?: string): string | undefined => {
    const m = s && /(\d\d:\d\d)-(\d\d:\d\d)/.exec(s);
    return m ? `${m[1]}-${m[2]}` : undefined;
  };
  return {
    // patients.csv: only names, addresses and the VIP flag are read (the master patient index);
    // its ground-truth columns (employee_id, family_of_staff) are not.
    mode: v.stream ? 'stream' : 'batch',
    reference: { roster: join(dir, 'hospital', 'staff.csv'), patients: v.patientIndex ? join(dir, 'hospital', 'patients.csv') : null, careTeams: v.careTeams ? join(dir, 'hospital', 'encounters.csv') : null },
    vipPatients: h.vipPatients,
    departments: Object.fromEntries(h.departments.map((d) => [d.code, [d.name]])),
    bulk: { exportAllowList: (h.serviceAccounts ?? []).map((s) => ({ user: s.user, networks: s.network ? [s.network] : [], hours: hours(s.schedule) })) },
  };
}

/** Area under the ROC curve by the Mann–Whitney U statistic (ties count one half). */
export function auc(pos: number[], neg: number[]): number {
  if (!pos.length || !neg.length) return NaN;
  const all = [...pos.map((s) => [s, 1] as const), ...neg.map((s) => [s, 0] as const)].sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j < all.length && all[j][0] === all[i][0]) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (all[k][1]) rankSum += rank;
    i = j;
  }
  return (rankSum - (pos.length * (pos.length + 1)) / 2) / (pos.length * neg.length);
}

export async function evaluate(dir: string, v: Variant, configFile?: string): Promise<string[]> {
  const cfg = loadAnalyticsConfig(configFile, siteConfig(dir, v));
  const scores = new Map<string, ScoreRecord>();
  const key = (file: string | undefined, line: number | undefined): string => `${relative(dir, resolve(file ?? ''))}:${line ?? 0}`;
  const det = createAccessAnalytics(cfg, { onScore: (r) => scores.set(key(r.access.file, r.access.line), r) });
  const detections: Detection[] = [];
  const started = Date.now();
  const inputs = ['hl7', 'ehr', 'fhir'].map((d) => join(dir, d));
  if (!v.stream) {
    // Batch mode judges accesses at flush, so the order of the files does not matter.
    for await (const u of runPaths(inputs, [det])) detections.push(...u.detections);
  } else {
    // Stream mode sees the three feeds interleaved in time, as `ward serve` receives them live.
    const events: WardEvent[] = [];
    for await (const u of runPaths(inputs, [], { onEvent: (e) => events.push(e) })) void u;
    events.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
    for (const e of events) detections.push(...det.process(e));
    detections.push(...det.flush());
  }
  const secs = (Date.now() - started) / 1000;
  const labels = readFileSync(join(dir, 'labels.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as LabelLine);
  const byLoc = new Map(labels.map((l) => [`${l.file}:${l.line}`, l]));
  const alertAt = cfg.score.alertScore;
  const benign: ScoreRecord[] = [];
  const pos = new Map<string, ScoreRecord[]>();
  for (const [k, r] of scores) {
    const l = byLoc.get(k);
    if (!l) benign.push(r);
    else if (l.category) (pos.get(l.category) ?? pos.set(l.category, []).get(l.category)!).push(r);
  }
  const out: string[] = [];
  out.push(`access analytics over ${dir} (${v.stream ? 'stream mode' : 'batch mode'}; ADT + staff roster${v.patientIndex ? ' + patient index' : ''}${v.careTeams ? ' + care teams' : ''}): ${scores.size} record accesses judged in ${secs.toFixed(1)} s, ${benign.length} benign`);
  out.push('category       n    AUC     precision  recall');
  const negScores = benign.map((r) => r.score);
  let minAuc = 1;
  for (const c of CATEGORIES) {
    const p = pos.get(c) ?? [];
    const a = auc(p.map((r) => r.score), negScores);
    if (!Number.isNaN(a)) minAuc = Math.min(minAuc, a);
    const tp = p.filter((r) => r.score >= alertAt).length;
    const fp = benign.filter((r) => r.score >= alertAt && r.category === c).length;
    const prec = tp + fp ? tp / (tp + fp) : NaN;
    out.push(`${c.padEnd(12)} ${String(p.length).padStart(4)}  ${Number.isNaN(a) ? '  -  ' : a.toFixed(3)}   ${Number.isNaN(prec) ? '  -  ' : prec.toFixed(3)}      ${p.length ? (tp / p.length).toFixed(3) : '-'}`);
  }
  const allPos = [...pos.values()].flat();
  out.push(`all snooping ${String(allPos.length).padStart(4)}  ${auc(allPos.map((r) => r.score), negScores).toFixed(3)}   (lowest per-category AUC ${minAuc.toFixed(3)}; target >= 0.95)`);

  const labelled = (d: Detection): LabelLine | undefined => (d.loc ? byLoc.get(key(d.loc.file, d.loc.line)) : undefined);
  const falseAlerts = detections.filter((d) => !labelled(d));
  out.push(`alerts: ${detections.length} (${detections.length - falseAlerts.length} on labelled events); false alerts ${falseAlerts.length} = ${(falseAlerts.length / Math.max(1, benign.length) * 10000).toFixed(2)} per 10 k benign record accesses (target <= 1)`);
  for (const d of falseAlerts.slice(0, 5)) out.push(`  false: ${d.rule.id} ${d.explanation?.slice(0, 220)}`);

  const firstAlert = (scenario: string, rule: string, category?: string): string => {
    const ls = labels.filter((l) => l.scenario === scenario && (!category || l.category === category));
    if (!ls.length) return `${scenario}${category ? `/${category}` : ''}: not in this simulation`;
    const start = Date.parse(ls[0].time);
    const hit = detections.filter((d) => d.rule.id === rule && labelled(d)?.scenario === scenario && (d.timestamp ?? 0) >= start).sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0))[0];
    return hit ? `${scenario}${category ? `/${category}` : ''}: detected yes, ${((hit.timestamp! - start) / 60000).toFixed(1)} min after its start (target <= 15)` : `${scenario}${category ? `/${category}` : ''}: detected NO`;
  };
  out.push(`bulk $export theft (scenario 3) ${firstAlert('bulk-export', 'ward.analytics.bulk-export')}`);
  out.push(`bulk browsing (scenario 4)      ${firstAlert('snooping', 'ward.analytics.bulk-access', 'bulk')}`);
  return out;
}

function options(argv: string[]): Opts {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      seed: { type: 'string' },
      days: { type: 'string' },
      beds: { type: 'string' },
      out: { type: 'string' },
      dir: { type: 'string' },
      config: { type: 'string' },
      'no-care-teams': { type: 'boolean' },
      'no-patient-index': { type: 'boolean' },
      stream: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (v.help) {
    console.log('usage: tsx scripts/eval-access.ts [--seed N] [--days D] [--beds B] [--out DIR | --dir DIR] [--no-care-teams] [--no-patient-index] [--stream] [--config FILE]\n' +
      'Simulates a hospital (scenarios 3 and 4) and scores the access analytics against its labels: AUC and precision/recall per snooping\n' +
      'category, bulk $export and bulk browsing detection delay, false alerts per 10 k benign record accesses.');
    process.exit(0);
  }
  return {
    seed: Number(v.seed ?? ACCESS_EVAL_SEED),
    days: Number(v.days ?? 7),
    beds: Number(v.beds ?? 500),
    out: v.out,
    dir: v.dir,
    config: v.config,
    careTeams: !v['no-care-teams'],
    patientIndex: !v['no-patient-index'],
    stream: v.stream ?? false,
  };
}

async function main(): Promise<void> {
  const o = options(process.argv.slice(2));
  let dir = o.dir;
  if (!dir) {
    dir = o.out ?? mkdtempSync(join(tmpdir(), 'ward-eval-access-'));
    const t0 = Date.now();
    simulate({ out: dir, seed: o.seed, days: o.days, beds: o.beds, scenarios: [3, 4] });
    console.log(`ward eval-access: simulated seed ${o.seed}, ${o.days} days, ${o.beds} beds, scenarios 3,4 in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  for (const line of await evaluate(dir, o, o.config)) console.log(line);
  if (!o.dir && !o.out) rmSync(dir, { recursive: true, force: true });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
