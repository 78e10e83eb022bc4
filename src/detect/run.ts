import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Problem } from '../util/index.js';
import { sniffReader, getReader, type SourceReader, type LineScreen } from '../sources/index.js';
import { normalize, type WardEvent } from '../normalize/index.js';
import type { Detection, Detector } from './types.js';
import { ScreenGovernor, workMark, workSince } from './screen.js';

/**
 * The offline pipeline shared by `ward hunt`, the eval scripts and the serve drop folder:
 * files → readers (sniffed) → normalize → every detector → detections. Streams: memory is bounded
 * by the readers' batch size, not by the input size.
 */
export interface RunOptions {
  /** force a reader by name instead of sniffing */
  format?: string;
  maxLineBytes?: number;
  signal?: AbortSignal;
  /** called with each event after detection (e.g. to keep events for a timeline); disables the prescreen */
  onEvent?: (ev: WardEvent) => void;
  /** false: parse every line even when the detectors could prescreen them (conformance, tests) */
  screen?: boolean;
}

export interface RunUpdate {
  detections: Detection[];
  problems: Problem[];
  events: number;
  /** of `events`, how many the detectors' raw screen ruled out without parsing them */
  screened?: number;
  file?: string;
  /** bytes of the current file read so far, for progress display (approximate) */
  fileDone?: boolean;
}

/** Documentation and rule files met while walking a folder are not logs (named explicitly, they are read). */
const SKIP = /(^|\/)(README|LICENSE|CHANGELOG)[^/]*$|\.(md|ya?ml|png|jpe?g|svg|html?)$/i;

export async function expandPaths(paths: string[]): Promise<{ files: string[]; problems: Problem[] }> {
  const files: string[] = [];
  const problems: Problem[] = [];
  const walk = async (p: string): Promise<void> => {
    let st;
    try {
      st = await stat(p);
    } catch {
      problems.push({ code: 'input.missing', message: 'no such file or folder', location: { file: p } });
      return;
    }
    if (st.isDirectory()) {
      const entries = (await readdir(p)).sort();
      for (const e of entries) if (!e.startsWith('.')) await walk(join(p, e));
    } else if (st.isFile() && !(SKIP.test(p) && !paths.includes(p))) files.push(p);
  };
  for (const p of paths) await walk(p);
  return { files, problems };
}

