import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, Incident } from '../../src/alerts/index.js';
import { mimikatz, ndjson, networkLogon, startTestServer, type TestServer } from './helpers.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.stop();
});

const send = async (events: unknown[]) => {
  const r = await s.req('/api/v1/events', { method: 'POST', body: ndjson(events) });
  expect(r.status).toBe(200);
  await s.ward.pipeline.idle();
};
const get = async <T>(path: string): Promise<T> => (await (await s.req(path)).json()) as T;

describe('incident grouping', () => {
  it('deduplicates repeats and groups a credential theft and the lateral movement it enables', async () => {
    await send([mimikatz('RVH-ICU-WS03.rvh.local', 'n.okafor'), mimikatz('RVH-ICU-WS03.rvh.local', 'n.okafor')]);
    await send([networkLogon('RVH-FS01.rvh.local', 'RVH-ICU-WS03', 'svc-backup')]);
    const alerts = await get<{ items: Alert[] }>('/api/v1/alerts?q=rvh-');
    expect(alerts.items).toHaveLength(2);
    const cred = alerts.items.find((a) => a.host === 'RVH-ICU-WS03.rvh.local')!;
    expect(cred.count).toBe(2);
    expect(cred.eventSeqs).toHaveLength(2);
    expect(cred.user).toBe('n.okafor');
    const lateral = alerts.items.find((a) => a.host === 'RVH-FS01.rvh.local')!;
    expect(lateral.incidentId).toBe(cred.incidentId);
    const { incident, alerts: incAlerts } = await get<{ incident: Incident; alerts: Alert[] }>(`/api/v1/incidents/${cred.incidentId}`);
    expect(incident.groupedBy).toContain('chain');
    expect(incident.hosts).toEqual(['RVH-ICU-WS03.rvh.local', 'RVH-FS01.rvh.local']);
    expect(incident.tactics).toEqual(['credential-access', 'lateral-movement']);
    expect(incident.timeline.map((t) => t.tactic)).toEqual(['credential-access', 'lateral-movement']);
    expect(incident.severity).toBe('high');
    expect(incAlerts).toHaveLength(2);
  });

  it('groups by user across hosts, and keeps unrelated hosts apart', async () => {
    await send([mimikatz('HOST-A', 'k.mensah'), mimikatz('HOST-B', 'k.mensah'), mimikatz('HOST-C', 'someone.else')]);
    const a = (await get<{ items: Alert[] }>('/api/v1/alerts?host=HOST-A')).items[0];
    const b = (await get<{ items: Alert[] }>('/api/v1/alerts?host=HOST-B')).items[0];
    const c = (await get<{ items: Alert[] }>('/api/v1/alerts?host=HOST-C')).items[0];
    expect(b.incidentId).toBe(a.incidentId);
    expect(c.incidentId).not.toBe(a.incidentId);
    const inc = (await get<{ incident: Incident }>(`/api/v1/incidents/${a.incidentId}`)).incident;
    expect(inc.groupedBy).toContain('user');
  });

  it('shows the evidence: the raw stored events of an alert, and ATT&CK links', async () => {
    const a = (await get<{ items: Alert[] }>('/api/v1/alerts?host=HOST-A')).items[0];
    const d = await get<{ alert: Alert; events: { event: Record<string, unknown> }[]; attack: { id: string; url: string }[] }>(`/api/v1/alerts/${a.id}`);
    expect(d.events[0].event).toMatchObject({ Computer: 'HOST-A', CommandLine: expect.stringContaining('sekurlsa') });
    expect(d.attack).toEqual([{ id: 'T1003.001', url: 'https://attack.mitre.org/techniques/T1003/001/' }]);
    expect(d.alert.fields).toMatchObject({ CommandLine: expect.stringContaining('sekurlsa') });
  });

  it('filters alerts by level, tactic and full text', async () => {
    expect((await get<{ items: Alert[] }>('/api/v1/alerts?level=medium')).items.every((a) => a.level === 'medium')).toBe(true);
    expect((await get<{ total: number }>('/api/v1/alerts?level=medium')).total).toBe(1);
    expect((await get<{ items: Alert[] }>('/api/v1/alerts?tactic=lateral-movement')).items.map((a) => a.host)).toEqual(['RVH-FS01.rvh.local']);
    expect((await get<{ items: Alert[] }>('/api/v1/alerts?q=k.mensah')).items).toHaveLength(2);
    expect((await get<{ total: number }>('/api/v1/alerts?q=nothing-like-this')).total).toBe(0);
  });
});

