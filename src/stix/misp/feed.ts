import { appendAll } from '../../util/index.js';
import { mispEventToStix, type MispImportReport } from './import.js';
import type { StixObject } from '../objects/types.js';

/**
 * MISP feeds (the MISP "feed" export format): a folder with manifest.json (event uuid → event
 * summary), hashes.csv (one `md5(value),event uuid` line per attribute) and one <uuid>.json per
 * event. The I/O belongs to the caller; this checks consistency and converts.
 */
export interface MispFeedInput {
  manifest: unknown;
  /** event uuid → parsed <uuid>.json (missing entries are reported). */
  events: Map<string, unknown>;
  hashesCsv?: string;
}

export interface MispFeedProblem {
  uuid?: string;
  line?: number;
  code: string;
  message: string;
}

export interface MispFeedResult {
  objects: StixObject[];
  reports: MispImportReport[];
  problems: MispFeedProblem[];
  /** events named by hashes.csv, with the number of attribute hashes listed for each. */
  hashCounts: Map<string, number>;
}

export function parseMispHashesCsv(text: string): { entries: { hash: string; uuid: string }[]; problems: MispFeedProblem[] } {
  const entries: { hash: string; uuid: string }[] = [];
  const problems: MispFeedProblem[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const [hash, uuid, ...rest] = line.split(',');
    if (!/^[0-9a-f]{32}$/i.test(hash ?? '') || !uuid || rest.length) problems.push({ line: i + 1, code: 'bad-hash-line', message: `expected "md5,event-uuid", got ${JSON.stringify(line.slice(0, 80))}` });
    else entries.push({ hash: hash.toLowerCase(), uuid: uuid.trim() });
  });
  return { entries, problems };
}

export function mispFeedToStix(feed: MispFeedInput): MispFeedResult {
  const problems: MispFeedProblem[] = [];
  const objects: StixObject[] = [];
  const reports: MispImportReport[] = [];
  const hashCounts = new Map<string, number>();
  if (!feed.manifest || typeof feed.manifest !== 'object' || Array.isArray(feed.manifest)) {
    problems.push({ code: 'bad-manifest', message: 'manifest.json must map event uuids to event summaries' });
    return { objects, reports, problems, hashCounts };
  }
  if (feed.hashesCsv !== undefined) {
    const h = parseMispHashesCsv(feed.hashesCsv);
    appendAll(problems, h.problems);
    for (const e of h.entries) hashCounts.set(e.uuid, (hashCounts.get(e.uuid) ?? 0) + 1);
  }
  for (const uuid of Object.keys(feed.manifest as object)) {
    const doc = feed.events.get(uuid);
    if (doc === undefined) {
      problems.push({ uuid, code: 'missing-event', message: `manifest lists ${uuid} but ${uuid}.json is missing` });
      continue;
    }
    try {
      const r = mispEventToStix(doc);
      if (r.report.event !== uuid) problems.push({ uuid, code: 'uuid-mismatch', message: `${uuid}.json holds event ${r.report.event}` });
      appendAll(objects, r.objects);
      reports.push(r.report);
    } catch (e) {
      problems.push({ uuid, code: 'bad-event', message: (e as Error).message });
    }
  }
  for (const uuid of hashCounts.keys()) {
    if (!(uuid in (feed.manifest as object))) problems.push({ uuid, code: 'unknown-event', message: `hashes.csv names ${uuid}, which manifest.json does not list` });
  }
  return { objects, reports, problems, hashCounts };
}
