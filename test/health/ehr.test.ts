import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ehrAccessReader } from '../../src/sources/index.js';
import { FIX, events, sniff } from './helpers.js';

const f = (n: string): string => join(FIX, 'ehr', n);

describe('EHR access logs', () => {
  it('maps CSV columns by the default mapping, handles quoted multi-line fields, reports bad rows', async () => {
    expect(sniff(f('access.csv'))).toBe('ehr-access');
    const { events: ev, problems } = await events(ehrAccessReader, f('access.csv'));
    expect(ev.map((e) => e.fields.AgentUser)).toEqual(['dr.jones', 'nurse.kim', 'clerk.b']);
    expect(ev[0].layout).toBe('ehr-access');
    expect(ev[0].fields).toMatchObject({ AgentRole: 'Physician', Department: 'Cardiology', PatientID: 'MRN000123', Action: 'R', EhrAction: 'Chart Review', Workstation: 'WS-CAR-01', BreakGlass: false, AgentNetworkScope: 'private' });
    expect(ev[0].timestamp).toBe(Date.parse('2026-03-02T08:01:02Z'));
    expect(ev[1].fields.BreakGlass).toBe(true);
    expect(ev[1].fields.BreakGlassReason).toBe('Patient unconscious, "unknown" history\narrived by ambulance');
    expect(ev[2].fields).toMatchObject({ Action: 'E', AgentNetworkScope: 'public' });
    expect(ev[2].loc.line).toBe(7);
    expect(problems.map((p) => [p.code, p.location.line])).toEqual([
      ['ehr.timestamp', 5],
      ['ehr.csv', 6],
    ]);
  });

  it('uses a sidecar mapping with a custom timestamp format and zone', async () => {
    const { events: ev, problems } = await events(ehrAccessReader, f('custom/audit_export.csv'));
    expect(problems).toEqual([]);
    expect(ev[0].fields).toMatchObject({ AgentUser: 'u1', PatientID: 'P1', EhrAction: 'VIEW' });
    expect(ev[0].timestamp).toBe(Date.parse('2026-03-02T06:00:00Z'));
  });
});

describe('EHR access logs as JSON', () => {
  it('reads a JSON array export, bad rows reported by index', async () => {
    expect(sniff(f('export.json'))).toBe('ehr-access');
    const { events: ev, problems } = await events(ehrAccessReader, f('export.json'));
    expect(ev.map((e) => [e.fields.AgentUser, e.loc.record])).toEqual([['a1', 0], ['a3', 2]]);
    expect(ev[0].fields.Action).toBe('E');
    expect(problems.map((p) => [p.code, p.location.record])).toEqual([['ehr.timestamp', 1]]);
  });

  it('the CSV record parser never throws and round-trips quoted fields', async () => {
    const fc = await import('fast-check');
    const { parseCsvRecord } = await import('../../src/sources/index.js');
    const quote = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    fc.assert(fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 6 }), (cols) => {
      const r = parseCsvRecord(cols.map(quote).join(','));
      return JSON.stringify(r) === JSON.stringify(cols);
    }), { numRuns: 500 });
    fc.assert(fc.property(fc.string(), (s) => {
      const r = parseCsvRecord(s);
      return r === undefined || Array.isArray(r);
    }), { numRuns: 500 });
  });
});
