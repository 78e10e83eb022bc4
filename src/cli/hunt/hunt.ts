import { createWriteStream, statSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { Writable } from 'node:stream';
import pc from 'picocolors';
import { moduleWorker, problemToString, type Problem } from '../../util/index.js';
import { CorrelationEngine, detectionsToSightings, expandPaths, type Detection } from '../../detect/index.js';
import { buildEngine, atLeast, engineInfo, runFile, type EngineInfo } from './engine.js';
import { toRecord, type HitRecord } from './record.js';
import { Summary, renderSummary } from './summary.js';
import { formats, type HitWriter } from './formats.js';
import type { HuntOptions } from './options.js';
import type { WorkerCommand, WorkerInit, WorkerMessage } from './worker-protocol.js';
import { Progress } from './progress.js';

const MAX_PROBLEMS_SHOWN = 50;

/**
 * `ward hunt`: rules and inputs in, hits and a summary out. Single-threaded it runs the engine
 * here; with --threads N it spreads files over N workers, each with its own engine (this thread
 * builds none: the first worker ready describes the rules), and runs correlations here so
 * windows span files. Returns the process exit code.
 */
export async function hunt(paths: string[], o: HuntOptions): Promise<number> {
  const started = performance.now();
  const { files, problems: pathProblems } = await expandPaths(paths);
  // Access analytics learn care relationships across all files, so they need one process.
  const threads = o.analytics ? 1 : Math.min(o.threads, files.length);
  const run = threads > 1 ? startWorkers(files, threads, o) : undefined;
  const engine = run ? undefined : buildEngine(o);
  const info = engine ? engineInfo(engine) : await run!.ready;
  if (!announceRules(info)) {
    run?.stop();
    return 2;
  }

  let problemCount = 0;
  const report = (ps: Problem[]) => {
    for (const p of ps) {
      if (problemCount++ < MAX_PROBLEMS_SHOWN) process.stderr.write(pc.yellow('warning: ') + problemToString(p) + '\n');
      else if (problemCount === MAX_PROBLEMS_SHOWN + 1) process.stderr.write(pc.yellow('warning: further input problems are counted, not shown\n'));
    }
  };
  report(pathProblems);
  if (files.length === 0) {
    process.stderr.write('ward hunt: no input files\n');
    return 2;
  }

  const out: Writable = o.output ? createWriteStream(o.output) : process.stdout;
  const fmt = o.format === 'summary' ? (o.output ? 'jsonl' : undefined) : o.format;
  const writer: HitWriter | undefined = fmt ? formats[fmt].create(out, { color: o.color && !o.output }) : undefined;
  const summary = new Summary();
  const keep = atLeast(o.minLevel);
  const intelHits: HitRecord[] = [];
  const emit = (h: HitRecord) => {
    summary.add(h);
    writer?.write(h);
    if (o.sightings && h.kind === 'intel') intelHits.push(h);
  };
  const emitDetections = (ds: Detection[]) => {
    for (const d of ds) if (keep(d.rule.level)) emit(toRecord(d));
  };

  const progress = new Progress(o.progress, files.length);
  let events = 0;
  let filesRead = 0;
  let readable = 0;

  if (engine) {
    for (const f of files) {
      let fileEvents = 0;
      for await (const u of runFile(f, engine.detectors, { maxLineBytes: o.maxLineBytes, format: o.inputFormat })) {
        events += u.events;
        fileEvents += u.events;
        emitDetections(u.detections);
        writer?.flush();
        report(u.problems);
        if (u.fileDone) filesRead++;
        progress.update(filesRead, events);
      }
      if (fileEvents > 0) readable++;
    }
    for (const d of engine.detectors) emitDetections(d.flush());
  } else {
    const corr = new CorrelationEngine(info.correlations);
    const fileEvents = new Map<string, number>();
    await run!.go((m) => {
      if (m.type === 'batch') {
        events += m.events;
        if (m.file) fileEvents.set(m.file, (fileEvents.get(m.file) ?? 0) + m.events);
        for (const h of m.hits) emit(h);
        writer?.flush();
        report(m.problems);
        if (m.fileDone) filesRead++;
        progress.update(filesRead, events);
      } else if (m.type === 'corr') {
        for (const i of m.inputs) emitDetections(corr.feed({ refs: i.refs, t: i.t, loc: i.loc, host: i.host, get: (f) => i.values[f] }));
      }
    });
    readable = [...fileEvents.values()].filter((n) => n > 0).length;
  }
  progress.done();
  writer?.end();
  if (o.sightings) writeSightings(o.sightings, intelHits);
  if (o.output) await new Promise<void>((r) => (out as ReturnType<typeof createWriteStream>).end(r));

  const seconds = (performance.now() - started) / 1000;
  if (!o.quiet && (o.format === 'summary' || o.output)) {
    process.stderr.write('');
    const text = renderSummary(summary, { events, files: files.length, seconds, problems: problemCount, rules: info.rules, indicators: info.indicators, loadSeconds: info.loadMs / 1000 });
    (o.format === 'summary' && !o.output ? process.stdout : process.stderr).write((o.color ? text : stripAnsi(text)) + '\n');
    if (o.output) process.stderr.write(`hits written to ${o.output}\n`);
  } else if (!o.quiet) {
    process.stderr.write(`${summary.total} hit(s), ${events} events, ${files.length} file(s), ${seconds.toFixed(1)} s${problemCount ? `, ${problemCount} input problem(s)` : ''}\n`);
  }
  if (readable === 0 && events === 0 && problemCount > 0) return 2;
  return summary.total > 0 ? 1 : 0;
}

/** Prints the rules that cannot run and intel problems; false when nothing can run at all. */
function announceRules(info: EngineInfo): boolean {
  const ruleErrors = info.problems.filter((p) => p.severity === 'error');
  if (ruleErrors.length) {
    process.stderr.write(pc.yellow(`${ruleErrors.length} rule(s) cannot run (see \`ward rules check\`):\n`));
    for (const p of ruleErrors.slice(0, 10)) process.stderr.write(`  ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}\n`);
  }
  for (const p of info.intelProblems) process.stderr.write(pc.yellow('warning: ') + problemToString(p) + '\n');
  if (info.rules === 0 && info.indicators === 0) {
    process.stderr.write('ward hunt: no runnable rules\n');
    return false;
  }
  return true;
}

/**
 * Workers over shares of the files, started at once so that they load their rules while nothing
 * else waits. `ready`: the first worker's description of its engine. `go(onMessage)`: lets them
 * run and settles when all are done (or one fails). `stop()`: ends them unrun.
 */
function startWorkers(files: string[], threads: number, o: HuntOptions) {
  const workers = splitBySize(files, threads).map((share) =>
    spawnWorker({ files: share, rules: o.rules, intel: o.intel, pipeline: o.pipeline, placeholders: o.placeholders, minLevel: o.minLevel, maxLineBytes: o.maxLineBytes, inputFormat: o.inputFormat }),
  );
  let onMessage: ((m: WorkerMessage) => void) | undefined;
  let fail: (err: Error) => void = () => undefined;
  let settled = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  finished.catch(() => undefined); // observed through go(); a failure before go() surfaces in `ready`
  const ready = new Promise<EngineInfo>((resolve, reject) => {
    let failedBeforeReady = 0;
    for (const w of workers) {
      let done = false;
      const end = () => {
        if (done) return;
        done = true;
        if (++settled === workers.length) finish();
      };
      w.on('message', (m: WorkerMessage) => {
        if (m.type === 'ready') resolve(m.info);
        else if (m.type === 'error') {
          const err = new Error(`worker failed: ${m.message}`);
          fail(err);
          if (++failedBeforeReady === workers.length) reject(err);
        } else if (m.type === 'done') end();
        else onMessage?.(m);
      });
      w.on('error', (err) => {
        fail(err);
        if (++failedBeforeReady === workers.length) reject(err);
      });
      w.on('exit', (code) => (code === 0 ? end() : fail(new Error(`worker exited with code ${code}`))));
    }
  });
  return {
    ready,
    go(handler: (m: WorkerMessage) => void): Promise<void> {
      onMessage = handler;
      for (const w of workers) w.postMessage({ type: 'go' } satisfies WorkerCommand);
      return finished;
    },
    stop(): void {
      for (const w of workers) void w.terminate();
    },
  };
}

/** STIX 2.1 sightings (§5.2) for the indicators that matched, one per indicator. */
function writeSightings(file: string, hits: HitRecord[]): void {
  const detections: Detection[] = hits.map((h) => ({
    kind: 'intel',
    rule: { id: h.rule.id, title: h.rule.title, level: h.rule.level as Detection['rule']['level'], tags: h.rule.tags },
    timestamp: h.timestamp ? Date.parse(h.timestamp) : undefined,
    host: h.host ?? undefined,
    loc: h.source,
    fields: h.fields,
  }));
  const sightings = detectionsToSightings(detections);
  writeFileSync(file, JSON.stringify({ type: 'bundle', id: `bundle--${randomUUID()}`, objects: sightings }, null, 2) + '\n');
  process.stderr.write(`${sightings.length} STIX sighting(s) written to ${file}\n`);
}

function stripAnsi(s: string): string {
  return s.replace(/\x1b\[[0-9;]*m/g, '');
}

/** Greedy split by file size so workers finish together. */
function splitBySize(files: string[], n: number): string[][] {
  const sized = files.map((f) => ({ f, s: safeSize(f) })).sort((a, b) => b.s - a.s);
  const bins = Array.from({ length: n }, () => ({ total: 0, files: [] as string[] }));
  for (const x of sized) {
    const b = bins.reduce((a, c) => (c.total < a.total ? c : a));
    b.files.push(x.f);
    b.total += x.s;
  }
  return bins.map((b) => b.files).filter((b) => b.length);
}

function safeSize(f: string): number {
  try {
    return statSync(f).size;
  } catch {
    return 0;
  }
}

function spawnWorker(init: WorkerInit): Worker {
  return moduleWorker(import.meta.url, './worker', { workerData: init });
}
