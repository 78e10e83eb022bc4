import { parseSigmaString, type Pattern } from './pattern.js';

/**
 * A value of a detection item after YAML parsing (Sigma v2.1 §"Values"): strings become
 * wildcard patterns; numbers, booleans and null keep their type. Modifiers turn one value into
 * one or more variants (e.g. base64offset gives three), so values travel as groups of variants:
 * a group matches when any of its variants does.
 */
export type SigmaValue =
  | { k: 'str'; p: Pattern; raw: string; bin?: boolean }
  | { k: 'num'; n: number }
  | { k: 'bool'; b: boolean }
  | { k: 'null' };

export type ValueGroup = SigmaValue[];

export function toSigmaValue(v: unknown): SigmaValue | undefined {
  if (v === null || v === undefined) return { k: 'null' };
  if (typeof v === 'string') return { k: 'str', p: parseSigmaString(v), raw: v };
  if (typeof v === 'number') return { k: 'num', n: v };
  if (typeof v === 'boolean') return { k: 'bool', b: v };
  if (v instanceof Date) return { k: 'str', p: parseSigmaString(v.toISOString()), raw: v.toISOString() };
  return undefined;
}

/** The raw text of a value, for modifiers that need plain text (re, cidr, fieldref, expand). */
export function valueText(v: SigmaValue): string {
  switch (v.k) {
    case 'str':
      return v.raw;
    case 'num':
      return String(v.n);
    case 'bool':
      return String(v.b);
    default:
      return '';
  }
}
