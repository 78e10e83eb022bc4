/**
 * The health rule pack (rules/health): structure (ids, metadata, logsources known to a pipeline),
 * and each rule's behaviour on small hand-made events — one that must fire and a near miss that
 * must not.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { createSigmaDetector, loadRules, type Detection } from '../../src/detect/index.js';
import { normalize } from '../../src/normalize/index.js';
import { parseAuditMessage } from '../../src/sources/index.js';
import { Rng } from '../../src/sim/index.js';
import { atnaXml, fhirAuditEvent, type FhirAuditSpec } from '../../src/sim/formats/health.js';

const ROOT = join(import.meta.dirname, '..', '..');
const PACK = join(ROOT, 'rules', 'health');
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('rules/health structure', () => {
  const docs = readdirSync(PACK).filter((f) => f.endsWith('.yml')).flatMap((f) => yaml.loadAll(readFileSync(join(PACK, f), 'utf8')).map((d) => ({ f, d: d as Record<string, any> })));
  const pipelines = ['health', 'windows'].map((p) => yaml.load(readFileSync(join(ROOT, 'data', 'pipelines', `${p}.yaml`), 'utf8')) as { logsources: { match: Record<string, string> }[] });
  it('has unique UUIDv4 ids and names, the promised metadata, and logsources a pipeline knows', () => {
    const ids = new Set<string>();
    const names = new Set<string>();
    for (const { f, d } of docs) {
      expect(d.id, f).toMatch(UUID4);
      expect(ids.has(d.id), `${f} duplicate id`).toBe(false);
      ids.add(d.id);
      if (d.name) {
        expect(names.has(d.name), `${f} duplicate name`).toBe(false);
        names.add(d.name);
      }
      for (const k of ['title', 'description', 'level', 'author']) expect(d[k], `${f} ${k}`).toBeTruthy();
      if (d.logsource) {
        const ls = d.logsource as Record<string, string>;
        const known = pipelines.some((p) => p.logsources.some((e) => Object.entries(e.match).every(([k, v]) => ls[k] === v)));
        expect(known, `${f}: logsource ${JSON.stringify(ls)} not in a pipeline`).toBe(true);
      }
      // Rules that alert on their own say what to expect (feeder rules of correlations need not).
      const fed = docs.some((o) => (o.d.correlation?.rules ?? []).includes(d.name) && !o.d.correlation?.generate);
      if (!fed) {
        expect(d.falsepositives, `${f} falsepositives`).toBeTruthy();
        expect((d.tags ?? []).some((t: string) => /^attack\.t\d{4}/.test(t)), `${f} ATT&CK technique`).toBe(true);
      }
    }
    expect(docs.length).toBeGreaterThanOrEqual(15);
  });
});

describe('rules/health behaviour', () => {
  const { ruleset, problems } = loadRules({ paths: [PACK], placeholders: { terminated_accounts: ['gone.user'], dicom_known_ae_titles: ['PACS01', 'RADWS01'] } });
  it('loads without errors', () => {
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
  const run = (records: [Record<string, unknown>, string][]): Detection[] => {
    const d = createSigmaDetector(ruleset);
    const out: Detection[] = [];
    records.forEach(([r, fmt], i) => out.push(...d.process(normalize(r, { file: 't', line: i + 1 }, fmt))));
    out.push(...d.flush());
    return out;
  };
  const titles = (ds: Detection[]): string[] => [...new Set(ds.map((d) => d.rule.title))].sort();
  const rng = new Rng(5);
  const t = Date.parse('2026-03-02T10:00:00Z');
  const fhir = (s: Partial<FhirAuditSpec>): [Record<string, unknown>, string] => [
    fhirAuditEvent(rng, { t, interaction: 'read', user: 'dr.a', agentType: 'humanuser', address: '10.20.1.5', client: 'App', observer: 'fhir01', patient: 'P1', ...s }),
    'fhir-audit',
  ];
  const ehr = (row: Record<string, string>): [Record<string, unknown>, string] => [{ ehr: { timestamp: '2026-03-02T10:00:00Z', user: 'u1', patient: 'P1', role: 'Registered Nurse', ...row }, row }, 'ehr-access'];

  it('FHIR export: by a person, from the internet; not by the service client inside', () => {
    expect(titles(run([fhir({ interaction: 'operation', query: 'GET /fhir/$export', patient: undefined })]))).toEqual(['FHIR Bulk Data Export Started by a Human User Account']);
    expect(titles(run([fhir({ interaction: 'operation', query: 'GET /fhir/$export', agentType: 'dataprocessor', address: '198.51.100.7', patient: undefined })]))).toEqual([
      'FHIR Bulk Data Export Requested From Outside the Hospital Network', 'FHIR Service Client Used From a Public IP Address',
    ]);
    expect(run([fhir({ interaction: 'operation', query: 'GET /fhir/Group/x/$export', agentType: 'dataprocessor', address: '10.10.3.15', patient: undefined })])).toEqual([]);
  });

  it('clinician from a public address fires; patient-portal self access does not', () => {
    expect(titles(run([fhir({ address: '203.0.113.9' })]))).toEqual(['Clinician Account Reads Patient Data From a Public IP Address']);
    expect(run([fhir({ address: '203.0.113.9', agentType: 'patient', user: 'Patient/P1' })])).toEqual([]);
  });

  it('failure burst: 15 failures from one address within 5 minutes, not 14', () => {
    const fails = (n: number, addr: string): [Record<string, unknown>, string][] =>
      Array.from({ length: n }, (_, i) => fhir({ t: t + i * 10_000, interaction: 'login', outcome: '8', address: addr, patient: undefined }));
    expect(titles(run(fails(15, '10.0.0.9')))).toEqual(['Burst of FHIR Access Failures From One Address']);
    expect(run(fails(14, '10.0.0.9'))).toEqual([]);
  });

  it('break-glass: no reason, or a non-clinical role', () => {
    expect(titles(run([ehr({ action: 'Break Glass - Chart Review' })]))).toEqual(['Break-Glass Access Without a Documented Reason']);
    expect(run([ehr({ action: 'Chart Review', break_glass_reason: 'Cardiac arrest in ED' })])).toEqual([]);
    expect(titles(run([ehr({ role: 'Registration Clerk', break_glass_reason: 'needed it' })]))).toEqual(['Break-Glass Access by a Non-Clinical Role']);
  });

  it('terminated accounts come from the placeholder list', () => {
    expect(titles(run([ehr({ user: 'gone.user' })]))).toEqual(['Patient Record Access by a Disabled or Terminated Account']);
    expect(run([ehr({ user: 'still.here' })])).toEqual([]);
  });

  it('PACS: wildcard query then transfer to an unknown AE title; known AEs are quiet', () => {
    const atna = (xml: string): [Record<string, unknown>, string] => {
      const r = parseAuditMessage(xml);
      if (!r.ok) throw new Error(r.error);
      return [{ atna: r.message }, 'atna'];
    };
    const q = (at: number, query: string) => atna(atnaXml({ t: at, eventId: ['110112', 'Query'], action: 'E', source: 'PACS01', query, participants: [{ userId: 'X', ae: 'X', requestor: true, ip: '10.99.0.2', role: ['110153', 'Source'] }] }));
    const mv = (at: number, ae: string) => atna(atnaXml({ t: at, eventId: ['110104', 'DICOM Instances Transferred'], action: 'R', source: 'PACS01', study: { uid: '1.2.3', instances: 100 }, participants: [{ userId: 'PACS01', ae: 'PACS01', requestor: false, ip: '10.10.2.10', role: ['110153', 'Source'] }, { userId: ae, ae, requestor: true, ip: '10.99.0.2', role: ['110152', 'Destination'] }] }));
    expect(titles(run([q(t, '(0010,0020)=*'), mv(t + 60_000, 'EVIL')]))).toEqual([
      'DICOM Studies Transferred to an Unknown AE Title', 'PACS Query With Wildcard Patient Matching', 'Wildcard PACS Query Followed by Transfers to an Unknown AE Title',
    ]);
    expect(run([q(t, '(0010,0020)=MRN1'), mv(t + 60_000, 'RADWS01')])).toEqual([]);
  });

  it('WHO look-alike domains in proxy and DNS logs, not who.int itself', () => {
    const proxy = (host: string, method = 'GET', uri = `https://${host}/`): [Record<string, unknown>, string] => [{ log_type: 'proxy', 'cs-host': host, 'cs-method': method, 'c-uri': uri, timestamp: '2026-03-02T10:00:00Z' }, 'json'];
    expect(titles(run([proxy('covid19-who-int.org', 'POST', 'https://covid19-who-int.org/office365/login.php')]))).toEqual([
      'Credentials Posted to a Domain Imitating the World Health Organization', 'Web Request to a Domain Imitating the World Health Organization',
    ]);
    expect(run([proxy('www.who.int'), proxy('who.int'), proxy('apps.who.int', 'POST', 'https://apps.who.int/login')])).toEqual([]);
    expect(titles(run([[{ log_type: 'dns', query: 'who-covid19-staffupdate.com', timestamp: '2026-03-02T10:00:00Z' }, 'json']]))).toEqual(['DNS Query for a Domain Imitating the World Health Organization']);
  });

  it('bulk access: more than 100 distinct patients per user per hour', () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => ehr({ timestamp: new Date(t + i * 20_000).toISOString(), user: 'clerk', patient: `P${i}` }));
    expect(titles(run(rows(101)))).toEqual(["One User Opens More Than 100 Different Patients' Records in an Hour"]);
    expect(run(rows(100))).toEqual([]);
  });
});
