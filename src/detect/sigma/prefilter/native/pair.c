/*
 * The rest of the raw screen in C, so a line whose event type was met before costs one call:
 * ../peek.ts (does the line open as evtx_dump writes it; its Channel and EventID by a byte
 * search), the candidates of that (Channel, EventID) pair — handed over once per pair by
 * ../program.ts and kept here by the pair's bytes — the check that the walk read the pair the
 * search found, and ../program.ts verdict(). Each follows its TypeScript twin exactly.
 */
#include <string.h>
#include "screen.h"

static inline int is_ws(int c) { return c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d; }

/* peek.ts opensWithEvent(): `{"Event": {` with whitespace allowed. */
int opens_with_event(const uint8_t *b, int32_t start, int32_t end) {
  int32_t p = start;
  while (p < end && is_ws(b[p])) p++;
  if (p >= end || b[p++] != 0x7b) return 0;
  while (p < end && is_ws(b[p])) p++;
  if (p + 7 > end || memcmp(b + p, "\"Event\"", 7) != 0) return 0;
  p += 7;
  while (p < end && is_ws(b[p])) p++;
  if (p >= end || b[p++] != 0x3a) return 0;
  while (p < end && is_ws(b[p])) p++;
  return p < end && b[p] == 0x7b;
}

/*
 * peek.ts member(): the first `"<name>"` followed by a colon in b[from, end); the position after
 * the colon, or -1. Like its twin it gives up at the first occurrence of the name's first letter
 * too close to the end, and when that letter first occurs at `from` itself.
 */
static int32_t member(const uint8_t *b, const char *name, int32_t n, int32_t from, int32_t end) {
  const uint8_t first = (uint8_t)name[0];
  int32_t p = from;
  for (;;) {
    const uint8_t *hit = p < end ? memchr(b + p, first, (size_t)(end - p)) : NULL;
    if (hit == NULL) return -1;
    p = (int32_t)(hit - b);
    if (!(p > from && p + n + 1 < end)) return -1;
    if (b[p - 1] == 0x22 && b[p + n] == 0x22 && memcmp(b + p, name, (size_t)n) == 0) {
      int32_t q = p + n + 1;
      while (q < end && is_ws(b[q])) q++;
      if (q < end && b[q] == 0x3a) return q + 1;
    }
    p++;
  }
}

/* peek.ts PairPeek.peek(): the Channel and EventID byte ranges (EventID without leading zeros). */
int peek_pair(const uint8_t *b, int32_t start, int32_t end, int32_t out[4]) {
  int32_t p = member(b, "Channel", 7, start, end);
  if (p < 0) return 0;
  while (p < end && is_ws(b[p])) p++;
  int32_t cs, ce;
  if (p + 4 <= end && memcmp(b + p, "null", 4) == 0) {
    /* "Channel": null indexes like no channel at all (RuleSet.candidatesFor): the empty name.
     * peek.ts leaves such lines to the walk, which learns the pair as it reads; here the pair is
     * known before, as for any other line (the same candidates, so the same verdict). */
    cs = ce = p;
  } else {
    if (p >= end || b[p] != 0x22) return 0;
    cs = ++p;
    while (p < end && b[p] != 0x22 && b[p] != 0x5c && b[p] < 0x80 && b[p] >= 0x20) p++;
    if (p >= end || b[p] != 0x22) return 0;
    ce = p;
  }
  p = member(b, "EventID", 7, start, end);
  if (p < 0) return 0;
  while (p < end && is_ws(b[p])) p++;
  if (p < end && b[p] == 0x7b) {
    /* `#` may not occur again for a long way: look in the object's first bytes only */
    int32_t q = p;
    p = -1;
    for (int32_t k = q; k < end && k < q + 200; k++) {
      if (b[k] == 0x23) {
        p = member(b, "#text", 5, k - 1, end);
        break;
      }
    }
    if (p < 0) return 0;
    while (p < end && is_ws(b[p])) p++;
  }
  int quoted = p < end && b[p] == 0x22;
  if (quoted) p++;
  while (p + 1 < end && b[p] == 0x30 && b[p + 1] >= 0x30 && b[p + 1] <= 0x39) p++;
  int32_t is = p;
  while (p < end && b[p] >= 0x30 && b[p] <= 0x39) p++;
  if (p == is || p - is > 15 || (quoted && (p >= end || b[p] != 0x22))) return 0;
  out[0] = cs;
  out[1] = ce;
  out[2] = is;
  out[3] = p;
  return 1;
}

