/**
 * A pattern that does not follow STIX 2.1 §9 / STIXPattern.g4. `position` is the 0-based
 * character offset in the pattern text where the problem starts.
 */
export type PatternErrorCode =
  | 'unexpected-char'
  | 'unterminated-string'
  | 'bad-literal'
  | 'bad-timestamp'
  | 'unexpected-token'
  | 'unexpected-end'
  | 'bad-regex'
  | 'bad-set'
  | 'bad-operand'
  | 'bad-qualifier'
  | 'empty-pattern';

export class PatternError extends Error {
  readonly code: PatternErrorCode;
  readonly position: number;
  constructor(code: PatternErrorCode, message: string, position: number, pattern?: string) {
    super(`${message} at position ${position}${pattern !== undefined ? caret(pattern, position) : ''}`);
    this.name = 'PatternError';
    this.code = code;
    this.position = position;
  }
}

/** A short excerpt with a caret, so a user sees where a long pattern went wrong. */
function caret(pattern: string, pos: number): string {
  const start = Math.max(0, pos - 30);
  const end = Math.min(pattern.length, pos + 30);
  const excerpt = pattern.slice(start, end).replace(/[\r\n\t]/g, ' ');
  return `\n  ${start > 0 ? '…' : ''}${excerpt}${end < pattern.length ? '…' : ''}\n  ${' '.repeat(pos - start + (start > 0 ? 1 : 0))}^`;
}
