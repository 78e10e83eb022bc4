/**
 * EVTX reader throughput (issue 7, acceptance 4). Input: every non-empty chunk of the .evtx files
 * under ../shared (attack samples + Sigma regression data) packed into one valid EVTX file
 * (chunks are self-contained, so this is real data), or without ../shared a generated file of
 * Sysmon-like records. Ward (single thread, then all cores over chunk ranges) is measured side by
 * side with libevtx `evtxexport` (C), python-evtx and `@ts-evtx/core` on the same bytes in the
 * same run; slow peers run on a prefix of the file and are reported as rates. Peak RSS is taken
 * from child processes, on the file and on a 4× larger copy, to show it does not grow with size.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { crc32 } from '../src/sources/evtx/crc32.js';
import { EvtxWorkerPool } from '../src/sources/evtx/index.js';
import { renderEvtxJson, walkEvtxFileSync } from '../src/sources/index.js';

const root = resolve(import.meta.dirname, '..');
const shared = resolve(root, '../shared');
const CHUNK = 65536;

function findEvtx(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) findEvtx(p, out);
    else if (e.name.endsWith('.evtx')) out.push(p);
  }
  return out;
}

function fileHeader(chunks: number): Buffer {
  const h = Buffer.alloc(4096);
  h.write('ElfFile\0', 0, 'latin1');
  h.writeBigUInt64LE(BigInt(Math.max(0, chunks - 1)), 16);
  h.writeBigUInt64LE(1n, 24);
  h.writeUInt32LE(128, 32);
  h.writeUInt16LE(1, 36);
  h.writeUInt16LE(3, 38);
  h.writeUInt16LE(4096, 40);
  h.writeUInt16LE(Math.min(chunks, 0xffff), 42);
  h.writeUInt32LE(crc32(h.subarray(0, 120)), 124);
  return h;
}

async function corpusChunks(): Promise<{ chunks: Buffer[]; source: string }> {
  const files = [...findEvtx(join(shared, 'datasets/evtx-attack-samples/evtx')), ...findEvtx(join(shared, 'sigma/regression_data'))].sort();
  const chunks: Buffer[] = [];
  for (const f of files) {
    const b = readFileSync(f);
    for (let o = 4096; o + CHUNK <= b.length; o += CHUNK) if (b.toString('latin1', o, o + 8) === 'ElfChnk\0') chunks.push(b.subarray(o, o + CHUNK));
  }
  if (chunks.length) return { chunks, source: `${files.length} .evtx files under ../shared` };
  // No ../shared: full chunks of generated Sysmon-like records (test helpers' EVTX writer).
  const { buildChunk } = await import('../test/evtx/helpers/binxml-writer.js');
  const { processTemplate, records } = await import('../test/evtx/helpers/fixtures.js');
  const values = records[0].spec.values;
  for (let c = 0; c < 200; c++) {
    const specs = [];
    for (let i = 0; i < 60; i++) specs.push({ id: c * 60 + i + 1, template: processTemplate, values });
    chunks.push(buildChunk(specs));
  }
  return { chunks, source: 'generated Sysmon-like records (../shared absent)' };
}

function writeEvtx(path: string, chunks: Buffer[], copies = 1): number {
  const fd = openSync(path, 'w');
  writeSync(fd, fileHeader(chunks.length * copies));
  for (let k = 0; k < copies; k++) for (const c of chunks) writeSync(fd, c);
  closeSync(fd);
  return statSync(path).size;
}

function have(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).error === undefined;
}

/** Wall time and peak RSS (KiB, via /usr/bin/time when present) of a command. */
function timed(cmd: string, args: string[]): { s: number; rssKb?: number; stdout: string; ok: boolean } {
  const useTime = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { maxBuffer: 1 << 30, encoding: 'utf8' })
    : spawnSync(cmd, args, { maxBuffer: 1 << 30, encoding: 'utf8' });
  const s = (performance.now() - t0) / 1000;
  const rss = useTime ? Number(r.stderr.trim().split('\n').pop()) : undefined;
  return { s, rssKb: Number.isFinite(rss) ? rss : undefined, stdout: r.stdout ?? '', ok: r.status === 0 };
}

const fmt = (n: number, d = 1) => n.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d });

