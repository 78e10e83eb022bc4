/**
 * Where incremental pulls resume: the last X-TAXII-Date-Added-Last seen per (API root,
 * collection), in <data>/taxii-pull-state.json. Written atomically (temp file + rename) and only
 * after a pull's objects were saved, so a crash repeats a page rather than skipping one.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WardError } from '../util/index.js';

export const STATE_FILE = 'taxii-pull-state.json';

export class PullState {
  private readonly file: string;
  private data: Record<string, string> = {};

  constructor(private readonly dataDir: string) {
    this.file = join(dataDir, STATE_FILE);
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return; // first pull
    }
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') this.data[k] = v;
      }
    } catch (e) {
      throw new WardError('taxii-state', `cannot read the pull state: ${(e as Error).message}`, { file: this.file });
    }
  }

  static key(apiRoot: string, collection: string): string {
    return `${apiRoot}|${collection}`;
  }

  get(apiRoot: string, collection: string): string | undefined {
    return this.data[PullState.key(apiRoot, collection)];
  }

  set(apiRoot: string, collection: string, dateAdded: string): void {
    this.data[PullState.key(apiRoot, collection)] = dateAdded;
    mkdirSync(this.dataDir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data, null, 2) + '\n');
    renameSync(tmp, this.file);
  }
}
