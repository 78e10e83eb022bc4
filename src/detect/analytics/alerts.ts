import type { Location } from '../../util/index.js';
import type { Detection, Level, RuleMeta } from '../types.js';
import type { BulkVerdict } from './bulk.js';
import type { Explanation, Signal } from './explain.js';
import type { Access, ScoreRecord } from './state.js';

const TAGS = ['attack.collection', 'attack.t1213', 'ward.analytics', 'privacy'];

const CATEGORY_TITLE: Record<string, string> = {
  self: "user opened their own record",
  family: 'user opened a family member\'s record',
  coworker: "user opened a coworker's record",
  vip: "user opened a VIP patient's record",
  neighbour: "user opened a neighbour's record",
  'name-search': 'user found a patient by name search and opened the record',
  'break-glass-no-reason': 'break-glass access without a reason',
};

const LEVEL: Record<string, Level> = { self: 'medium', family: 'high', coworker: 'high', vip: 'high', neighbour: 'high', 'name-search': 'medium', 'break-glass-no-reason': 'high' };

function rule(id: string, title: string, level: Level, description: string): RuleMeta {
  return { id: `ward.analytics.${id}`, title, level, tags: TAGS, description, source: 'analytics', author: 'Ward' };
}

const iso = (t: number): string => new Date(t).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

function loc(a: Access): Location {
  return { file: a.file, line: a.line, record: a.record };
}

const userLabel = (a: Access, role?: string, dept?: string): string => `${a.user}${role || dept ? ` (${[role, dept].filter(Boolean).join(', ')})` : ''}`;

/** A snooping finding: which patient, which relationship was missing, which signals. */
export function snoopAlert(a: Access, rec: ScoreRecord, top: Signal, sig: Signal[], ex: { best?: Explanation; missing: string[]; unit?: string }, role?: string, dept?: string): Detection {
  const title = `Record access without care relationship: ${CATEGORY_TITLE[top.name] ?? top.name}`;
  const why = ex.best ? `The access is only weakly explained (${ex.best.detail}).` : `No clinical relationship explains it: ${ex.missing.join('; ')}.`;
  const explanation = `${userLabel(a, role, dept)} ${a.search ? 'searched for and listed' : 'opened'} the record of patient ${a.mrn}${a.patientName ? ` (${a.patientName})` : ''} on ${iso(a.t)}` +
    `${a.action ? ` ("${a.action}")` : ''}. ${why} Signals: ${sig.map((s) => s.detail).join('; ')}. Score ${rec.score.toFixed(2)}. ` +
    'Ask the user and their manager for the clinical reason; if there is none, follow the privacy-incident procedure.';
  return {
    kind: 'analytics', rule: rule(`snooping.${top.name}`, title, LEVEL[top.name] ?? 'medium', 'Explanation-based access auditing with snooping signals (issue 6).'),
    timestamp: a.t, host: a.host, loc: loc(a), explanation,
    fields: {
      category: top.name, user: a.user, userRole: role, userDepartment: dept, patient: a.mrn, patientName: a.patientName, action: a.action,
      score: Number(rec.score.toFixed(3)), explainedBy: ex.best?.kind, missingRelationship: ex.missing, patientUnit: ex.unit,
      signals: sig.map((s) => ({ signal: s.name, detail: s.detail })), workstation: a.host, address: a.address, source: a.layout,
    },
  };
}

/** Bulk access: distinct patients in the window against the user's and the role's baselines. */
export function bulkAlert(a: Access, v: BulkVerdict, role: string | undefined, windowMinutes: number): Detection {
  const bases: string[] = [];
  if (v.userThreshold !== undefined) bases.push(`user's baseline ${v.userP95} per hour (95th percentile), alert above ${round(v.userThreshold)} — exceeded ${ratio(v.count, v.userP95!)}×`);
  else bases.push("no user baseline yet (fewer hours of history than configured)");
  if (v.roleThreshold !== undefined) bases.push(`${role ?? 'role'} baseline median ${v.roleMedian} (MAD ${v.roleMad}), alert above ${round(v.roleThreshold)} — exceeded ${ratio(v.count, v.roleMedian!)}× the median`);
  else bases.push(`no baseline for role ${role ?? 'unknown'} yet`);
  const mins = Math.max(1, Math.round((a.t - v.windowStart) / 60_000));
  const explanation = `${a.user}${role ? ` (${role})` : ''} opened ${v.count} different patients' records in ${mins} min (since ${iso(v.windowStart)}), above the alert threshold of ${round(v.threshold)} per ${windowMinutes} min: ${bases.join('; ')}. ` +
    'Possible bulk theft or browsing: suspend the session if it continues, and review the list of records opened.';
  return {
    kind: 'analytics', rule: rule('bulk-access', 'Bulk patient-record access above baseline', 'high', 'Distinct patients per user per hour against user and role baselines (issue 6).'),
    timestamp: a.t, host: a.host, loc: loc(a), explanation,
    fields: {
      category: 'bulk', user: a.user, userRole: role, patient: a.mrn, distinctPatients: v.count, windowMinutes, windowStart: new Date(v.windowStart).toISOString(),
      threshold: round(v.threshold), userBaselineP95: v.userP95, userThreshold: v.userThreshold && round(v.userThreshold), roleBaselineMedian: v.roleMedian,
      roleBaselineMad: v.roleMad, roleThreshold: v.roleThreshold && round(v.roleThreshold), exceededBy: round(v.count / Math.max(1, v.threshold)), source: a.layout,
    },
  };
}

/** A FHIR Bulk Data $export outside the allow-list (account, network, hours). */
export function exportAlert(a: Access, problems: string[], usual: string[], offHours: boolean, level: Level): Detection {
  const explanation = `${a.user} started a bulk $export of patient data on ${iso(a.t)} from ${a.address ?? 'an unknown address'}: ${problems.join('; ')}.` +
    `${usual.length ? ` Its usual export addresses: ${usual.slice(0, 3).join(', ')}.` : ' No earlier export by this account.'}${offHours ? " Outside the account's usual hours." : ''}` +
    ' Revoke the client credentials and cancel the export job if it is not known to the data owner.';
  return {
    kind: 'analytics', rule: rule('bulk-export', 'Bulk $export outside the allow-list', level, 'FHIR Bulk Data $export by an account, network or hour not allowed (issue 6).'),
    timestamp: a.t, host: a.host, loc: loc(a), explanation,
    fields: { category: 'bulk-export', user: a.user, address: a.address, problems, usualAddresses: usual, offHours, source: a.layout },
  };
}

const round = (x: number): number => Math.round(x * 10) / 10;
const ratio = (a: number, b: number): string => (b > 0 ? (a / b).toFixed(1) : '∞');
