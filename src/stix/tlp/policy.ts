/**
 * Who may read a STIX object under the Traffic Light Protocol (FIRST TLP 2.0, August 2022):
 *   CLEAR (TLP 1.0 WHITE)  anyone, no restriction on disclosure
 *   GREEN                  the community (peers, partner organisations), not the public
 *   AMBER                  the recipient's organisation and its clients, on a need-to-know basis
 *   AMBER+STRICT           the organisation only
 *   RED                    the named recipients only
 * An object's level is the most restrictive TLP marking it carries, whether in
 * `object_marking_refs` (STIX 2.1 §7.2.2.1) or in `granular_markings` (§7.2.3): a granular TLP
 * marking restricts part of the object, and serving the rest of it would need per-property
 * redaction; treating the whole object at that level never discloses too much.
 */
import { tlpLevelOfId, tlpLevelOfMarking, tlpRank, type TlpLevel } from './ids.js';

/** The viewer's relation to the organisation that owns (produced or holds) the object. */
export type Relation = 'same-org' | 'client' | 'community' | 'public';

export const RELATIONS: readonly Relation[] = ['same-org', 'client', 'community', 'public'];

export interface Viewer {
  /** STIX identity id of the viewer's organisation (identity--…). */
  identity?: string;
  relation: Relation;
  /**
   * Further identity ids the viewer answers to (e.g. the individual's own identity): a RED object
   * is readable when one of these, or `identity`, is among the object's named recipients.
   */
  names?: readonly string[];
}

export interface TlpPolicyOptions {
  /**
   * Level of objects that carry no TLP marking. Default AMBER: an unlabelled object in a hospital
   * may describe the hospital's own systems or incidents. AMBER keeps it with the organisation and
   * the clients/providers that operate its systems (so Ward's own users and its MSSP still see it),
   * while never publishing it to the community by omission; GREEN or CLEAR would leak whatever
   * someone forgot to label, AMBER+STRICT or RED would hide an org's own data from its providers.
   */
  unmarked?: TlpLevel;
  /** Resolves marking-definition ids that are not the well-known TLP ids (custom TLP markings). */
  resolveMarking?: (id: string) => Record<string, unknown> | undefined;
  /**
   * The named recipients of a RED object. Default: the object's custom property
   * `x_ward_tlp_recipients` (STIX 2.1 §11.1 custom properties), an array of identity ids.
   */
  recipients?: (object: Record<string, unknown>) => readonly string[];
}

export const RECIPIENTS_PROPERTY = 'x_ward_tlp_recipients';

function markingRefs(object: Record<string, unknown>): string[] {
  const refs: string[] = [];
  const omr = object.object_marking_refs;
  if (Array.isArray(omr)) for (const r of omr) if (typeof r === 'string') refs.push(r);
  const gm = object.granular_markings;
  if (Array.isArray(gm)) {
    for (const g of gm) {
      const ref = (g as Record<string, unknown> | null)?.marking_ref;
      if (typeof ref === 'string') refs.push(ref);
    }
  }
  return refs;
}

/** The most restrictive TLP level among the object's markings, or undefined when it has none. */
export function markedLevel(object: Record<string, unknown>, options: TlpPolicyOptions = {}): TlpLevel | undefined {
  // A marking-definition is itself a label: it is not restricted by the level it names, and an
  // unmarked one (a statement, a licence) must reach whoever may read the objects that cite it.
  if (object.type === 'marking-definition' && (tlpLevelOfMarking(object) || markingRefs(object).length === 0)) return 'clear';
  let best: TlpLevel | undefined;
  for (const ref of markingRefs(object)) {
    let level = tlpLevelOfId(ref);
    if (!level && options.resolveMarking) {
      const m = options.resolveMarking(ref);
      if (m) level = tlpLevelOfMarking(m);
    }
    if (level && (!best || tlpRank(level) > tlpRank(best))) best = level;
  }
  return best;
}

/** The level the policy applies: the marked level, or the configured default for unmarked objects. */
export function effectiveLevel(object: Record<string, unknown>, options: TlpPolicyOptions = {}): TlpLevel {
  return markedLevel(object, options) ?? options.unmarked ?? 'amber';
}

function defaultRecipients(object: Record<string, unknown>): readonly string[] {
  const r = object[RECIPIENTS_PROPERTY];
  return Array.isArray(r) ? r.filter((x): x is string => typeof x === 'string') : [];
}

/** The widest relation each level may reach. */
const WIDEST: Record<Exclude<TlpLevel, 'red'>, number> = {
  clear: RELATIONS.indexOf('public'),
  green: RELATIONS.indexOf('community'),
  amber: RELATIONS.indexOf('client'),
  'amber+strict': RELATIONS.indexOf('same-org'),
};

/**
 * May this viewer read this object? The object's producer (`created_by_ref` equal to the viewer's
 * identity) always reads its own objects; everyone else is judged by the level.
 */
export function canRead(object: Record<string, unknown>, viewer: Viewer, options: TlpPolicyOptions = {}): boolean {
  const names = new Set<string>(viewer.names ?? []);
  if (viewer.identity) names.add(viewer.identity);
  const creator = object.created_by_ref;
  if (typeof creator === 'string' && names.has(creator)) return true;
  const level = effectiveLevel(object, options);
  if (level === 'red') {
    const recipients = (options.recipients ?? defaultRecipients)(object);
    return recipients.some((r) => names.has(r));
  }
  const rel = RELATIONS.indexOf(viewer.relation);
  return rel >= 0 && rel <= WIDEST[level];
}

/** The widest audience (relation) a level may be shared with; RED has none beyond named recipients. */
export function widestRelation(level: TlpLevel): Relation | undefined {
  return level === 'red' ? undefined : RELATIONS[WIDEST[level]];
}
