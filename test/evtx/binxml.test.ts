import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readChunk, renderJson } from '../../src/sources/evtx/index.js';
import { buildChunk, type SubValue, type XElement } from './helpers/binxml-writer.js';
import { buildSampleFile } from './helpers/fixtures.js';
import { tempDir } from '../support/tmp.js';

function renderOne(template: XElement, values: SubValue[]): { json: unknown[]; problems: string[] } {
  const json: unknown[] = [];
  const problems: string[] = [];
  readChunk(buildChunk([{ id: 1, template, values }]), 4096, {
    record: (r) => void json.push(renderJson(r)),
    problem: (code) => void problems.push(code),
  });
  return { json, problems };
}

const sub = (i: number, type: number, optional = false) => ({ sub: i, type, optional });

describe('BinXml value types and rendering rules', () => {
  it('renders every scalar substitution type like evtx_dump', () => {
    const tpl: XElement = {
      name: 'E',
      kids: [
        { name: 'I8', kids: [sub(0, 0x03)] },
        { name: 'I16', kids: [sub(1, 0x05)] },
        { name: 'I64', kids: [sub(2, 0x09)] },
        { name: 'U64', kids: [sub(3, 0x0a)] },
        { name: 'F64', kids: [sub(4, 0x0c)] },
        { name: 'Hex32', kids: [sub(5, 0x14)] },
        { name: 'Sys', kids: [sub(6, 0x12)] },
        { name: 'Bool', kids: [sub(7, 0x0d)] },
        { name: 'U16s', kids: [sub(8, 0x86)] },
        { name: 'Guid', kids: [sub(9, 0x0f)] },
        { name: 'Sid', kids: [sub(10, 0x13)] },
        { name: 'Mixed', kids: ['id=', sub(11, 0x08)] },
        { name: 'Ref', kids: [{ charRef: 65 }] },
      ],
    };
    const { json, problems } = renderOne(tpl, [
      { type: 'i8', v: -3 },
      { type: 'i16', v: -300 },
      { type: 'i64', v: -5000000000n },
      { type: 'u64', v: 18446744073709551615n },
      { type: 'f64', v: 1.5 },
      { type: 'hex32', v: 0x1f },
      { type: 'systemtime', v: new Date(Date.UTC(2023, 0, 2, 3, 4, 5, 678)) },
      { type: 'bool', v: 0 },
      { type: 'u16s', v: [7] },
      { type: 'guid', v: '{00112233-4455-6677-8899-AABBCCDDEEFF}' },
      { type: 'sid', v: 'S-1-5-21-1004336348-1177238915-682003330-512' },
      { type: 'u32', v: 9 },
    ]);
    expect(problems).toEqual([]);
    expect(json[0]).toEqual({
      E: {
        I8: -3,
        I16: -300,
        I64: -5000000000,
        U64: '18446744073709551615',
        F64: '1.5',
        Hex32: '0x1f',
        Sys: '2023-01-02T03:04:05.678000Z',
        Bool: false,
        U16s: '7',
        Guid: '00112233-4455-6677-8899-AABBCCDDEEFF',
        Sid: 'S-1-5-21-1004336348-1177238915-682003330-512',
        Mixed: 'id=9',
        Ref: '&#65;',
      },
    });
  });

  it('drops empty optional substitutions and null-valued attributes', () => {
    const tpl: XElement = {
      name: 'E',
      kids: [
        { name: 'A', attrs: [['x', sub(0, 0x01, true)]], kids: [sub(1, 0x01, true)] },
        { name: 'B', attrs: [['y', sub(2, 0x08)]] },
        { name: 'EventData', kids: [{ name: 'Data', attrs: [['Name', 'k']], kids: [sub(0, 0x01, true)] }] },
      ],
    };
    const { json } = renderOne(tpl, [{ type: 'string', v: '' }, { type: 'null' }, { type: 'u32', v: 0 }]);
    expect(json[0]).toEqual({ E: { A: null, B: { '#attributes': { y: 0 } }, EventData: { k: '' } } });
  });

  it('reads nested BinXml written without dependency identifiers (MS-EVEN6 layout)', () => {
    const inner: XElement = { name: 'Inner', attrs: [['a', 'b']], kids: [{ name: 'Leaf', kids: ['v'] }] };
    const tpl: XElement = { name: 'E', kids: [{ name: 'UserData', kids: [sub(0, 0x21)] }] };
    for (const dependencyIds of [true, false]) {
      const { json, problems } = renderOne(tpl, [{ type: 'binxml', v: inner, dependencyIds }]);
      expect(problems).toEqual([]);
      expect(json[0]).toEqual({ E: { UserData: { Inner: { '#attributes': { a: 'b' }, Leaf: 'v' } } } });
    }
  });

  it('stops a record whose arrays would expand without bound', () => {
    const tpl: XElement = { name: 'E', kids: [{ name: 'Data', kids: [sub(0, 0x81), sub(1, 0x81)] }] };
    const many = Array.from({ length: 1000 }, (_, i) => `v${i}`);
    const { json, problems } = renderOne(tpl, [
      { type: 'strings', v: many },
      { type: 'strings', v: many },
    ]);
    expect(json).toEqual([]);
    expect(problems).toEqual(['evtx.too-large']);
  });
});

