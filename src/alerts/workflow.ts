import { LEVELS } from '../detect/index.js';
import { INCIDENT_STATUSES, type Incident, type IncidentPatch } from './types.js';

/** Checks a workflow patch from the API; returns an error message or undefined. */
export function validatePatch(p: unknown): string | undefined {
  if (!p || typeof p !== 'object' || Array.isArray(p)) return 'body must be a JSON object';
  const o = p as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['status', 'assignee', 'severity', 'note', 'title'].includes(k)) return `unknown field "${k}"`;
  if (o.status !== undefined && !INCIDENT_STATUSES.includes(o.status as never)) return `status must be one of ${INCIDENT_STATUSES.join(', ')}`;
  if (o.severity !== undefined && !LEVELS.includes(o.severity as never)) return `severity must be one of ${LEVELS.join(', ')}`;
  if (o.assignee !== undefined && o.assignee !== null && typeof o.assignee !== 'string') return 'assignee must be a string or null';
  if (o.note !== undefined && (typeof o.note !== 'string' || o.note.length === 0 || o.note.length > 10_000)) return 'note must be a non-empty string (≤ 10000 chars)';
  if (o.title !== undefined && (typeof o.title !== 'string' || o.title.length === 0 || o.title.length > 300)) return 'title must be a non-empty string (≤ 300 chars)';
  return undefined;
}

/** Applies a validated patch in place, recording who changed what in `history`. */
export function applyPatch(inc: Incident, p: IncidentPatch, actor: string, now = Date.now()): Incident {
  const log = (change: string): void => {
    inc.history.push({ time: now, actor, change });
  };
  if (p.status && p.status !== inc.status) {
    log(`status ${inc.status} → ${p.status}`);
    inc.status = p.status;
  }
  if (p.assignee !== undefined && (p.assignee ?? undefined) !== inc.assignee) {
    log(`assignee ${inc.assignee ?? '-'} → ${p.assignee ?? '-'}`);
    inc.assignee = p.assignee ?? undefined;
  }
  if (p.severity && p.severity !== inc.severity) {
    log(`severity ${inc.severity} → ${p.severity}`);
    inc.severity = p.severity;
  }
  if (p.title && p.title !== inc.title) {
    log('title changed');
    inc.title = p.title;
  }
  if (p.note) inc.notes.push({ time: now, author: actor, text: p.note });
  inc.updatedAt = now;
  return inc;
}
