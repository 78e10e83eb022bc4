import { AhoCorasick } from './prefilter/aho.js';
import { shapeTest, type PatternShape } from './pattern.js';

// Lists shorter than these are looped over: below them a loop of native string calls is as fast.
const BY_LENGTH_MIN = 12;
const AUTOMATON_MIN = 8;
/** Substring lists are searched for by their first this many characters, then compared whole. */
export const CONTAINS_PREFIX = 16;

/**
 * One string test for a list of values, true when any of them matches (Sigma v2.1: the values of
 * a list are alternatives). SigmaHQ rules list up to hundreds of values for one field (DLL names
 * for side-loading, tool names, command-line flags); testing them one by one costs a call and a
 * comparison each. Instead equalities are one Set lookup, long prefix / suffix lists one Set
 * lookup per distinct length, long substring lists one Aho–Corasick pass over the value; only
 * regular expressions are still tried one by one. The result is the same as trying every value.
 */
export function anyShape(shapes: PatternShape[]): (v: string) => boolean {
  const eq = new Set<string>();
  const prefix: string[] = [];
  const suffix: string[] = [];
  const contains: string[] = [];
  const rest: ((v: string) => boolean)[] = [];
  for (const sh of shapes) {
    if (sh.k === 'any' || (sh.k === 'contains' && sh.s === '')) return () => true;
    if (sh.k === 'eq') eq.add(sh.s);
    else if (sh.k === 'empty') eq.add('');
    else if (sh.k === 'prefix') prefix.push(sh.s);
    else if (sh.k === 'suffix') suffix.push(sh.s);
    else if (sh.k === 'contains') contains.push(sh.s);
    else rest.push(shapeTest(sh));
  }
  const tests: ((v: string) => boolean)[] = [];
  if (eq.size === 1) {
    const [s] = eq;
    tests.push((v) => v === s);
  } else if (eq.size > 1) tests.push((v) => eq.has(v));
  if (prefix.length) tests.push(affixTest(prefix, false));
  if (suffix.length) tests.push(affixTest(suffix, true));
  if (contains.length) tests.push(containsTest(contains));
  tests.push(...rest);
  if (tests.length === 1) return tests[0];
  return (v) => {
    for (let i = 0; i < tests.length; i++) if (tests[i](v)) return true;
    return false;
  };
}

function affixTest(list: string[], end: boolean): (v: string) => boolean {
  if (list.length < BY_LENGTH_MIN) {
    return end
      ? (v) => {
          for (let i = 0; i < list.length; i++) if (v.endsWith(list[i])) return true;
          return false;
        }
      : (v) => {
          for (let i = 0; i < list.length; i++) if (v.startsWith(list[i])) return true;
          return false;
        };
  }
  const byLength = new Map<number, Set<string>>();
  for (const s of list) {
    let set = byLength.get(s.length);
    if (!set) byLength.set(s.length, (set = new Set()));
    set.add(s);
  }
  const lengths = [...byLength.keys()].sort((a, b) => a - b);
  const sets = lengths.map((l) => byLength.get(l)!);
  return (v) => {
    for (let i = 0; i < lengths.length; i++) {
      const l = lengths[i];
      if (l > v.length) return false;
      if (sets[i].has(end ? v.slice(v.length - l) : v.slice(0, l))) return true;
    }
    return false;
  };
}

function containsTest(list: string[]): (v: string) => boolean {
  if (list.length < AUTOMATON_MIN) {
    if (list.length === 1) {
      const s = list[0];
      return (v) => v.includes(s);
    }
    return (v) => {
      for (let i = 0; i < list.length; i++) if (v.includes(list[i])) return true;
      return false;
    };
  }
  const ac = new AhoCorasick();
  if (list.every((s) => s.length <= CONTAINS_PREFIX)) {
    list.forEach((s) => ac.add(s, 0));
    let found = false;
    const hit = (): void => {
      found = true;
    };
    return (v) => {
      found = false;
      ac.scan(v, hit);
      return found;
    };
  }
  // Long values (hash lists: `MD5=` and 32 hex digits, thousands of them) would make an automaton
  // of one state per character — 185,000 states and a quarter of a second to build for one
  // SigmaHQ rule. The automaton holds each value's first characters instead; where they occur,
  // the values sharing them are compared in full from their start.
  const groups: string[][] = [];
  const lengths: number[] = [];
  const byPrefix = new Map<string, number>();
  for (const s of new Set(list)) {
    const p = s.slice(0, CONTAINS_PREFIX);
    let g = byPrefix.get(p);
    if (g === undefined) {
      byPrefix.set(p, (g = groups.length));
      groups.push([]);
      lengths.push(p.length);
      ac.add(p, g);
    }
    groups[g].push(s);
  }
  let found = false;
  let text = '';
  const hit = (g: number, end: number): void => {
    if (found) return;
    const at = end - lengths[g];
    const group = groups[g];
    for (let i = 0; i < group.length; i++) {
      if (group[i].length === lengths[g] || text.startsWith(group[i], at)) {
        found = true;
        return;
      }
    }
  };
  return (v) => {
    found = false;
    text = v;
    ac.scan(v, hit);
    text = '';
    return found;
  };
}
