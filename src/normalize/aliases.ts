import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { dataPath } from '../util/index.js';

interface AliasRule {
  /** field, value, and the value as text (a number in the mapping matches its string too) */
  when: [string, unknown, string][];
  fields: [string, string][];
}

let rules: AliasRule[] | undefined;

function load(): AliasRule[] {
  const doc = yaml.load(readFileSync(dataPath('mappings', 'windows-aliases.yaml'), 'utf8')) as {
    aliases: { when: Record<string, unknown>; fields: Record<string, string> }[];
  };
  return doc.aliases.map((a) => ({ when: Object.entries(a.when).map(([k, v]): [string, unknown, string] => [k, v, String(v)]), fields: Object.entries(a.fields) }));
}

/** Applies data/mappings/windows-aliases.yaml to a flattened Windows event, in place. */
export function applyAliases(f: Record<string, unknown>): void {
  rules ??= load();
  outer: for (const r of rules) {
    for (const [k, v, text] of r.when) {
      const have = f[k];
      if (have !== v && String(have) !== text) continue outer;
    }
    for (const [alias, source] of r.fields) {
      if (f[alias] === undefined && f[source] !== undefined) f[alias] = f[source];
    }
  }
}

/** Every (alias, source) pair of the mapping, whatever its condition: who may copy whose value. */
export function aliasPairs(): [string, string][] {
  rules ??= load();
  return rules.flatMap((r) => r.fields);
}
