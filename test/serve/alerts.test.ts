import { describe, expect, it } from 'vitest';
import { AlertEngine, applyPatch, attackFromTags, validatePatch } from '../../src/alerts/index.js';
import type { Detection } from '../../src/detect/index.js';
import { normalize } from '../../src/normalize/index.js';

let n = 0;
const det = (rule: string, tags: string[], host: string | undefined, t: number, fields: Record<string, unknown> = {}): Detection => ({
  kind: 'sigma',
  rule: { id: rule, title: `Rule ${rule}`, level: rule.startsWith('crit') ? 'critical' : 'medium', tags },
  timestamp: t,
  host,
  loc: undefined,
  fields,
});
const engine = () => new AlertEngine({ newId: (k) => `${k}-${++n}`, clock: () => 1 });
const MIN = 60_000;

describe('AlertEngine', () => {
  it('maps Sigma ATT&CK tags to ordered tactics and techniques', () => {
    expect(attackFromTags(['attack.lateral_movement', 'attack.t1021.002', 'attack.credential-access', 'cve.2021'])).toEqual({
      tactics: ['credential-access', 'lateral-movement'],
      techniques: ['T1021.002'],
    });
  });

  it('deduplicates repeats of one rule on one host within the window', () => {
    const e = engine();
    const a = e.ingest('o1', det('r1', [], 'ws1', 0), 1);
    const b = e.ingest('o1', det('r1', [], 'ws1', 5 * MIN), 2);
    expect(b.newAlert).toBe(false);
    expect(b.alert.id).toBe(a.alert.id);
    expect(b.alert.count).toBe(2);
    expect(b.alert.eventSeqs).toEqual([1, 2]);
    const c = e.ingest('o1', det('r1', [], 'ws1', 60 * MIN), 3);
    expect(c.newAlert).toBe(true);
  });

  it('groups by host and by user within the window, not across organisations', () => {
    const e = engine();
    const a = e.ingest('o1', det('r1', ['attack.execution'], 'ws1', 0));
    const b = e.ingest('o1', det('crit2', ['attack.persistence'], 'WS1', 10 * MIN));
    expect(b.newIncident).toBe(false);
    expect(b.incident.id).toBe(a.incident.id);
    expect(b.incident.severity).toBe('critical');
    expect(b.incident.tactics).toEqual(['execution', 'persistence']);
    const c = e.ingest('o1', det('r3', [], 'ws9', 15 * MIN, { TargetUserName: 'alice' }));
    expect(c.newIncident).toBe(true);
    const d = e.ingest('o1', det('r4', [], 'ws10', 20 * MIN, { TargetUserName: 'ALICE' }));
    expect(d.incident.id).toBe(c.incident.id);
    expect(d.incident.groupedBy).toContain('user');
    const other = e.ingest('o2', det('r1', [], 'ws1', 11 * MIN));
    expect(other.newIncident).toBe(true);
    // SYSTEM and machine accounts are not grouping keys
    const s1 = e.ingest('o3', det('r5', [], 'a', 0, { SubjectUserName: 'SYSTEM' }));
    const s2 = e.ingest('o3', det('r6', [], 'b', 0, { SubjectUserName: 'HOST$' }));
    expect(s1.alert.user).toBeUndefined();
    expect(s2.incident.id).not.toBe(s1.incident.id);
  });

  it('follows an ATT&CK chain to another host that references the first', () => {
    const e = engine();
    const a = e.ingest('o1', det('r1', ['attack.credential-access'], 'ws1.hosp.local', 0));
    const b = e.ingest('o1', det('r2', ['attack.lateral-movement'], 'srv2', 3 * 60 * MIN, { WorkstationName: 'WS1' }));
    expect(b.incident.id).toBe(a.incident.id);
    expect(b.incident.groupedBy).toContain('chain');
    expect(b.incident.hosts).toEqual(['ws1.hosp.local', 'srv2']);
    expect(b.incident.timeline.map((t) => t.tactic)).toEqual(['credential-access', 'lateral-movement']);
    // an earlier tactic does not chain
    const c = e.ingest('o1', det('r3', ['attack.initial-access'], 'srv3', 4 * 60 * MIN, { WorkstationName: 'ws1' }));
    expect(c.newIncident).toBe(true);
  });

  it('treats DOMAIN\\user, user@domain and USER as one account, and names incidents after their worst alert', () => {
    const e = engine();
    const a = e.ingest('o1', det('r1', [], 'h1', 0, { TargetUserName: 'RVH\\adm.jchen' }));
    const b = e.ingest('o1', det('crit-2', [], 'h2', MIN, { TargetUserName: 'ADM.JCHEN@rvh.local' }));
    expect(b.incident.id).toBe(a.incident.id);
    expect(b.incident.users).toEqual(['RVH\\adm.jchen']);
    expect(b.incident.title).toBe('Rule crit-2 on h1 and 1 more host');
    applyPatch(b.incident, { title: 'Ransomware on the file server' }, 'ana');
    e.ingest('o1', det('crit-3', [], 'h3', 2 * MIN, { TargetUserName: 'adm.jchen' }));
    expect(b.incident.title).toBe('Ransomware on the file server');
  });

  it('links an alert that names only an address to the host learnt for it (machine-account logons)', () => {
    const e = engine();
    const a = e.ingest('o1', det('r1', ['attack.credential-access'], 'RVH-ICU-WS03.rvh.local', 0));
    // the DC sees the workstation's machine account ask for a ticket from 10.20.14.33
    e.learn('o1', normalize({ Channel: 'Security', EventID: 4768, Computer: 'DC01', TargetUserName: 'RVH-ICU-WS03$', IpAddress: '10.20.14.33' }, {}, ''));
    const b = e.ingest('o1', det('r2', ['attack.lateral-movement'], 'DC01', 5 * 60 * MIN, { IpAddress: '10.20.14.33' }));
    expect(b.incident.id).toBe(a.incident.id);
    expect(b.incident.groupedBy).toContain('chain');
    // another organisation's directory knows nothing of it
    const c = e.ingest('o2', det('r1', ['attack.credential-access'], 'RVH-ICU-WS03.rvh.local', 0));
    const d = e.ingest('o2', det('r2', ['attack.lateral-movement'], 'DC01', 5 * 60 * MIN, { IpAddress: '10.20.14.33' }));
    expect(d.incident.id).not.toBe(c.incident.id);
  });

  it('opens a new incident after the old one is closed', () => {
    const e = engine();
    const a = e.ingest('o1', det('r1', [], 'ws1', 0));
    applyPatch(a.incident, { status: 'closed', note: 'fp' }, 'bob', 5);
    e.updateIncident(a.incident);
    const b = e.ingest('o1', det('r1', [], 'ws1', MIN));
    expect(b.newIncident).toBe(true);
    expect(a.incident.history).toEqual([{ time: 5, actor: 'bob', change: 'status new → closed' }]);
    expect(a.incident.notes[0].text).toBe('fp');
  });

  it('validates workflow patches', () => {
    expect(validatePatch({ status: 'triage' })).toBeUndefined();
    expect(validatePatch({ status: 'done' })).toMatch(/status/);
    expect(validatePatch({ foo: 1 })).toMatch(/unknown/);
    expect(validatePatch([])).toMatch(/object/);
  });
});
