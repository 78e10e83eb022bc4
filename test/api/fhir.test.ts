import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.stop();
});

const audit = (user: string, patient: string) => ({
  resourceType: 'AuditEvent',
  type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest' },
  subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: 'read' }],
  action: 'R',
  recorded: '2026-03-01T10:00:00Z',
  outcome: '0',
  agent: [{ who: { identifier: { value: user } }, requestor: true, network: { address: '10.1.1.1', type: '2' } }],
  source: { observer: { display: 'fhir01' } },
  entity: [{ what: { reference: `Patient/${patient}` } }],
});

describe('POST /fhir/AuditEvent', () => {
  it('accepts an AuditEvent and a Bundle of them from a source token, stored as fhir-audit events', async () => {
    const t = (await (await s.req('/api/v1/tokens', { method: 'POST', json: { name: 'ehr-fhir' } })).json()) as { token: string };
    const one = await s.req('/fhir/AuditEvent', { method: 'POST', token: t.token, json: audit('dr.a', 'p1') });
    expect(one.status).toBe(201);
    expect(((await one.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: audit('dr.b', 'p2') }, { resource: audit('dr.c', 'p3') }] };
    expect((await s.req('/fhir/AuditEvent', { method: 'POST', token: t.token, json: bundle })).status).toBe(201);
    const sources = ((await (await s.req('/api/v1/sources')).json()) as { items: { source: string; events: number }[] }).items;
    expect(sources.find((x) => x.source === 'ehr-fhir')?.events).toBe(3);
  });
  it('refuses other resources, and requests without credentials', async () => {
    expect((await s.req('/fhir/AuditEvent', { method: 'POST', json: { resourceType: 'Patient', id: 'x' } })).status).toBe(400);
    const anon = await s.req('/fhir/AuditEvent', { method: 'POST', json: audit('dr.a', 'p1'), token: '' });
    expect(anon.status).toBe(401);
  });
});
