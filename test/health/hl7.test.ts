import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeHl7, hl7Reader, hl7Time, mllpFrame, parseHl7, startMllpListener, unescapeHl7, DEFAULT_ENCODING, type SourceItem } from '../../src/sources/index.js';
import { normalize } from '../../src/normalize/index.js';
import { FIX, events, sniff } from './helpers.js';

const f = (n: string): string => join(FIX, 'hl7', n);

describe('HL7 v2', () => {
  it('unescapes §2.7 sequences and round-trips escapeHl7', () => {
    expect(unescapeHl7('O\\S\\Brien \\F\\ \\T\\ \\R\\ \\E\\ \\X4142\\ a\\.br\\b \\H\\x\\N\\', DEFAULT_ENCODING)).toBe("O^Brien | & ~ \\ AB a\nb x");
    const s = 'a|b^c~d\\e&f\ng';
    expect(unescapeHl7(escapeHl7(s), DEFAULT_ENCODING)).toBe(s);
  });

  it('converts DTM with and without zone', () => {
    expect(hl7Time('20260302083000')).toBe('2026-03-02T08:30:00Z');
    expect(hl7Time('202603020830+0100')).toBe('2026-03-02T08:30:00+01:00');
    expect(hl7Time('20260302083000.12')).toBe('2026-03-02T08:30:00.120Z');
    expect(hl7Time('garbage')).toBeUndefined();
  });

  it('rejects messages without MSH or message type', () => {
    expect(parseHl7('PID|1').ok).toBe(false);
    expect(parseHl7('MSH|^~\\&|A|B').ok).toBe(false);
    expect(parseHl7('MSH|^~\\&|A|B|C|D|20260101||ADT^A01|1|P|2.5\rpid|x').ok).toBe(false);
  });

  it('reads an ADT file: A01 with attending doctor, A02, A03; the broken message is reported', async () => {
    expect(sniff(f('adt.hl7'))).toBe('hl7v2');
    const { events: ev, problems } = await events(hl7Reader, f('adt.hl7'));
    expect(ev.map((e) => e.fields.TriggerEvent)).toEqual(['A01', 'A02', 'A03']);
    expect(ev[0].layout).toBe('hl7');
    expect(ev[0].fields).toMatchObject({
      MessageType: 'ADT', HL7Event: 'ADT^A01', MessageControlID: 'MSG00001', PatientID: 'MRN000123', PatientIDs: ['MRN000123', '987654'],
      PatientFamilyName: 'O^Brien', PatientGivenName: 'Mary', PatientStreet: '12 Elm St|Apt 4', PatientPostalCode: '12345',
      PatientClass: 'I', PointOfCare: 'W3N', Room: '301', Bed: 'A', AttendingDoctorID: 'D1001', AttendingDoctorName: 'Jones, Alice',
      ReferringDoctorID: 'D2002', HospitalService: 'CAR', AdmittingDoctorID: 'D1001', VisitNumber: 'V0001', EventOperator: 'admclerk1',
    });
    expect(ev[0].timestamp).toBe(Date.parse('2026-03-02T08:29:55Z'));
    expect(ev[1].fields).toMatchObject({ PointOfCare: 'ICU', PriorPointOfCare: 'W3N', AttendingDoctorID: 'D3003' });
    expect(ev[2].fields.DischargeDateTime).toBe('2026-03-04T11:55:00Z');
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/MSH-9/);
    expect(problems[0].location).toMatchObject({ record: 3, line: 9 });
  });

  it('MLLP listener: frames, acknowledges AA / AR, hands records and problems over', async () => {
    const items: SourceItem[] = [];
    const l = await startMllpListener({ port: 0, onItem: (i) => items.push(i) });
    try {
      const acks = await new Promise<string>((resolve, reject) => {
        const sock = connect(l.port, '127.0.0.1');
        let got = '';
        sock.on('data', (d) => {
          got += d.toString('utf8');
          if ((got.match(/\x1c\r/g) ?? []).length === 2) {
            sock.end();
            resolve(got);
          }
        });
        sock.on('error', reject);
        const good = 'MSH|^~\\&|ADT1|STEX|WARD|WARD|20260302083000||ADT^A04|C42|P|2.5.1\rPID|1||MRN9^^^STEX^MR||Roe^Ann\rPV1|1|O|CLINIC';
        // Split across writes, garbage before the frame: the listener must reassemble.
        const both = Buffer.concat([Buffer.from('noise'), mllpFrame(good), mllpFrame('NOT HL7')]);
        sock.write(both.subarray(0, 20));
        setTimeout(() => sock.write(both.subarray(20)), 10);
      });
      expect(acks).toContain('MSA|AA|C42');
      expect(acks).toContain('MSA|AR|');
      expect(items.map((i) => i.kind)).toEqual(['record', 'problem']);
      const rec = items[0];
      if (rec.kind !== 'record') throw new Error('expected a record');
      const ev = normalize(rec.data, rec.loc, rec.format);
      expect(ev.fields).toMatchObject({ TriggerEvent: 'A04', PatientID: 'MRN9', PatientClass: 'O' });
    } finally {
      await l.close();
    }
  });
});

describe('HL7 robustness', () => {
  it('escape/unescape round-trips any text; the splitter never throws on arbitrary bytes', async () => {
    const fc = await import('fast-check');
    fc.assert(fc.property(fc.string(), (s) => unescapeHl7(escapeHl7(s), DEFAULT_ENCODING) === s), { numRuns: 500 });
    const { splitMessages } = await import('../../src/sources/index.js');
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => {
      const items = splitMessages(`MSH|^~\\&|${a}\r${b}\nMSH${a}`, 'x.hl7');
      return items.every((i) => i.kind === 'record' || i.problem.location.file === 'x.hl7');
    }), { numRuns: 300 });
  });
});