const hasEvtxexport = spawnSync('evtxexport', ['-V']).error === undefined;

describe('fixtures agree with an independent reader', () => {
  it.skipIf(!hasEvtxexport)('libevtx evtxexport reads the same records and values', () => {
    const dir = tempDir('ward-evtx-x-');
    const file = join(dir, 'sample.evtx');
    writeFileSync(file, buildSampleFile());
    const xml = execFileSync('evtxexport', ['-f', 'xml', file]).toString();
    const ids = [...xml.matchAll(/<EventRecordID>(\d+)<\/EventRecordID>/g)].map((m) => Number(m[1]));
    expect(ids).toEqual([101, 102, 103, 104, 105]);
    expect(xml).toContain('<Data Name="CommandLine">vssadmin delete shadows /all /quiet</Data>');
    expect(xml).toContain('<EventID Qualifiers="16384">7036</EventID>');
    expect(xml).toContain('<Header>x-ms-version: 2009</Header>');
    expect(xml).toContain('SystemTime="2024-03-01T12:34:56.789012300Z"');
  });
  if (!hasEvtxexport) it('skips the evtxexport cross-check: apt package libevtx-utils is not installed', () => undefined);
});

describe('array and less common value types', () => {
  const u64 = (...xs: bigint[]) => Buffer.concat(xs.map((x) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(x); return b; }));
  const guid = Buffer.from('33221100554477668899aabbccddeeff', 'hex');
  const sid = Buffer.from([1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0]); // S-1-5-18

  it('renders typed arrays, size_t, real32 and ANSI strings', () => {
    const tpl: XElement = {
      name: 'E',
      kids: [
        { name: 'Guids', kids: [sub(0, 0x8f)] },
        { name: 'Times', kids: [sub(1, 0x91)] },
        { name: 'Hex', kids: [sub(2, 0x95)] },
        { name: 'Bools', kids: [sub(3, 0x8d)] },
        { name: 'Sids', kids: [sub(4, 0x93)] },
        { name: 'Size4', kids: [sub(5, 0x10)] },
        { name: 'Size8', kids: [sub(6, 0x10)] },
        { name: 'Real', kids: [sub(7, 0x0b)] },
        { name: 'Ansi', kids: [sub(8, 0x02)] },
        { name: 'One', kids: [sub(9, 0x88)] },
      ],
    };
    const bools = Buffer.alloc(8);
    bools.writeInt32LE(1, 0);
    const real = Buffer.alloc(4);
    real.writeFloatLE(0.1);
    const size4 = Buffer.alloc(4);
    size4.writeUInt32LE(0xbeef);
    const one = Buffer.alloc(4);
    one.writeUInt32LE(42);
    const { json, problems } = renderOne(tpl, [
      { type: 'raw', code: 0x8f, bytes: Buffer.concat([guid, guid]) },
      { type: 'raw', code: 0x91, bytes: u64(116444736000000000n, 116444736000000010n) },
      { type: 'raw', code: 0x95, bytes: u64(0x10n, 0xffffffffffffffffn) },
      { type: 'raw', code: 0x8d, bytes: bools },
      { type: 'raw', code: 0x93, bytes: Buffer.concat([sid, sid]) },
      { type: 'raw', code: 0x10, bytes: size4 },
      { type: 'raw', code: 0x10, bytes: u64(0x1234567890n) },
      { type: 'raw', code: 0x0b, bytes: real },
      { type: 'raw', code: 0x02, bytes: Buffer.from('café\0', 'latin1') },
      { type: 'raw', code: 0x88, bytes: one },
    ]);
    expect(problems).toEqual([]);
    // arrays of more than one item repeat their element (MS-EVEN6 §3.1.4.7.5): Name, Name_1 …
    expect(json[0]).toEqual({
      E: {
        Guids: '00112233-4455-6677-8899-AABBCCDDEEFF',
        Guids_1: '00112233-4455-6677-8899-AABBCCDDEEFF',
        Times: '1970-01-01T00:00:00.000000Z',
        Times_1: '1970-01-01T00:00:00.000001Z',
        Hex: '0x10',
        Hex_1: '0xffffffffffffffff',
        Bools: true,
        Bools_1: false,
        Sids: 'S-1-5-18',
        Sids_1: 'S-1-5-18',
        Size4: '0xbeef',
        Size8: '0x1234567890',
        Real: '0.1',
        Ansi: 'café',
        // a one-item array is not expanded and renders as text
        One: '42',
      },
    });
  });

  it('reports an array type that cannot be split (binary arrays) for that record only', () => {
    const tpl: XElement = { name: 'E', kids: [{ name: 'B', kids: [sub(0, 0x8e)] }] };
    const { json, problems } = renderOne(tpl, [{ type: 'raw', code: 0x8e, bytes: Buffer.from([1, 2]) }]);
    expect(json).toEqual([]);
    expect(problems).toEqual(['evtx.value-type']);
  });

  it('reports a value shorter than its type for that record only', () => {
    const tpl: XElement = { name: 'E', kids: [{ name: 'G', kids: [sub(0, 0x0f)] }] };
    const { problems } = renderOne(tpl, [{ type: 'raw', code: 0x0f, bytes: Buffer.alloc(8) }]);
    expect(problems).toEqual(['evtx.value-size']);
  });
});
