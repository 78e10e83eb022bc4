import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/util/index.js';
import { dumpEvtx, splitEvtxInputs } from '../../src/sources/index.js';
import { buildSampleFile, expected } from './helpers/fixtures.js';
import { tempDir } from '../support/tmp.js';

const dir = tempDir('ward-evtx-dump-');
const good = join(dir, 'good.evtx');
const damaged = join(dir, 'damaged.evtx');
writeFileSync(good, buildSampleFile());
const bad = buildSampleFile();
bad.write('XXXXXXX\0', 4096, 'latin1');
writeFileSync(damaged, bad);

async function dump(inputs: Parameters<typeof dumpEvtx>[0], threads: number, format: 'jsonl' | 'xml' = 'jsonl') {
  let out = '';
  const problems: Problem[] = [];
  const totals = await dumpEvtx(inputs, { format, threads, write: (t) => void (out += t), problem: (p) => void problems.push(p) });
  return { out, problems, totals };
}

describe('dumpEvtx', () => {
  it('writes one JSON line per record in evtx_dump shape', async () => {
    const r = await dump([good], 1);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([101, 102, 103, 104, 105].map((id) => expected[id]));
    expect(r.totals).toEqual({ records: 5, badRecords: 0, problems: 0 });
  });

  it('gives the same output, in file order, on worker threads', async () => {
    const seq = await dump([good, damaged, good], 1);
    const par = await dump([good, damaged, good], 2);
    expect(par.out).toBe(seq.out);
    expect(par.totals).toEqual({ records: 12, badRecords: 0, problems: 1 });
    expect(par.problems[0]).toMatchObject({ code: 'evtx.chunk-magic', location: { file: damaged, offset: 4096 } });
  });

  it('splits big files into chunk ranges with the same output and one report of file-level damage', async () => {
    const buf = buildSampleFile();
    buf.writeUInt32LE((buf.readUInt32LE(124) ^ 1) >>> 0, 124); // file header checksum
    const file = join(dir, 'split.evtx');
    writeFileSync(file, buf);
    const ranges = splitEvtxInputs([file, good], 1);
    expect(ranges).toEqual([
      { file, chunkFrom: 0, chunkTo: 1 },
      { file, chunkFrom: 1, chunkTo: 2 },
      { file: good, chunkFrom: 0, chunkTo: 1 },
      { file: good, chunkFrom: 1, chunkTo: 2 },
    ]);
    expect(splitEvtxInputs([good])).toEqual([good]);
    const whole = await dump([file, good], 1);
    const split = await dump(ranges, 2);
    expect(split.out).toBe(whole.out);
    expect(split.problems.map((p) => p.code)).toEqual(['evtx.file-header-checksum']);
    expect(split.totals.records).toBe(10);
  });

  it('renders XML', async () => {
    const r = await dump([good], 2, 'xml');
    expect(r.out.match(/<EventRecordID>/g)).toHaveLength(5);
  });
});

describe('ward evtx dump (CLI)', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'evtx', 'dump', ...args], { encoding: 'utf8' });

  it('prints JSON lines and exits 0', { timeout: 60_000 }, () => {
    const r = run(good, '--threads', '1');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(5);
  });

  it('reports damage on stderr with the byte offset and exits 1', { timeout: 60_000 }, () => {
    const r = run(damaged);
    expect(r.status).toBe(1);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
    expect(r.stderr).toContain('offset 4096 (0x1000)');
    expect(r.stderr).toContain('[evtx.chunk-magic]');
  });
});
