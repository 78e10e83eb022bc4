/**
 * Markings are never weakened when information is re-shared (FIRST TLP 2.0: "recipients may share
 * … within the limits of the label"; STIX 2.1 §7.2.2: markings travel with the object). These
 * helpers keep the most restrictive TLP marking across versions and copies, and refuse an export
 * that would lower it.
 */
import { WardError } from '../../util/index.js';
import { TLP2_MARKING_IDS, tlpLevelOfId, tlpRank, type TlpLevel } from './ids.js';
import { markedLevel, type TlpPolicyOptions } from './policy.js';

/** The most restrictive of several levels (undefined levels, i.e. unmarked, are ignored). */
export function mostRestrictive(levels: Iterable<TlpLevel | undefined>): TlpLevel | undefined {
  let best: TlpLevel | undefined;
  for (const l of levels) if (l && (!best || tlpRank(l) > tlpRank(best))) best = l;
  return best;
}

/**
 * True when `candidate` carries a lower TLP level than `original`, or drops a marking above CLEAR
 * (an unlabelled copy would be judged by whatever default the next holder uses).
 */
export function isWeakened(
  original: Record<string, unknown>,
  candidate: Record<string, unknown>,
  options: TlpPolicyOptions = {},
): boolean {
  const before = markedLevel(original, options);
  if (!before) return false;
  const after = markedLevel(candidate, options);
  if (!after) return before !== 'clear';
  return tlpRank(after) < tlpRank(before);
}

/** Throws `tlp-weakened` when `candidate` (an exported or re-shared copy) lowers the marking. */
export function assertNotWeakened(
  original: Record<string, unknown>,
  candidate: Record<string, unknown>,
  options: TlpPolicyOptions = {},
): void {
  if (isWeakened(original, candidate, options)) {
    const before = markedLevel(original, options);
    const after = markedLevel(candidate, options) ?? 'unmarked';
    throw new WardError(
      'tlp-weakened',
      `${String(original.id)}: re-sharing would lower TLP:${before?.toUpperCase()} to ${after === 'unmarked' ? 'no marking' : 'TLP:' + after.toUpperCase()}`,
    );
  }
}

/**
 * A copy of `candidate` whose TLP marking is at least `original`'s: when it would be lower, the
 * candidate's TLP refs are replaced by the original's level (TLP 2.0 id); other markings are kept.
 */
export function keepMostRestrictive(
  original: Record<string, unknown>,
  candidate: Record<string, unknown>,
  options: TlpPolicyOptions = {},
): Record<string, unknown> {
  if (!isWeakened(original, candidate, options)) return candidate;
  const level = markedLevel(original, options) as TlpLevel;
  const refs = Array.isArray(candidate.object_marking_refs) ? (candidate.object_marking_refs as unknown[]) : [];
  const others = refs.filter((r) => typeof r !== 'string' || !tlpLevelOfId(r));
  return { ...candidate, object_marking_refs: [...others, TLP2_MARKING_IDS[level]] };
}
