/**
 * Classifies each difference between Ward and the pySigma + SQLite oracle by its cause, with the
 * Sigma-spec reasoning. Classification inspects the rule and the event; anything it cannot
 * explain is reported as such (and is a bug to look at).
 */
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { normalize, type WardEvent } from '../../src/normalize/index.js';

interface RuleDoc {
  logsource?: Record<string, string>;
  detection?: Record<string, unknown>;
}

const REASONS: Record<string, string> = {
  keyword:
    'keyword (field-less) rule: the oracle produces no query for keyword searches (its documented limit); Ward searches every field value (Sigma v2.1 §keywords).',
  securityAlias:
    "Windows Security-log event (4688/5156/4657): Ward maps the generic category to Sysmon *and* to the Security event that records the same activity (data/pipelines/windows.yaml + data/mappings/windows-aliases.yaml); the oracle's sysmon pipeline maps Sysmon only.",
  nullLogic:
    "absent field under `not`: the oracle's SQL evaluates `NOT (field LIKE …)` on a missing column to NULL and drops the event (three-valued logic); in Sigma a search on an absent field is false, so `not filter` is true and the rule matches (Sigma v2.1 §condition; the same as Sigma's reference engines).",
  listSerialisation:
    "the oracle stored the unnamed <Data> list as JSON text, whose escaped backslashes (`\\\\`) match the rule's `'\\\\\\\\'` (a literal double backslash, i.e. a UNC path); none of the event's values contains a double backslash, so Ward (matching each list element) is right not to fire.",
  nonAscii: 'non-ASCII text: Ward folds case with full Unicode rules, the oracle with ASCII-only NOCASE (its documented limit).',
};

function ruleFields(det: Record<string, unknown>, names: string[]): string[] {
  const out: string[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') for (const k of Object.keys(v)) out.push(k.split('|')[0]);
  };
  for (const n of names) visit(det[n]);
  return out.filter(Boolean);
}

function negatedSearches(det: Record<string, unknown>): string[] {
  const conds = ([] as unknown[]).concat(det.condition ?? []).map(String);
  const names = Object.keys(det).filter((k) => k !== 'condition');
  const out = new Set<string>();
  for (const c of conds) {
    const re = /\bnot\s+(?:(1|all|any)\s+of\s+)?([\w*]+)/gi;
    let m: RegExpExecArray | null;
    while ((m = re.exec(c))) {
      const pat = new RegExp('^' + m[2].replace(/\*/g, '.*') + '$');
      for (const n of names) if (pat.test(n)) out.add(n);
    }
    // `not ( … )`: every search named inside the parentheses
    const paren = /\bnot\s*\(([^)]*)\)/gi;
    while ((m = paren.exec(c))) for (const n of names) if (new RegExp(`\\b${n}\\b`).test(m[1])) out.add(n);
  }
  return [...out];
}

function classify(side: string, rule: RuleDoc | undefined, ev: WardEvent, keywordOnly: boolean): string {
  if (keywordOnly) return 'keyword';
  const ls = rule?.logsource ?? {};
  const det = rule?.detection ?? {};
  const ch = String(ev.get('Channel'));
  const eid = Number(ev.get('EventID'));
  if (side === 'ward-only' && ch === 'Security' && [4688, 5156, 4657].includes(eid) && ls.category) return 'securityAlias';
  if (side === 'ward-only') {
    const neg = negatedSearches(det);
    if (ruleFields(det, neg).some((f) => ev.get(f) === undefined || ev.get(f) === null)) return 'nullLogic';
  }
  if (side === 'oracle-only' && Array.isArray(ev.get('Data')) && ruleFields(det, Object.keys(det)).includes('Data')) return 'listSerialisation';
  const fields = ruleFields(det, Object.keys(det));
  if (fields.some((f) => /[^\x00-\x7f]/.test(String(ev.get(f) ?? '')))) return 'nonAscii';
  return 'unexplained';
}

export function explainDifference(side: 'ward-only' | 'oracle-only', ruleFile: string | undefined, events: unknown[], keywordOnly: boolean): string {
  let rule: RuleDoc | undefined;
  if (ruleFile) {
    try {
      rule = yaml.load(readFileSync(ruleFile, 'utf8')) as RuleDoc;
    } catch {
      rule = undefined;
    }
  }
  const counts = new Map<string, number>();
  for (const e of events) {
    const ev = normalize(e as Record<string, unknown>, {});
    const r = classify(side, rule, ev, keywordOnly);
    counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  return [...counts]
    .map(([r, n]) => (r === 'unexplained' ? `${n} unexplained (to investigate)` : `${counts.size > 1 ? `${n}× ` : ''}${REASONS[r]}`))
    .join(' ');
}

export function reasonKinds(): Record<string, string> {
  return REASONS;
}