export async function pickReader(file: string, format?: string): Promise<SourceReader | undefined> {
  if (format) return getReader(format);
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(head, 0, 4096, 0);
    return sniffReader(file, head.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

/** Reads one file through the detectors. */
export async function* runFile(file: string, detectors: Detector[], opts: RunOptions = {}): AsyncGenerator<RunUpdate> {
  let reader: SourceReader | undefined;
  try {
    reader = await pickReader(file, opts.format);
  } catch (err) {
    yield { detections: [], problems: [{ code: 'input.io', message: (err as Error).message, location: { file } }], events: 0, file };
    return;
  }
  if (!reader) {
    yield { detections: [], problems: [{ code: 'input.format', message: opts.format ? `unknown format '${opts.format}'` : 'unrecognised file format; skipped', location: { file } }], events: 0, file };
    return;
  }
  const screen = lineScreen(detectors, opts);
  const governor = screen ? governorOf(detectors) : undefined;
  let screened = 0;
  let sampleLines = 0;
  let sampleMs = 0;
  let sampleRejected = 0;
  try {
    const batches = reader.read(file, { maxLineBytes: opts.maxLineBytes, signal: opts.signal, screen })[Symbol.asyncIterator]();
    for (;;) {
      // Work per batch (reading, screening or parsing, matching) is timed for the governor; the
      // time the caller spends on what is yielded is not.
      const t0 = governor ? workMark() : undefined;
      const next = await batches.next();
      if (next.done) break;
      const batch = next.value;
      const detections: Detection[] = [];
      const problems: Problem[] = [];
      let events = 0;
      let skipped = 0;
      if (screen) {
        skipped = screen.screened - screened;
        events += skipped;
        screened = screen.screened;
      }
      for (const item of batch) {
        if (item.kind === 'problem') {
          problems.push(item.problem);
          continue;
        }
        let ev: WardEvent;
        try {
          ev = normalize(item.data, item.loc, item.format);
        } catch (err) {
          problems.push({ code: 'normalize', message: (err as Error).message, location: item.loc });
          continue;
        }
        events++;
        const hints = screen && detectors.length > 1 ? (item.hint as unknown[] | undefined) : undefined;
        for (let k = 0; k < detectors.length; k++) {
          let r: Detection[];
          try {
            r = detectors[k].process(ev, hints ? hints[k] : item.hint);
          } catch (err) {
            // One event a detector cannot handle is a problem of that event, not of the file: the
            // lines after it are still read (a hostile line must not blind the rest of a log).
            problems.push({ code: 'detect', message: `${detectors[k].name}: ${(err as Error).message}`, location: item.loc });
            continue;
          }
          for (let i = 0; i < r.length; i++) detections.push(r[i]);
        }
        opts.onEvent?.(ev);
      }
      if (governor) {
        // Readers hand over small batches (a few dozen parsed lines, plus the lines screened out
        // before them); the governor's samples are sums over ~1,000 lines, so that each is a mix
        // like the data's rather than a run of only kept or only screened lines.
        sampleLines += events + problems.length;
        sampleMs += workSince(t0!);
        sampleRejected += skipped;
        if (sampleLines >= GOVERNOR_SAMPLE_LINES) {
          governor.cheap = detectors.every((d) => d.screenIsCheap?.() === true);
          governor.record(sampleLines, sampleMs, sampleRejected);
          sampleLines = 0;
          sampleMs = 0;
          sampleRejected = 0;
        }
      }
      yield { detections, problems, events, screened: skipped, file };
    }
  } catch (err) {
    yield { detections: [], problems: [{ code: 'input.io', message: (err as Error).message, location: { file } }], events: 0, file };
  }
  const tail = screen ? screen.screened - screened : 0;
  yield { detections: [], problems: [], events: tail, screened: tail, file, fileDone: true };
}

const GOVERNOR_SAMPLE_LINES = 1024;

/** One governor per set of detectors (keyed by the first), so its measurements span files. */
const governors = new WeakMap<Detector, ScreenGovernor>();
function governorOf(detectors: Detector[]): ScreenGovernor {
  let g = governors.get(detectors[0]);
  if (!g) governors.set(detectors[0], (g = new ScreenGovernor()));
  return g;
}

/**
 * The detectors' combined prescreen, when every one of them has one and no caller wants every
 * event; it answers "cannot judge" (true: parse the line) while the governor has it off.
 */
function lineScreen(detectors: Detector[], opts: RunOptions): LineScreen | undefined {
  if (opts.onEvent || opts.screen === false || detectors.length === 0 || !detectors.every((d) => d.screen)) return undefined;
  const governor = governorOf(detectors);
  if (detectors.length === 1) {
    const d = detectors[0];
    return { screened: 0, test: (buf, start, end) => (governor.on ? d.screen!(buf, start, end) : true) };
  }
  return {
    screened: 0,
    test(buf, start, end) {
      if (!governor.on) return true;
      const hints = detectors.map((d) => d.screen!(buf, start, end));
      return hints.every((h) => h === false) ? false : hints;
    },
  };
}

/** Reads every file under `paths`, then flushes the detectors (correlation windows, baselines). */
export async function* runPaths(paths: string[], detectors: Detector[], opts: RunOptions = {}): AsyncGenerator<RunUpdate> {
  const { files, problems } = await expandPaths(paths);
  if (problems.length) yield { detections: [], problems, events: 0 };
  for (const f of files) yield* runFile(f, detectors, opts);
  const tail: Detection[] = [];
  for (const d of detectors) tail.push(...d.flush());
  if (tail.length) yield { detections: tail, problems: [], events: 0 };
}
