import type { Location } from '../util/index.js';
import type { WardEvent } from './event.js';

/**
 * A layout turns one source record into a WardEvent. Layouts are tried in registration order
 * (most specific first); the last one registered by this package, `flat`, accepts anything.
 * Health sources (FHIR AuditEvent, ATNA, HL7, EHR logs) register their own layouts here.
 */
export interface Layout {
  readonly name: string;
  /** Cheap test on the record's shape. `format` is the reader's hint (e.g. 'fhir-audit'). */
  accepts(record: Record<string, unknown>, format: string): boolean;
  normalize(record: Record<string, unknown>, loc: Location): WardEvent;
}

const layouts: Layout[] = [];

export function registerLayout(layout: Layout, opts: { before?: string } = {}): void {
  const existing = layouts.findIndex((l) => l.name === layout.name);
  if (existing >= 0) layouts.splice(existing, 1);
  const at = opts.before ? layouts.findIndex((l) => l.name === opts.before) : -1;
  if (at >= 0) layouts.splice(at, 0, layout);
  else layouts.push(layout);
}

export function listLayouts(): readonly Layout[] {
  return layouts;
}

export function getLayout(name: string): Layout | undefined {
  return layouts.find((l) => l.name === name);
}
