/**
 * One error class per area, each with a stable `code` and a location, in the spirit of pySigma's
 * SigmaError. Bad input is usually reported as data (see `Problem`), not thrown: a broken line or
 * record must not end the processing of the file it is in.
 */
export interface Location {
  file?: string;
  /** 1-based line number (text input). */
  line?: number;
  /** 1-based column. */
  column?: number;
  /** byte offset from the start of the file (binary input). */
  offset?: number;
  /** record identifier, e.g. EVTX EventRecordID. */
  record?: number;
}

export function formatLocation(loc: Location | undefined): string {
  if (!loc) return '';
  const parts: string[] = [];
  if (loc.file) parts.push(loc.file);
  if (loc.line !== undefined) parts.push(`line ${loc.line}${loc.column !== undefined ? `:${loc.column}` : ''}`);
  if (loc.record !== undefined) parts.push(`record ${loc.record}`);
  if (loc.offset !== undefined) parts.push(`offset ${loc.offset} (0x${loc.offset.toString(16)})`);
  return parts.join(', ');
}

export class WardError extends Error {
  readonly code: string;
  readonly location?: Location;
  constructor(code: string, message: string, location?: Location, options?: { cause?: unknown }) {
    const where = formatLocation(location);
    super(where ? `${where}: ${message}` : message, options);
    this.name = 'WardError';
    this.code = code;
    this.location = location;
  }
}

/** A non-fatal problem found while reading input: reported, counted, and processing goes on. */
export interface Problem {
  code: string;
  message: string;
  location: Location;
}

export function problemToString(p: Problem): string {
  const where = formatLocation(p.location);
  return `${where ? where + ': ' : ''}[${p.code}] ${p.message}`;
}
