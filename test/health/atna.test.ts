import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atnaReader, parseAuditMessage, syslogReader } from '../../src/sources/index.js';
import { FIX, events, sniff } from './helpers.js';

const f = (n: string): string => join(FIX, 'atna', n);

describe('ATNA / DICOM audit messages', () => {
  it('the XML parser works without any syslog framing and names what is missing', () => {
    const ok = parseAuditMessage('<AuditMessage><EventIdentification EventActionCode="R" EventOutcomeIndicator="0"><EventID code="110110"/></EventIdentification></AuditMessage>');
    expect(ok.ok && ok.message.EventIdentification.EventID.code).toBe('110110'); // RFC 3881 `code` attribute
    const bad = parseAuditMessage('<AuditMessage><EventIdentification>');
    expect(bad.ok).toBe(false);
    const noId = parseAuditMessage('<AuditMessage><EventIdentification EventActionCode="R"/></AuditMessage>');
    expect(!noId.ok && noId.error).toMatch(/EventID/);
    const other = parseAuditMessage('<Foo/>');
    expect(!other.ok && other.error).toMatch(/AuditMessage/);
  });

  it('sniffs ATNA syslog and XML files', () => {
    expect(sniff(f('pacs-audit.syslog'))).toMatch(/^(atna|syslog)$/);
    expect(sniff(f('audit-messages.xml'))).toBe('atna');
  });

  it('syslog lines: wildcard query and transfer to an AE title; bad lines reported with line numbers', async () => {
    const { events: ev, problems } = await events(atnaReader, f('pacs-audit.syslog'));
    expect(ev).toHaveLength(3);
    expect(ev[0].layout).toBe('atna');
    expect(ev[0].fields).toMatchObject({ EventID: '110112', EventName: 'Query', QueryWildcard: true, AgentNetworkAddress: '10.30.9.99', SourceAETitle: 'EVILSCU', DestinationAETitle: 'PACS01', Computer: 'pacs01' });
    expect(ev[0].timestamp).toBe(Date.parse('2026-03-02T10:00:00Z'));
    expect(ev[1].fields).toMatchObject({ EventID: '110104', DestinationAETitle: 'EXFIL', SourceAETitle: 'PACS01', AgentNetworkAddress: '10.30.9.99', InstanceCount: 240, StudyCount: 1, PatientID: 'MRN000123', PatientName: 'DOE^JANE', Outcome: '0' });
    expect(problems.map((p) => [p.code, p.location.line])).toEqual([
      ['atna.xml', 3],
      ['atna.no-payload', 4],
      ['atna.no-payload', 5],
    ]);
  });

  it('the same syslog file read by the generic syslog reader still yields ATNA events', async () => {
    const { events: ev } = await events(syslogReader, f('pacs-audit.syslog'));
    const atna = ev.filter((e) => e.layout === 'atna');
    expect(atna.map((e) => e.fields.EventID)).toEqual(['110112', '110104', undefined, '110104']);
    expect(atna[2].fields.ParseError).toMatch(/malformed/);
  });

  it('XML files with several messages: a broken one is a problem, the others are read', async () => {
    const { events: ev, problems } = await events(atnaReader, f('audit-messages.xml'));
    expect(ev.map((e) => e.fields.EventID)).toEqual(['110112', '110104']);
    expect(problems).toHaveLength(1);
    expect(problems[0].location.record).toBe(2);
    expect(problems[0].location.line).toBeGreaterThan(10);
  });
});

describe('ATNA parser robustness', () => {
  it('refuses DTDs (entity expansion) and never throws on arbitrary input', async () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><AuditMessage><EventIdentification><EventID csd-code="&lol2;"/></EventIdentification></AuditMessage>';
    const r = parseAuditMessage(bomb);
    expect(!r.ok && r.error).toMatch(/DOCTYPE/);
    const fc = await import('fast-check');
    fc.assert(fc.property(fc.string(), (s) => {
      const x = parseAuditMessage(`<AuditMessage>${s}</AuditMessage>`);
      return typeof x.ok === 'boolean';
    }), { numRuns: 300 });
  });
});
