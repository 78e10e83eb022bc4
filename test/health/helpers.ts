import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sniffReader, type SourceItem, type SourceReader } from '../../src/sources/index.js';
import { normalize, type WardEvent } from '../../src/normalize/index.js';
import type { Problem } from '../../src/util/index.js';

export const FIX = join(import.meta.dirname, '..', 'fixtures', 'health');

export async function readAll(reader: SourceReader, path: string): Promise<{ records: Extract<SourceItem, { kind: 'record' }>[]; problems: Problem[] }> {
  const records: Extract<SourceItem, { kind: 'record' }>[] = [];
  const problems: Problem[] = [];
  for await (const batch of reader.read(path)) {
    for (const it of batch) {
      if (it.kind === 'record') records.push(it);
      else problems.push(it.problem);
    }
  }
  return { records, problems };
}

export async function events(reader: SourceReader, path: string): Promise<{ events: WardEvent[]; problems: Problem[] }> {
  const { records, problems } = await readAll(reader, path);
  return { events: records.map((r) => normalize(r.data, r.loc, r.format)), problems };
}

export function sniff(path: string): string | undefined {
  return sniffReader(path, readFileSync(path).subarray(0, 4096))?.name;
}
