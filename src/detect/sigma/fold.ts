/**
 * Case folding for Sigma's case-insensitive matching (Sigma v2.1: string matching is
 * case-insensitive unless `|cased`). ASCII strings take the fast path; anything else goes through
 * upper-then-lower, which gives Unicode full case folding for the cases toLowerCase alone misses
 * (ß → ss, final sigma ς → σ, ﬁ → fi, Kelvin sign K → k).
 */
const NON_ASCII = /[^\x00-\x7f]/;

export function fold(s: string): string {
  const lower = s.toLowerCase();
  return NON_ASCII.test(lower) ? s.toUpperCase().toLowerCase() : lower;
}