static uint32_t pair_hash(const uint8_t *b, const int32_t r[4]) {
  uint32_t h = 0x811c9dc5u;
  for (int32_t i = r[0]; i < r[1]; i++) h = (h ^ b[i]) * 0x01000193u;
  h = (h ^ 0xff) * 0x01000193u;
  for (int32_t i = r[2]; i < r[3]; i++) h = (h ^ b[i]) * 0x01000193u;
  return h;
}

static int pair_same(const PairEntry *e, const uint8_t *b, const int32_t r[4]) {
  int32_t cl = r[1] - r[0], el = r[3] - r[2];
  return e->used && e->clen == cl && e->elen == el && memcmp(e->key, b + r[0], (size_t)cl) == 0 &&
         memcmp(e->key + cl, b + r[2], (size_t)el) == 0;
}

/* The entry of the pair at r, or NULL (the JavaScript side then builds it: W_PAIR). */
PairEntry *pair_find(Screen *s, const uint8_t *b, const int32_t r[4]) {
  if (s->last_pair && pair_same(s->last_pair, b, r)) return s->last_pair;
  PairEntry *e = &s->pairs[pair_hash(b, r) & (PAIRS - 1)];
  if (!pair_same(e, b, r)) return NULL;
  s->last_pair = e;
  return e;
}

/* The slot the pair at r goes to (its old occupant's references released by the caller). */
PairEntry *pair_slot(Screen *s, const uint8_t *b, const int32_t r[4]) {
  int32_t cl = r[1] - r[0], el = r[3] - r[2];
  if (cl + el > PAIR_KEY) return NULL;
  PairEntry *e = &s->pairs[pair_hash(b, r) & (PAIRS - 1)];
  e->clen = cl;
  e->elen = el;
  memcpy(e->key, b + r[0], (size_t)cl);
  memcpy(e->key + cl, b + r[2], (size_t)el);
  return e;
}

/*
 * raw.ts pairValue() and the check after the walk: the Channel the walk read (null reads as
 * the empty string) is the one the search found, and its EventID is the same number (digits
 * with leading zeros are the number normalize/ makes of them).
 */
int pair_agrees(const Screen *s, const uint8_t *b) {
  const int32_t *w = s->pair;
  const int32_t *r = s->peeked;
  int32_t cl = w[0] < 0 ? 0 : w[1] - w[0];
  if (cl != r[1] - r[0] || (cl > 0 && memcmp(b + w[0], b + r[0], (size_t)cl) != 0)) return 0;
  int32_t es = w[2], ee = w[3];
  if (es < 0) return 0;
  int digits = ee > es;
  for (int32_t i = es; i < ee && digits; i++) digits = b[i] >= 0x30 && b[i] <= 0x39;
  if (digits)
    while (es + 1 < ee && b[es] == 0x30) es++;
  return ee - es == r[3] - r[2] && memcmp(b + es, b + r[2], (size_t)(ee - es)) == 0;
}

/*
 * program.ts verdict(): the rules of entry e whose every remaining clause the line stamped,
 * ascending, into out; their number.
 */
int32_t verdict(Screen *s, const PairEntry *e) {
  if (++s->calls == 0xffffffffu) {
    memset(s->rule_stamp, 0, (size_t)s->n_rules * sizeof(uint32_t));
    s->calls = 1;
  }
  uint32_t call = s->calls;
  int32_t n = 0;
  int32_t *out = s->out;
  for (int32_t i = 0; i < e->always_len && n < s->n_rules; i++) out[n++] = e->always[i];
  const Hits *h = &s->hits;
  for (int32_t k = 0; k < h->n; k++) {
    int32_t clause = h->out[k];
    if (clause < 0 || clause >= s->n_clauses) continue;
    int32_t rule = s->clause_rule[clause];
    if (rule < 0 || rule >= s->n_rules || s->rule_stamp[rule] == call) continue;
    s->rule_stamp[rule] = call;
    if (rule >= e->rule_at_len) continue;
    int32_t at = e->rule_at[rule];
    if (at < 0 || at + 1 >= e->prog_len) continue;
    int32_t m = e->prog[at + 1];
    int all = at + 2 + m <= e->prog_len;
    for (int32_t j = 0; j < m && all; j++) {
      int32_t c = e->prog[at + 2 + j];
      all = c >= 0 && (uint32_t)c < h->stamps && h->stamp[c] == h->epoch;
    }
    if (all && n < s->n_rules) out[n++] = rule;
  }
  /* ascending, as the JavaScript verdict sorts (few rules: insertion sort) */
  for (int32_t i = 1; i < n; i++) {
    int32_t v = out[i], j = i - 1;
    while (j >= 0 && out[j] > v) {
      out[j + 1] = out[j];
      j--;
    }
    out[j + 1] = v;
  }
  return n;
}
