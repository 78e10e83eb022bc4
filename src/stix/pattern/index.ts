/** STIX Patterning (STIX 2.1 §9): lexer, parser, matcher. */
export type { Pattern, ObservationExpr, ComparisonExpr, Literal, ObjectPath, PathStep, CompareOp } from './ast.js';
export { PatternError, type PatternErrorCode } from './errors.js';
export { tokenize, type Token, type TokenType } from './lexer.js';
export { parsePattern } from './parser.js';
export { matchPattern, prepareObservation, evaluate, MAX_BINDINGS, type ObservationInput, type MatchResult } from './match.js';
export { matchingObjects, resolvePath, testObject, type PreparedObservation } from './compare.js';
export { leafObservations, leafComparisons, patternTypes } from './walk.js';
export { parseIPv4, parseIPv6, parseCidr, cidrContains, formatIp, type Cidr } from './ip.js';
export { likeToRegExp } from './regex.js';

import { PatternError } from './errors.js';
import { parsePattern } from './parser.js';

/** Checks a pattern without throwing: `{ok: true}` or the first error with code and position. */
export function validatePattern(text: string): { ok: true } | { ok: false; error: PatternError } {
  try {
    parsePattern(text);
    return { ok: true };
  } catch (e) {
    if (e instanceof PatternError) return { ok: false, error: e };
    throw e;
  }
}
