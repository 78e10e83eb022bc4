/**
 * ATT&CK tactics from Sigma tags (Sigma tags spec: `attack.<tactic>` and `attack.t<id>`), in
 * the Enterprise kill-chain order so an incident's tactics read as a story.
 */
export const TACTICS = [
  'reconnaissance', 'resource-development', 'initial-access', 'execution', 'persistence',
  'privilege-escalation', 'defense-evasion', 'credential-access', 'discovery', 'lateral-movement',
  'collection', 'command-and-control', 'exfiltration', 'impact',
] as const;

const RANK = new Map<string, number>(TACTICS.map((t, i) => [t, i]));

export function tacticRank(tactic: string): number {
  return RANK.get(tactic) ?? -1;
}

/** Tactics and technique ids named by a rule's tags (underscore spellings accepted). */
export function attackFromTags(tags: readonly string[]): { tactics: string[]; techniques: string[] } {
  const tactics = new Set<string>();
  const techniques = new Set<string>();
  for (const raw of tags) {
    const tag = raw.toLowerCase();
    if (!tag.startsWith('attack.')) continue;
    const v = tag.slice(7).replace(/_/g, '-');
    if (/^t\d{4}(\.\d{3})?$/.test(v)) techniques.add(v.toUpperCase());
    else if (RANK.has(v)) tactics.add(v);
  }
  return { tactics: sortTactics(tactics), techniques: [...techniques] };
}

export function sortTactics(tactics: Iterable<string>): string[] {
  return [...new Set(tactics)].sort((a, b) => tacticRank(a) - tacticRank(b));
}

/** ATT&CK web page for a technique id ("T1003.001" → …/techniques/T1003/001/). */
export function techniqueUrl(id: string): string {
  return `https://attack.mitre.org/techniques/${id.toUpperCase().replace('.', '/')}/`;
}