describe('incident workflow', () => {
  it('moves through new → triage → contained → closed with assignee, notes and history', async () => {
    const inc = (await get<{ items: Incident[] }>('/api/v1/incidents?status=new')).items[0];
    const patch = async (body: unknown) => s.req(`/api/v1/incidents/${inc.id}`, { method: 'PATCH', json: body });
    expect((await patch({ status: 'triage', assignee: 'ana@hospital.test' })).status).toBe(200);
    expect((await patch({ note: 'Isolated the ICU workstation from the network.' })).status).toBe(200);
    expect((await patch({ status: 'contained', severity: 'critical' })).status).toBe(200);
    expect((await patch({ status: 'bogus' })).status).toBe(400);
    expect((await patch({ unknown: 1 })).status).toBe(400);
    const r = await patch({ status: 'closed' });
    const closed = ((await r.json()) as { incident: Incident }).incident;
    expect(closed.status).toBe('closed');
    expect(closed.assignee).toBe('ana@hospital.test');
    expect(closed.severity).toBe('critical');
    expect(closed.notes.map((n) => n.text)).toEqual(['Isolated the ICU workstation from the network.']);
    expect(closed.history.map((h) => h.change)).toEqual([
      'status new → triage', 'assignee - → ana@hospital.test', 'status triage → contained', 'severity high → critical', 'status contained → closed',
    ]);
    expect(closed.history.every((h) => h.actor === 'admin@hospital.test' || h.actor === 'admin')).toBe(true);
    expect((await get<{ items: Incident[] }>('/api/v1/incidents?status=closed')).items.map((i) => i.id)).toContain(inc.id);
    // a new detection on the same host after closing opens a new incident, not a closed one
    const host = inc.hosts[0];
    await send([mimikatz(host, inc.users[0] ?? 'x')]);
    const fresh = (await get<{ items: Alert[] }>(`/api/v1/alerts?host=${encodeURIComponent(host)}`)).items[0];
    expect(fresh.incidentId).not.toBe(inc.id);
    // the analyst's changes survive later detections (no lost update)
    expect((await get<{ incident: Incident }>(`/api/v1/incidents/${inc.id}`)).incident.status).toBe('closed');
  });

  it('analyst edits are not overwritten by detection adding alerts to the same incident', async () => {
    await send([mimikatz('LIVE-1', 'u.live')]);
    const a = (await get<{ items: Alert[] }>('/api/v1/alerts?host=LIVE-1')).items[0];
    await s.req(`/api/v1/incidents/${a.incidentId}`, { method: 'PATCH', json: { status: 'triage', note: 'looking' } });
    await send([networkLogon('LIVE-2', 'LIVE-1', 'u.live')]);
    const inc = (await get<{ incident: Incident }>(`/api/v1/incidents/${a.incidentId}`)).incident;
    expect(inc.alertCount).toBe(2);
    expect(inc.status).toBe('triage');
    expect(inc.notes).toHaveLength(1);
  });
});

describe('rules', () => {
  it('lists loaded rules and failed ones with reasons', async () => {
    const r = await get<{ loaded: { id: string; enabled: boolean }[]; failed: { source: string; message: string }[] }>('/api/v1/rules');
    expect(r.loaded).toHaveLength(3);
    expect(r.failed).toHaveLength(1);
    expect(r.failed[0].message).toMatch(/nosuchmodifier/);
    expect(r.failed[0].source).toMatch(/broken\.yml/);
  });

  it('disables a rule for the organisation, and reloads without restart', async () => {
    const id = '7f1c2a9e-5b3d-4c1e-9a0f-1e2d3c4b5a01';
    expect((await s.req(`/api/v1/rules/${id}`, { method: 'PUT', json: { enabled: false } })).status).toBe(200);
    expect((await s.req('/api/v1/rules/nope', { method: 'PUT', json: { enabled: false } })).status).toBe(404);
    await send([mimikatz('DISABLED-HOST')]);
    expect((await get<{ total: number }>('/api/v1/alerts?host=DISABLED-HOST')).total).toBe(0);
    const list = await get<{ loaded: { id: string; enabled: boolean }[] }>('/api/v1/rules');
    expect(list.loaded.find((x) => x.id === id)?.enabled).toBe(false);
    expect((await s.req(`/api/v1/rules/${id}`, { method: 'PUT', json: { enabled: true } })).status).toBe(200);
    const rl = await s.req('/api/v1/rules/reload', { method: 'POST' });
    expect(await rl.json()).toEqual({ loaded: 3, failed: 1 });
    await send([mimikatz('ENABLED-HOST')]);
    expect((await get<{ total: number }>('/api/v1/alerts?host=ENABLED-HOST')).total).toBe(1);
  });
});

describe('overview', () => {
  it('summarises alerts by level, tactic, host and time, with sources', async () => {
    const o = await get<{ alerts: { total: number; byLevel: Record<string, number>; byTactic: Record<string, number>; byHost: { host: string }[]; overTime: unknown[] }; sources: { source: string }[]; openIncidents: number; metrics: { eventsPerSecond: number; detectionSkipped: number } }>(
      '/api/v1/overview?since=0',
    );
    expect(o.alerts.total).toBeGreaterThan(5);
    expect(o.alerts.byLevel.high).toBeGreaterThan(0);
    expect(o.alerts.byTactic['credential-access']).toBeGreaterThan(0);
    expect(o.alerts.byHost.length).toBeGreaterThan(3);
    expect(o.alerts.overTime.length).toBeGreaterThan(0);
    expect(o.openIncidents).toBeGreaterThan(0);
    expect(o.sources[0].source).toMatch(/^api:/);
    expect(typeof o.metrics.eventsPerSecond).toBe('number');
    expect(o.metrics.detectionSkipped).toBe(0);
  });
});

describe('TAXII 2.1 inside ward serve', () => {
  it('answers discovery at /taxii2/ with the admin token and refuses without one', async () => {
    const ok = await s.req('/taxii2/', { headers: { accept: 'application/taxii+json;version=2.1' } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { api_roots: string[] }).api_roots.join(' ')).toMatch(/\/ward\/?$/);
    expect((await s.req('/taxii2/', { token: '', headers: { accept: 'application/taxii+json;version=2.1' } })).status).toBe(401);
  });
});
