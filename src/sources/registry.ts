import type { SourceReader } from './types.js';

/** Readers keyed by name; order matters for sniffing (first claim wins). */
const readers: SourceReader[] = [];

export function registerReader(reader: SourceReader): void {
  const existing = readers.findIndex((r) => r.name === reader.name);
  if (existing >= 0) readers[existing] = reader;
  else readers.push(reader);
}

export function getReader(name: string): SourceReader | undefined {
  return readers.find((r) => r.name === name);
}

export function listReaders(): readonly SourceReader[] {
  return readers;
}

export function sniffReader(path: string, head: Buffer): SourceReader | undefined {
  return readers.find((r) => !r.generic && r.sniff(path, head)) ?? readers.find((r) => r.generic && r.sniff(path, head));
}
