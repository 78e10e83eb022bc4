import type { Problem } from '../../util/index.js';
import type { PortableCorrelationInput } from '../../detect/index.js';
import type { HitRecord } from './record.js';

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

export type WorkerMessage =
  | { type: 'batch'; hits: HitRecord[]; problems: Problem[]; events: number; file?: string; fileDone?: boolean }
  | { type: 'corr'; inputs: PortableCorrelationInput[] }
  | { type: 'done' }
  | { type: 'error'; message: string };
