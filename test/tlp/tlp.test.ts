import { describe, expect, it } from 'vitest';
import {
  assertNotWeakened, canRead, effectiveLevel, isWeakened, keepMostRestrictive, markedLevel, mostRestrictive, parseTlpName,
  TLP1_MARKING_IDS, TLP2_MARKING_IDS, TLP2_EXTENSION_ID, tlp2MarkingObject, tlpLevelOfMarking, RELATIONS,
  type Relation, type TlpLevel,
} from '../../src/stix/index.js';

const OWNER = 'identity--aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const PEER = 'identity--bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const obj = (refs: string[], extra: Record<string, unknown> = {}) => ({
  type: 'indicator',
  id: 'indicator--11111111-1111-4111-8111-111111111111',
  created_by_ref: OWNER,
  object_marking_refs: refs,
  ...extra,
});

/** Expected readability per level and relation (FIRST TLP 2.0 definitions). */
const table: Record<Exclude<TlpLevel, 'red'>, Relation[]> = {
  clear: ['same-org', 'client', 'community', 'public'],
  green: ['same-org', 'client', 'community'],
  amber: ['same-org', 'client'],
  'amber+strict': ['same-org'],
};

describe('TLP marking ids', () => {
  it('recognises the five TLP 2.0 and four TLP 1.0 ids', () => {
    for (const [level, id] of Object.entries(TLP2_MARKING_IDS)) expect(markedLevel(obj([id]))).toBe(level);
    expect(markedLevel(obj([TLP1_MARKING_IDS.white]))).toBe('clear');
    expect(markedLevel(obj([TLP1_MARKING_IDS.green]))).toBe('green');
    expect(markedLevel(obj([TLP1_MARKING_IDS.amber]))).toBe('amber');
    expect(markedLevel(obj([TLP1_MARKING_IDS.red]))).toBe('red');
    expect(markedLevel(obj(['marking-definition--00000000-0000-4000-8000-000000000000']))).toBeUndefined();
  });

  it('reads custom TLP marking objects in 1.0 and 2.0 form, and names', () => {
    expect(tlpLevelOfMarking({ type: 'marking-definition', id: 'marking-definition--x', definition_type: 'tlp', definition: { tlp: 'white' } })).toBe('clear');
    expect(tlpLevelOfMarking({ type: 'marking-definition', id: 'marking-definition--y', extensions: { [TLP2_EXTENSION_ID]: { tlp_2_0: 'amber+strict' } } })).toBe('amber+strict');
    expect(tlpLevelOfMarking({ type: 'identity', id: TLP2_MARKING_IDS.red })).toBeUndefined();
    expect(tlpLevelOfMarking({ type: 'marking-definition', id: 'marking-definition--z', definition_type: 'TLP', definition: { TLP: 'TLP:RED' } })).toBe('red');
    expect(tlpLevelOfMarking({ type: 'marking-definition', id: 'marking-definition--w', definition_type: 'TLP', name: 'TLP:AMBER+STRICT', definition: {} })).toBe('amber+strict');
    expect(tlpLevelOfMarking({ type: 'marking-definition', id: 'marking-definition--s', definition_type: 'statement', name: 'TLP:RED', definition: { statement: 'x' } })).toBeUndefined();
    expect(tlpLevelOfMarking(tlp2MarkingObject('green'))).toBe('green');
    expect(parseTlpName('TLP:AMBER+STRICT')).toBe('amber+strict');
    expect(parseTlpName('tlp:white')).toBe('clear');
    expect(parseTlpName('purple')).toBeUndefined();
    const custom = { type: 'marking-definition', id: 'marking-definition--custom', definition_type: 'tlp', definition: { tlp: 'red' } };
    expect(markedLevel(obj([custom.id]), { resolveMarking: (id) => (id === custom.id ? custom : undefined) })).toBe('red');
  });

  it('takes the most restrictive of several markings, granular markings included', () => {
    expect(markedLevel(obj([TLP2_MARKING_IDS.green, TLP1_MARKING_IDS.amber]))).toBe('amber');
    const g = obj([TLP2_MARKING_IDS.clear], { granular_markings: [{ marking_ref: TLP2_MARKING_IDS.red, selectors: ['description'] }] });
    expect(markedLevel(g)).toBe('red');
  });
});

