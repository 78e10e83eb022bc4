import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate, Rng, STREAM_FILES, type LabelLine } from '../../src/sim/index.js';
import { runPaths } from '../../src/detect/index.js';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'ward-sim-test-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('Rng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 5 }, () => a.u32());
    expect(Array.from({ length: 5 }, () => b.u32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.u32())).not.toEqual(xs);
    const r = new Rng(1);
    for (let i = 0; i < 1000; i++) {
      const v = r.int(3, 7);
      expect(v >= 3 && v <= 7).toBe(true);
    }
  });
});

describe('ward simulate', () => {
  let out: string;
  let labels: LabelLine[];
  beforeAll(() => {
    out = tmp();
    labels = simulate({ out, seed: 11, days: 2, beds: 40, scenarios: [1, 2, 3, 4] }).labels;
  });

  it('is byte-identical for the same seed and differs for another', () => {
    const again = tmp();
    simulate({ out: again, seed: 11, days: 2, beds: 40, scenarios: [1, 2, 3, 4] });
    const other = tmp();
    simulate({ out: other, seed: 12, days: 2, beds: 40, scenarios: [1, 2, 3, 4] });
    for (const f of [...Object.values(STREAM_FILES), 'labels.jsonl', 'hospital/patients.csv']) {
      expect(readFileSync(join(again, f), 'utf8'), f).toBe(readFileSync(join(out, f), 'utf8'));
    }
    expect(readFileSync(join(other, 'ehr/access.csv'), 'utf8')).not.toBe(readFileSync(join(out, 'ehr/access.csv'), 'utf8'));
  });

  it('labels every scenario stage and point at the labelled line', () => {
    const stages = new Set(labels.map((l) => `${l.scenarioId}/${l.stage}`));
    for (const s of ['1/phishing-document', '1/loader', '1/beacon', '1/discovery', '1/credential-dumping', '1/lateral-movement', '1/shadow-copy-deletion', '1/encryption', '2/lure-click', '2/credential-harvest', '2/credential-use', '3/token-abuse', '3/export-kickoff', '3/export-download', '3/pacs-query', '3/pacs-retrieve', '4/self', '4/vip', '4/bulk']) {
      expect(stages.has(s), s).toBe(true);
    }
    const files = new Map<string, string[]>();
    for (const l of labels) {
      if (!files.has(l.file)) files.set(l.file, readFileSync(join(out, l.file), 'utf8').split('\n'));
      const line = files.get(l.file)![l.line - 1];
      expect(line, `${l.file}:${l.line}`).toBeTruthy();
      if (l.host && l.file.startsWith('windows/')) expect(line.toLowerCase()).toContain(l.host.toLowerCase());
      if (l.victim && l.file === 'ehr/access.csv') expect(line).toContain(l.victim);
      if (l.actor && l.file === 'ehr/access.csv') expect(line).toContain(`,${l.actor},`);
      // the label's time is the event's time
      if (l.file === 'fhir/audit.ndjson') expect((JSON.parse(line) as { recorded: string }).recorded).toBe(l.time);
    }
    // labels are not mistaken for logs: they carry none of the EHR reader's user/patient columns
    expect(readFileSync(join(out, 'labels.jsonl'), 'utf8')).not.toMatch(/"(user|patient)":/);
  });

  it('every output file is read by the intended reader without a single problem, in one run', async () => {
    const layouts = new Map<string, number>();
    const fhirVersions = new Set<unknown>();
    const problems: string[] = [];
    const onEvent = (e: { layout: string; fields: Readonly<Record<string, unknown>> }): void => {
      layouts.set(e.layout, (layouts.get(e.layout) ?? 0) + 1);
      if (e.layout === 'fhir-audit') {
        fhirVersions.add(e.fields.FhirVersion);
        expect(e.fields.AgentUser).toBeTruthy();
      }
    };
    for await (const u of runPaths(['windows', 'fhir', 'atna', 'hl7', 'ehr', 'network'].map((d) => join(out, d)), [], { onEvent })) {
      problems.push(...u.problems.map((p) => `${p.location.file}:${p.location.line} ${p.message}`));
    }
    expect(problems).toEqual([]);
    expect([...fhirVersions].sort()).toEqual(['R4', 'R5']); // the portal writes R5, the rest R4
    for (const l of ['evtx-json', 'fhir-audit', 'atna', 'hl7', 'ehr-access', 'flat']) expect(layouts.get(l) ?? 0, l).toBeGreaterThan(0);
    const total = [...layouts.values()].reduce((a, b) => a + b, 0);
    const written = Object.values(STREAM_FILES).reduce((a, f) => a + readFileSync(join(out, f), 'utf8').split('\n').filter(Boolean).length, 0);
    expect(total).toBe(written - 1); // minus the CSV header
  });

  it('rejects bad options clearly', () => {
    expect(() => simulate({ out: tmp(), seed: 1, days: 0, beds: 40, scenarios: [] })).toThrow(/days/);
    expect(() => simulate({ out: tmp(), seed: 1, days: 1, beds: 40, scenarios: [9] })).toThrow(/scenario 9/);
  });
});
