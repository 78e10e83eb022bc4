import type { Alert, Incident } from '../../alerts/index.js';

/** The text an alert is found by in full-text search (lower-cased). */
export function alertSearchText(a: Alert): string {
  const vals: string[] = [a.ruleTitle, a.ruleId, a.host ?? '', a.user ?? '', a.level, ...a.tags, ...a.tactics, ...a.techniques];
  for (const [k, v] of Object.entries(a.fields)) {
    if (v === null || v === undefined) continue;
    vals.push(`${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  }
  if (a.explanation) vals.push(a.explanation);
  return vals.join(' ').toLowerCase().slice(0, 8000);
}

export function incidentSearchText(i: Incident): string {
  return [i.title, ...i.hosts, ...i.users, ...i.tactics, i.assignee ?? '', ...i.timeline.slice(0, 50).map((t) => t.ruleTitle)]
    .join(' ')
    .toLowerCase()
    .slice(0, 8000);
}

/** Escapes a user's search term for SQL LIKE with `ESCAPE '\'`. */
export function likePattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function newId(prefix: string): string {
  return `${prefix}_${globalThis.crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;
}
