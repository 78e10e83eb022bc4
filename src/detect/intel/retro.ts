import type { StixObject } from '../../stix/index.js';
import type { WardEvent } from '../../normalize/index.js';
import type { Detection } from '../types.js';
import { createIntelDetector, type IntelOptions } from './detector.js';

/**
 * Retro-hunt (issue 3): runs newly received indicators over events already read. Expired
 * indicators still apply to events from before their valid_until, so old logs are judged by what
 * was known to be bad at the time they were written.
 */
export function* retroHunt(indicators: Iterable<StixObject>, events: Iterable<WardEvent>, opts: IntelOptions = {}): Generator<Detection> {
  const det = createIntelDetector(indicators, opts);
  if (det.stats().indicators === 0) return;
  for (const e of events) yield* det.process(e);
  yield* det.flush();
}

export async function* retroHuntAsync(indicators: Iterable<StixObject>, events: AsyncIterable<WardEvent> | Iterable<WardEvent>, opts: IntelOptions = {}): AsyncGenerator<Detection> {
  const det = createIntelDetector(indicators, opts);
  if (det.stats().indicators === 0) return;
  for await (const e of events) yield* det.process(e);
  yield* det.flush();
}
