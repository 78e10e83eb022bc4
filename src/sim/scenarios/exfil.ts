import { atnaSyslogLine, atnaXml, fhirAuditEvent, DST_ROLE, SRC_ROLE } from '../formats/health.js';
import { DAY, HOUR, MIN, type SimContext } from '../context.js';
import type { Label } from '../out.js';

export const EXPORT_STAGES = ['token-abuse', 'export-kickoff', 'export-download', 'pacs-query', 'pacs-retrieve'] as const;

/**
 * Scenario 3: bulk theft with stolen service credentials. The population-health client's secret
 * leaked; the attacker guesses at it from the internet (a burst of failed client authentications),
 * starts a system-level FHIR Bulk Data `$export`, downloads the NDJSON files, then — from a VPN
 * foothold — sends a wildcard C-FIND to the PACS and C-MOVEs studies to an AE title nobody knows.
 */
export function bulkExport(c: SimContext, dayIndex: number): void {
  const rng = c.rng;
  const { h } = c;
  const ip = '203.0.113.50';
  const svcUser = 'svc-population-health';
  const L = (stage: string): Label => ({ scenario: 'bulk-export', scenarioId: 3, stage, actor: svcUser });
  let t = c.start + Math.min(dayIndex, c.days - 1) * DAY + 23 * HOUR + rng.int(0, 30) * MIN;
  const svc = { user: svcUser, agentType: 'dataprocessor' as const, address: ip, client: 'python-requests/2.31', observer: h.servers.fhir.fqdn };
  for (let i = 0; i < 26; i++) {
    t += rng.int(2, 9) * 1000;
    c.out.add({ stream: 'fhir', t, body: fhirAuditEvent(rng, { ...svc, t, interaction: 'login', outcome: '8', outcomeDesc: 'invalid_client: client authentication failed' }), label: L('token-abuse') });
  }
  t += 20_000;
  c.out.add({ stream: 'fhir', t, body: fhirAuditEvent(rng, { ...svc, t, interaction: 'login' }), label: L('token-abuse') });
  t += 30_000;
  c.out.add({ stream: 'fhir', t, body: fhirAuditEvent(rng, { ...svc, t, interaction: 'operation', query: `GET https://${h.servers.fhir.fqdn}/fhir/$export?_type=Patient,Condition,Observation,MedicationRequest,DiagnosticReport,Immunization&_outputFormat=application/fhir+ndjson` }), label: L('export-kickoff') });
  t += 15 * MIN;
  for (let i = 0; i < 36; i++) {
    t += rng.int(5, 40) * 1000;
    c.out.add({ stream: 'fhir', t, body: fhirAuditEvent(rng, { ...svc, t, interaction: 'read', what: `Binary/bulk-${rng.hex(12)}` }), label: L('export-download') });
  }

  // PACS: wildcard study query, then retrieval of every study to an unknown AE.
  const { pacs } = h.servers;
  const vpn = '10.99.0.23';
  const ae = 'STORESCP';
  t += 2 * HOUR;
  const line = (tt: number, xml: string, stage: string): void => c.out.add({ stream: 'atna', t: tt, body: atnaSyslogLine(tt, pacs.name.toLowerCase(), 'PACS', xml), label: L(stage) });
  for (const q of ['(0008,0052)=STUDY;(0010,0020)=*;(0008,0020)=20200101-', '(0008,0052)=STUDY;(0010,0010)=*;(0008,0061)=CT']) {
    t += rng.int(5, 20) * 1000;
    line(t, atnaXml({ t, eventId: ['110112', 'Query'], action: 'E', source: pacs.name, participants: [
      { userId: ae, ae, requestor: true, ip: vpn, role: SRC_ROLE },
      { userId: pacs.aeTitle!, ae: pacs.aeTitle, requestor: false, ip: pacs.ip, role: DST_ROLE },
    ], query: q }), 'pacs-query');
  }
  for (let i = 0; i < 30; i++) {
    t += rng.int(20, 90) * 1000;
    const p = rng.pick(h.patients);
    line(t, atnaXml({ t, eventId: ['110104', 'DICOM Instances Transferred'], action: 'R', source: pacs.name, participants: [
      { userId: pacs.aeTitle!, ae: pacs.aeTitle, requestor: false, ip: pacs.ip, role: SRC_ROLE },
      { userId: ae, ae, requestor: true, ip: vpn, role: DST_ROLE },
    ], patient: { id: p.mrn, name: `${p.family}^${p.given}` }, study: { uid: `1.2.826.0.1.3680043.9.${rng.int(1000, 9999)}.${Math.floor(t / 1000) - rng.int(1e5, 1e7)}`, instances: rng.int(50, 900) } }), 'pacs-retrieve');
  }
}
