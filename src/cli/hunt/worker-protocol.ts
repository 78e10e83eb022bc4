import type { Problem } from '../../util/index.js';
import type { PortableCorrelationInput } from '../../detect/index.js';
import type { HitRecord } from './record.js';
import type { EngineInfo } from './engine.js';

/** Messages between `ward hunt` and its worker threads. */
export interface WorkerInit {
  files: string[];
  rules: string[];
  intel: string[];
  pipeline?: string[];
  placeholders: Record<string, string[]>;
  minLevel: string;
  maxLineBytes: number;
  inputFormat?: string;
}

/** Main → worker, once the main thread has read a worker's 'ready': run the files, or stop. */
export type WorkerCommand = { type: 'go' } | { type: 'stop' };

/** Worker → main: 'ready' once its engine is built, then batches (after 'go'), then 'done'. */
export type WorkerMessage =
  | { type: 'ready'; info: EngineInfo }
  | { type: 'batch'; hits: HitRecord[]; problems: Problem[]; events: number; file?: string; fileDone?: boolean }
  | { type: 'corr'; inputs: PortableCorrelationInput[] }
  | { type: 'done' }
  | { type: 'error'; message: string };
