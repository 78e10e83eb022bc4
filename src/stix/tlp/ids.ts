/**
 * Traffic Light Protocol marking definitions, by the ids every STIX producer uses.
 *
 * TLP 1.0: the four marking-definition objects predefined by STIX 2.1 §7.2.1.4 ("TLP Marking
 * Object Definitions"), definition_type `tlp`.
 * TLP 2.0 (FIRST, August 2022): STIX 2.1 does not predefine it; OASIS publishes it as a
 * property-extension (extension-definition--60a3c5c5-…) with five marking-definition objects, in
 * the cti-stix-common-objects repository (extension-definition-specifications/tlp-2.0).
 */

/** Levels in the order the audience shrinks. TLP 1.0 WHITE is the same level as CLEAR. */
export type TlpLevel = 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';

export const TLP_LEVELS: readonly TlpLevel[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];

/** Numeric rank: higher is more restrictive. */
export function tlpRank(level: TlpLevel): number {
  return TLP_LEVELS.indexOf(level);
}

export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

export const TLP2_MARKING_IDS: Readonly<Record<TlpLevel, string>> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** STIX 2.1 §7.2.1.4. TLP 1.0 has no AMBER+STRICT. */
export const TLP1_MARKING_IDS = {
  white: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  green: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  amber: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  red: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
} as const;

const BY_ID = new Map<string, TlpLevel>([
  ...Object.entries(TLP2_MARKING_IDS).map(([level, id]) => [id, level as TlpLevel] as [string, TlpLevel]),
  [TLP1_MARKING_IDS.white, 'clear'],
  [TLP1_MARKING_IDS.green, 'green'],
  // TLP 1.0 AMBER ("members of their own organization, and with clients or customers who need to
  // know") is TLP 2.0 AMBER, not AMBER+STRICT (FIRST TLP 2.0 §"TLP:AMBER").
  [TLP1_MARKING_IDS.amber, 'amber'],
  [TLP1_MARKING_IDS.red, 'red'],
]);

/** The TLP level of a well-known marking-definition id, or undefined for any other id. */
export function tlpLevelOfId(id: string): TlpLevel | undefined {
  return BY_ID.get(id);
}

/**
 * The TLP level a marking-definition object declares, for markings published under other ids:
 * TLP 1.0 form (`definition_type: "tlp"`, `definition.tlp`, §7.2.1.4) or TLP 2.0 form (the
 * extension's `tlp_2_0` property). Undefined when the object is not a TLP marking.
 */
export function tlpLevelOfMarking(marking: Record<string, unknown>): TlpLevel | undefined {
  if (marking.type !== 'marking-definition') return undefined;
  if (typeof marking.id === 'string') {
    const known = tlpLevelOfId(marking.id);
    if (known) return known;
  }
  const ext = (marking.extensions as Record<string, unknown> | undefined)?.[TLP2_EXTENSION_ID] as
    | Record<string, unknown>
    | undefined;
  if (ext && typeof ext.tlp_2_0 === 'string') return parseTlpName(ext.tlp_2_0);
  // Some producers write the TLP 1.0 form with other spellings ("TLP", {"TLP": "TLP:RED"}).
  if (typeof marking.definition_type === 'string' && marking.definition_type.toLowerCase() === 'tlp') {
    const def = marking.definition as Record<string, unknown> | undefined;
    const v = def?.tlp ?? def?.TLP;
    if (typeof v === 'string') return parseTlpName(v);
    if (typeof marking.name === 'string') return parseTlpName(marking.name);
  }
  return undefined;
}

/** "TLP:AMBER+STRICT", "amber+strict", "white" … → level; undefined when not a TLP name. */
export function parseTlpName(name: string): TlpLevel | undefined {
  const n = name.trim().toLowerCase().replace(/^tlp:/, '').replace(/[\s_]/g, '');
  if (n === 'white') return 'clear';
  if (n === 'amberstrict' || n === 'amber+strict') return 'amber+strict';
  return (TLP_LEVELS as readonly string[]).includes(n) ? (n as TlpLevel) : undefined;
}

/** The TLP 2.0 marking-definition object for a level (to ship alongside marked objects). */
export function tlp2MarkingObject(level: TlpLevel): Record<string, unknown> {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP2_MARKING_IDS[level],
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${level.toUpperCase()}`,
    extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: level } },
  };
}
