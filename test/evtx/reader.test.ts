import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getReader, sniffReader, type SourceItem } from '../../src/sources/index.js';
import { renderJson, renderXml, walkEvtxFileSync, parseFileHeader } from '../../src/sources/evtx/index.js';
import { buildSampleFile, expected, records } from './helpers/fixtures.js';
import { tempDir } from '../support/tmp.js';

const dir = tempDir('ward-evtx-');
const sample = join(dir, 'sample.evtx');
writeFileSync(sample, buildSampleFile());

async function readAll(file: string): Promise<SourceItem[]> {
  const reader = getReader('evtx')!;
  const out: SourceItem[] = [];
  for await (const batch of reader.read(file, { batchSize: 2 })) out.push(...batch);
  return out;
}

describe('evtx reader', () => {
  it('is registered and sniffs the ElfFile signature', () => {
    const head = buildSampleFile().subarray(0, 4096);
    expect(sniffReader('x.bin', head)?.name).toBe('evtx');
    expect(getReader('evtx')?.sniff('a.evtx', Buffer.from('{"Event":{}}'))).toBe(false);
  });

  it('parses the file header', () => {
    const h = parseFileHeader(buildSampleFile());
    expect(h).toMatchObject({ majorVersion: 3, minorVersion: 2, chunkCount: 2, nextRecordId: 106, checksumValid: true, isDirty: false });
  });

  it('renders every record exactly in the evtx_dump JSON shape', async () => {
    const items = await readAll(sample);
    expect(items.filter((i) => i.kind === 'problem')).toEqual([]);
    const recs = items.filter((i): i is Extract<SourceItem, { kind: 'record' }> => i.kind === 'record');
    expect(recs.map((r) => r.loc.record)).toEqual(records.map((r) => r.spec.id));
    for (const r of recs) {
      expect(r.format).toBe('evtx');
      expect(r.loc.file).toBe(sample);
      expect(r.data).toEqual(expected[r.loc.record!]);
    }
  });

  it('gives each record its absolute byte offset', async () => {
    const recs = (await readAll(sample)).filter((i) => i.kind === 'record');
    const buf = buildSampleFile();
    for (const r of recs) {
      const off = (r as { loc: { offset: number } }).loc.offset;
      expect(buf.readUInt32LE(off)).toBe(0x2a2a);
      expect(Number(buf.readBigUInt64LE(off + 8))).toBe((r as { loc: { record: number } }).loc.record);
    }
    expect((recs[3] as { loc: { offset: number } }).loc.offset).toBe(4096 + 65536 + 512);
  });

  it('renders Windows-style XML', () => {
    const xml: string[] = [];
    walkEvtxFileSync(sample, { record: (r) => void xml.push(renderXml(r)), problem: () => undefined });
    expect(xml[0]).toContain('<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">');
    expect(xml[0]).toContain('    <Provider Name="Microsoft-Windows-Sysmon" Guid="5770385F-C22A-43E0-BF4C-06F5698FFBD9"/>');
    expect(xml[0]).toContain('    <Correlation/>');
    expect(xml[0]).toContain('<Data Name="ProcessId">4242</Data>');
    expect(xml[0]).toContain('<TimeCreated SystemTime="2024-03-01T12:34:56.789012Z"/>');
    // the string array expands into one <Data> per item (MS-EVEN6 §3.1.4.7.5)
    expect(xml[2]).toContain('<Data>Windows Update</Data>\n    <Data>running</Data>\n    <Data>-5</Data>');
    expect(xml[3]).toContain('<Note>a&amp;b</Note>');
  });

  it('renders the same JSON through the synchronous walker', () => {
    const got: unknown[] = [];
    const s = walkEvtxFileSync(sample, { record: (r) => void got.push(renderJson(r)), problem: () => undefined });
    expect(s).toMatchObject({ records: 5, badRecords: 0, problems: 0, chunks: 2 });
    expect(got).toEqual(records.map((r) => expected[r.spec.id]));
  });

  it('reports a missing file as a problem', async () => {
    const items = await readAll(join(dir, 'nope.evtx'));
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'problem', problem: { code: 'evtx.open' } });
  });
});

describe('committed fixture', () => {
  it('test/fixtures/evtx/sample.evtx is the file the helpers build', () => {
    const committed = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'evtx', 'sample.evtx'));
    expect(committed.equals(buildSampleFile())).toBe(true);
  });
});
