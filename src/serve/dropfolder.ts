import { mkdirSync, existsSync, readFileSync, writeFileSync, renameSync, statSync, readdirSync, openSync, readSync, closeSync, unlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DEFAULT_LIMITS, parseBatch, type IngestRecord } from '../api/index.js';
import { sniffReader, type SourceItem } from '../sources/index.js';
import { formatLocation } from '../util/index.js';

export type DropSink = (source: string, format: string, records: IngestRecord[]) => Promise<'ok' | { retryAfter: number }>;

export interface DropFolder {
  close(): Promise<void>;
  /** Scans once now (tests). */
  scan(): Promise<void>;
  stats: { files: number; events: number; problems: number };
}

/**
 * A watched drop folder: files put there (JSON, JSONL, .evtx, syslog, anything a registered
 * reader claims) are ingested and moved to done/. A file is picked up once its size and mtime are
 * stable across two scans (a writer may still be copying it). A file that cannot be read goes to
 * failed/ with the reason. While in .processing/, the number of
 * records durably stored is kept in a `.progress` file, so after a crash ingestion resumes where it
 * stopped instead of storing the first part twice. Problems go to done/<name>.problems.txt.
 */
export function startDropFolder(dir: string, sink: DropSink, opts: { intervalMs?: number; log?: (m: string) => void } = {}): DropFolder {
  const log = opts.log ?? (() => undefined);
  const processing = join(dir, '.processing');
  const done = join(dir, 'done');
  const failed = join(dir, 'failed');
  mkdirSync(processing, { recursive: true });
  mkdirSync(done, { recursive: true });
  const seen = new Map<string, string>();
  const stats = { files: 0, events: 0, problems: 0 };
  let busy: Promise<void> | undefined;
  let stopped = false;

  const ingestFile = async (path: string): Promise<void> => {
    const name = basename(path);
    const progressFile = `${path}.progress`;
    const skip = existsSync(progressFile) ? Number(readFileSync(progressFile, 'utf8')) || 0 : 0;
    const problems: string[] = [];
    let index = 0;
    let stored = skip;
    const send = async (format: string, recs: IngestRecord[]) => {
      for (;;) {
        const r = await sink(`drop:${name}`, format, recs);
        if (r === 'ok') break;
        await new Promise((res) => setTimeout(res, r.retryAfter * 1000));
      }
      stored += recs.length;
      stats.events += recs.length;
      writeFileSync(progressFile, String(stored));
    };
    const head = Buffer.alloc(4096);
    const fd = openSync(path, 'r');
    const n = readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    const reader = sniffReader(path, head.subarray(0, n));
    if (reader) {
      for await (const items of reader.read(path, { batchSize: 2000 }) as AsyncIterable<SourceItem[]>) {
        if (stopped) return;
        const recs: IngestRecord[] = [];
        let format = reader.name;
        for (const it of items) {
          if (it.kind === 'problem') {
            problems.push(`${formatLocation(it.problem.location)}: [${it.problem.code}] ${it.problem.message}`);
            continue;
          }
          if (index++ < skip) continue;
          format = it.format;
          recs.push({ data: it.data });
        }
        if (recs.length) await send(format, recs);
      }
    } else if (/\.(json|jsonl|ndjson)$/i.test(name)) {
      // No registered JSON reader claimed it: read it as a batch (array or NDJSON).
      const text = readFileSync(path, 'utf8');
      const batch = parseBatch(text, { ...DEFAULT_LIMITS, maxEventsPerBatch: Number.MAX_SAFE_INTEGER });
      if (!batch.ok) {
        for (const e of batch.errors) problems.push(`${path}: line ${e.line}${e.index !== undefined ? ` (element ${e.index})` : ''}: ${e.message}`);
        if (batch.status === 413) problems.push(batch.message);
      } else {
        const recs = batch.records.slice(skip);
        for (let i = 0; i < recs.length; i += 2000) await send('json', recs.slice(i, i + 2000));
      }
    } else {
      problems.push(`${path}: no reader recognises this file (by name and first bytes)`);
    }
    stats.files++;
    stats.problems += problems.length;
    if (problems.length) writeFileSync(join(done, `${name}.problems.txt`), problems.join('\n') + '\n');
    renameSync(path, join(done, name));
    if (existsSync(progressFile)) unlinkSync(progressFile);
    log(`drop folder: ${name}: ${stored} event(s), ${problems.length} problem(s)`);
  };

  /** A file whose reading fails is moved to failed/ with the reason, not retried forever. */
  const giveUp = (path: string, err: Error): void => {
    const name = basename(path);
    log(`drop folder: ${name}: ${err.message}`);
    try {
      mkdirSync(failed, { recursive: true });
      writeFileSync(join(failed, `${name}.problems.txt`), `${err.message}\n`);
      renameSync(path, join(failed, name));
      if (existsSync(`${path}.progress`)) renameSync(`${path}.progress`, join(failed, `${name}.progress`));
    } catch (e) {
      log(`drop folder: cannot move ${name} to failed/: ${(e as Error).message}`);
    }
  };

  const scanOnce = async (): Promise<void> => {
    // Files interrupted by a crash first (resume from .progress), then new stable files.
    for (const f of readdirSync(processing)) {
      if (f.endsWith('.progress')) continue;
      if (stopped) return;
      await ingestFile(join(processing, f)).catch((err) => giveUp(join(processing, f), err as Error));
    }
    for (const f of readdirSync(dir)) {
      if (stopped) return;
      if (f.startsWith('.') || f === 'done' || f === 'failed' || /\.(part|tmp|crdownload)$/i.test(f)) continue;
      const p = join(dir, f);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (!st.isFile()) continue;
      const sig = `${st.size}:${st.mtimeMs}`;
      if (seen.get(f) !== sig) {
        seen.set(f, sig);
        continue; // not yet stable
      }
      seen.delete(f);
      const target = join(processing, f);
      renameSync(p, target);
      await ingestFile(target).catch((err) => giveUp(target, err as Error));
    }
  };

  const scan = async () => {
    while (busy) await busy;
    busy = scanOnce().finally(() => (busy = undefined));
    await busy;
  };
  const timer = setInterval(() => {
    if (!busy) void scan();
  }, opts.intervalMs ?? 1000);
  timer.unref();
  return {
    stats,
    scan,
    async close() {
      stopped = true;
      clearInterval(timer);
      if (busy) await busy.catch(() => undefined);
    },
  };
}