describe('canRead', () => {
  for (const [level, allowed] of Object.entries(table)) {
    for (const relation of RELATIONS) {
      const expected = allowed.includes(relation);
      it(`TLP:${level.toUpperCase()} ${expected ? 'is' : 'is not'} readable by ${relation}`, () => {
        const o = obj([TLP2_MARKING_IDS[level as TlpLevel]]);
        expect(canRead(o, { identity: PEER, relation })).toBe(expected);
      });
    }
  }

  it('TLP 1.0 WHITE/GREEN/AMBER behave as CLEAR/GREEN/AMBER', () => {
    expect(canRead(obj([TLP1_MARKING_IDS.white]), { relation: 'public' })).toBe(true);
    expect(canRead(obj([TLP1_MARKING_IDS.green]), { relation: 'public' })).toBe(false);
    expect(canRead(obj([TLP1_MARKING_IDS.green]), { relation: 'community' })).toBe(true);
    expect(canRead(obj([TLP1_MARKING_IDS.amber]), { relation: 'client' })).toBe(true);
    expect(canRead(obj([TLP1_MARKING_IDS.amber]), { relation: 'community' })).toBe(false);
  });

  for (const id of [TLP2_MARKING_IDS.red, TLP1_MARKING_IDS.red]) {
    it(`RED (${id.slice(-4)}) only to named recipients, whatever the relation`, () => {
      const o = obj([id], { x_ward_tlp_recipients: [PEER] });
      for (const relation of RELATIONS) {
        expect(canRead(o, { identity: PEER, relation })).toBe(true);
        expect(canRead(o, { identity: 'identity--other', relation })).toBe(false);
        expect(canRead(o, { relation })).toBe(false);
      }
      expect(canRead(o, { identity: 'identity--org', names: [PEER], relation: 'community' })).toBe(true);
      expect(canRead(o, { identity: PEER, relation: 'public' }, { recipients: () => [] })).toBe(false);
    });
  }

  it('the producer always reads its own objects', () => {
    expect(canRead(obj([TLP2_MARKING_IDS.red]), { identity: OWNER, relation: 'public' })).toBe(true);
  });

  it('unmarked objects default to AMBER, configurable', () => {
    const o = obj([]);
    expect(effectiveLevel(o)).toBe('amber');
    expect(canRead(o, { relation: 'client' })).toBe(true);
    expect(canRead(o, { relation: 'community' })).toBe(false);
    expect(canRead(o, { relation: 'public' }, { unmarked: 'clear' })).toBe(true);
    expect(canRead(o, { relation: 'client' }, { unmarked: 'amber+strict' })).toBe(false);
    expect(canRead({ type: 'x', id: 'x--1' }, { relation: 'same-org' }, { unmarked: 'red' })).toBe(false);
  });

  it('marking-definition objects themselves are readable by all', () => {
    expect(canRead(tlp2MarkingObject('red'), { relation: 'public' })).toBe(true);
  });
});

describe('re-sharing never weakens markings', () => {
  const amber = obj([TLP2_MARKING_IDS.amber]);
  it('detects and refuses a lowered or dropped marking', () => {
    expect(isWeakened(amber, obj([TLP2_MARKING_IDS.green]))).toBe(true);
    expect(isWeakened(amber, obj([]))).toBe(true);
    expect(isWeakened(amber, obj([TLP1_MARKING_IDS.amber]))).toBe(false);
    expect(isWeakened(amber, obj([TLP2_MARKING_IDS.red]))).toBe(false);
    expect(isWeakened(obj([]), obj([TLP2_MARKING_IDS.clear]))).toBe(false);
    expect(isWeakened(obj([TLP2_MARKING_IDS.clear]), obj([]))).toBe(false);
    expect(isWeakened(obj([TLP2_MARKING_IDS.red]), obj([]))).toBe(true);
    expect(() => assertNotWeakened(amber, obj([TLP2_MARKING_IDS.clear]))).toThrow(/lower TLP:AMBER to TLP:CLEAR/);
    expect(() => assertNotWeakened(amber, obj([TLP2_MARKING_IDS['amber+strict']]))).not.toThrow();
  });
  it('keeps the most restrictive marking and other markings', () => {
    const stmt = 'marking-definition--99999999-9999-4999-8999-999999999999';
    const fixed = keepMostRestrictive(amber, obj([TLP2_MARKING_IDS.green, stmt]));
    expect(fixed.object_marking_refs).toEqual([stmt, TLP2_MARKING_IDS.amber]);
    expect(mostRestrictive(['green', undefined, 'amber+strict', 'clear'])).toBe('amber+strict');
    expect(mostRestrictive([])).toBeUndefined();
  });
});