export default async function evtxBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ward-evtx-bench-'));
  try {
    const { chunks, source } = await corpusChunks();
    const file = join(dir, 'corpus.evtx');
    const bytes = writeEvtx(file, chunks);
    const used = chunks.reduce((a, c) => a + Math.min(c.readUInt32LE(48), CHUNK) - 512, 0);
    const mb = bytes / 1e6;
    console.log(`input: ${source} → ${chunks.length} chunks, ${fmt(mb)} MB file (${fmt(used / 1e6)} MB of records)`);

    // Ward, one thread: parse + render every record to its evtx_dump JSON object. The first pass
    // includes JIT warm-up (what a one-shot CLI run pays); the best of the next passes is steady state.
    let records = 0;
    const times: number[] = [];
    for (let run = 0; run < 5; run++) {
      records = 0;
      const t0 = performance.now();
      walkEvtxFileSync(file, { record: (r) => void (renderEvtxJson(r), records++), problem: () => undefined });
      times.push((performance.now() - t0) / 1000);
    }
    const best = Math.min(...times.slice(1));
    const wardRate = records / best;
    console.log(
      `ward (1 thread):       ${fmt(mb / best)} MB/s of file (${fmt(used / 1e6 / best)} MB/s of record data), ${fmt(wardRate, 0)} records/s` +
        ` (${records} records, best of 4 warm passes ${fmt(best, 3)} s; first pass ${fmt(mb / times[0])} MB/s)`,
    );

    // Ward, all cores: chunk ranges of the same file spread over warmed-up worker threads.
    const threads = availableParallelism();
    const per = Math.max(1, Math.ceil(chunks.length / (threads * 8)));
    const ranges = [];
    for (let c = 0; c < chunks.length; c += per) ranges.push({ file, chunkFrom: c, chunkTo: Math.min(chunks.length, c + per) });
    const pool = new EvtxWorkerPool(threads);
    let pbest = Infinity;
    let precords = 0;
    try {
      for (let run = 0; run < 3; run++) {
        const t1 = performance.now();
        precords = (await pool.run(ranges, { format: 'render' })).records;
        if (run > 0) pbest = Math.min(pbest, (performance.now() - t1) / 1000);
      }
    } finally {
      await pool.close();
    }
    console.log(`ward (${threads} threads):     ${fmt(mb / pbest)} MB/s, ${fmt(precords / pbest, 0)} records/s (chunk ranges on warmed workers, ×${fmt(best / pbest, 2)} vs 1 thread)`);

    // Peak RSS of a Ward child process on the file and on a 4× copy (constant memory per file).
    const big = join(dir, 'corpus4x.evtx');
    const bigBytes = writeEvtx(big, chunks, 4);
    const script = `import { walkEvtxFileSync, renderEvtxJson } from ${JSON.stringify(join(root, 'src/sources/index.ts'))};
      let n = 0; walkEvtxFileSync(process.argv[1], { record: (r) => { renderEvtxJson(r); n++; }, problem() {} });
      console.log(n, Math.round(process.resourceUsage().maxRSS / 1024));`;
    const rssOf = (f: string) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, f], { encoding: 'utf8', cwd: root });
      return Number(r.stdout.trim().split(/\s+/)[1]);
    };
    const rss1 = rssOf(file);
    const rss4 = rssOf(big);
    console.log(`ward peak RSS:         ${rss1} MB on ${fmt(mb)} MB, ${rss4} MB on ${fmt(bigBytes / 1e6)} MB (child process incl. Node + tsx)`);
    rmSync(big);

    // Peers on the same bytes.
    if (have('evtxexport', ['-V'])) {
      const r = timed('evtxexport', [file]);
      const n = (r.stdout.match(/^Event number/gm) ?? []).length;
      console.log(
        `evtxexport (C):       ${fmt(mb / r.s)} MB/s, ${fmt(n / r.s, 0)} records/s (${n} records, ${fmt(r.s, 2)} s, peak RSS ${r.rssKb ? Math.round(r.rssKb / 1024) : '?'} MB)` +
          ` → ward is ${fmt(wardRate / (n / r.s), 1)}× faster single-threaded`,
      );
    } else console.log('evtxexport: skipped (apt package libevtx-utils not installed)');

    // Slow peers: a prefix of the file keeps the run short; their rates are compared.
    const prefixChunks = chunks.slice(0, Math.min(chunks.length, 40));
    const prefix = join(dir, 'prefix.evtx');
    const prefixMb = writeEvtx(prefix, prefixChunks) / 1e6;
    let prefixRecords = 0;
    walkEvtxFileSync(prefix, { record: () => void prefixRecords++, problem: () => undefined });

    const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
    if (spawnSync(python, ['-c', 'import Evtx.Evtx'], { stdio: 'ignore' }).status === 0) {
      const py = 'import sys, Evtx.Evtx as E\nn=0\nwith E.Evtx(sys.argv[1]) as f:\n  for r in f.records():\n    r.xml(); n+=1\nprint(n)';
      const r = timed(python, ['-c', py, prefix]);
      const n = Number(r.stdout.trim()) || 0;
      console.log(`python-evtx:          ${fmt(prefixMb / r.s, 2)} MB/s, ${fmt(n / r.s, 0)} records/s (first ${prefixChunks.length} chunks, ${n}/${prefixRecords} records) → ward is ${fmt(wardRate / (n / r.s), 0)}× faster`);
    } else console.log('python-evtx: skipped (apt package python3-evtx not installed)');

    try {
      // A variable specifier: the peer is an optional devDependency, absent from some checkouts.
      const peer = '@ts-evtx/core';
      const ts = (await import(peer)) as unknown as { EvtxFile: { openSync(p: string): { records(): Iterable<{ renderXml(): string }> } } };
      const t0 = performance.now();
      let n = 0;
      let failed = 0;
      const f = ts.EvtxFile.openSync(prefix);
      const it = f.records()[Symbol.iterator]();
      for (;;) {
        let step;
        try {
          step = it.next();
        } catch {
          failed++;
          break;
        }
        if (step.done) break;
        try {
          step.value.renderXml();
          n++;
        } catch {
          failed++;
        }
      }
      const s = (performance.now() - t0) / 1000;
      console.log(`@ts-evtx/core 1.1.1:  ${fmt(prefixMb / s, 2)} MB/s, ${fmt(n / s, 0)} records/s (first ${prefixChunks.length} chunks, ${n}/${prefixRecords} records${failed ? `, ${failed} errors` : ''}) → ward is ${fmt(wardRate / (n / s), 0)}× faster`);
    } catch (err) {
      console.log(`@ts-evtx/core: skipped (${(err as Error).message.split('\n')[0]})`);
    }
    console.log('reference: the Rust evtx crate, 31 MB Security log to JSON on one arm64 thread: ≈ 114 MB/s (issue 7)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
