/*
 * Automaton scans, the memo of scans, the name table lookup and the JSON string skip: C twins of
 * ../aho.ts (scanJsonString), ../memo.ts, ../names.ts (findBytes) and sources/json/scan.ts
 * (skipJsonString). Each must answer exactly as its twin does; test/sigma/raw-native.test.ts
 * compares the verdicts.
 */
#include <string.h>
#include <stdlib.h>
#include "screen.h"

#define FNV_SEED 0x811c9dc5u
#define FNV_PRIME 0x01000193u

void hits_add(Hits *h, int32_t clause) {
  if (clause < 0 || (uint32_t)clause >= h->stamps) {
    h->overflow = 1;
    return;
  }
  if (h->stamp[clause] == h->epoch) return;
  h->stamp[clause] = h->epoch;
  if (h->n == h->cap) {
    h->overflow = 1;
    return;
  }
  h->out[h->n++] = clause;
}

/* RFC 8259 §7 two-character escapes: the character, or -1. */
static inline int json_escape(int e) {
  switch (e) {
    case 0x22: case 0x5c: case 0x2f: return e;
    case 0x62: return 8;
    case 0x66: return 12;
    case 0x6e: return 10;
    case 0x72: return 13;
    case 0x74: return 9;
    default: return -1;
  }
}

static inline int hex_val(int c) {
  return c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
}

/* Reports every needle state s stands for (its own, then its reporting suffixes'). */
static void report(const Route *a, Hits *h, Memo *m, int32_t s) {
  int32_t o = a->has_out[s] ? s : a->out_link[s];
  while (o != 0) {
    for (int32_t k = a->out_start[o]; k < a->out_start[o + 1]; k++) {
      int32_t p = a->out_data[k];
      hits_add(h, p);
      if (m) {
        if (m->n_found < (int32_t)(sizeof m->found / sizeof m->found[0])) m->found[m->n_found++] = p;
        else m->found_overflow = 1;
      }
    }
    o = a->out_link[o];
  }
}

static inline int32_t step(const Route *a, int32_t s, int c) {
  int32_t i = s * a->width + a->cls[c];
  return a->delta16 ? a->delta16[i] : a->delta32[i];
}

/* aho.ts scanJsonString(): the value's bytes after its opening quote, ASCII and short escapes. */
static int32_t scan_json(const Route *a, Hits *h, Memo *m, const uint8_t *b, int32_t at, int32_t end) {
  int32_t s = 0;
  int32_t p = at;
  while (p < end) {
    int c = b[p++];
    if (c == 0x22) return p;
    if (c == 0x5c) {
      if (p >= end) return S_INVALID;
      int e = b[p++];
      if (e == 0x75) return S_DECLINE;
      c = json_escape(e);
      if (c < 0) return S_INVALID;
    } else if (c < 0x20) return S_INVALID;
    else if (c >= 0x80) return S_DECLINE;
    s = step(a, s, c);
    if (s < 0) {
      s = ~s;
      report(a, h, m, s);
    }
  }
  return S_INVALID;
}

/* aho.ts scanFoldedCodes() for ASCII text (digits, true, false). */
void aho_scan_ascii(const Route *a, Hits *h, const uint8_t *codes, int32_t len) {
  int32_t s = 0;
  for (int32_t i = 0; i < len; i++) {
    s = step(a, s, codes[i]);
    if (s < 0) {
      s = ~s;
      report(a, h, NULL, s);
    }
  }
}

int memo_init(Memo *m, int32_t slots, int32_t arena_bytes, int32_t max_value) {
  memset(m, 0, sizeof *m);
  m->mask = slots - 1;
  m->slots = calloc((size_t)slots * 2, sizeof(int32_t));
  m->arena_words = arena_bytes >> 2;
  m->arena = malloc((size_t)m->arena_words * sizeof(int32_t));
  m->max_value = max_value;
  return m->slots != NULL && m->arena != NULL;
}

void memo_free(Memo *m) {
  free(m->slots);
  free(m->arena);
  m->slots = NULL;
  m->arena = NULL;
}

static void memo_keep(Memo *m, int32_t i, const MemoKey *k, const uint8_t *b) {
  int32_t n = m->n_found;
  int32_t len = k->len;
  int32_t words = 3 + n + ((len + 3) >> 2);
  if (m->count * 2 > m->mask || m->used + words > m->arena_words) {
    memset(m->slots, 0, (size_t)(m->mask + 1) * 2 * sizeof(int32_t));
    m->count = m->used = 0;
    if (words > m->arena_words) return;
    i = k->start;
  }
  int32_t o = m->used;
  int32_t *arena = m->arena;
  m->slots[2 * i] = k->tag;
  m->slots[2 * i + 1] = o;
  arena[o] = k->auto_id;
  arena[o + 1] = len;
  arena[o + 2] = n;
  for (int32_t j = 0; j < n; j++) arena[o + 3 + j] = m->found[j];
  memcpy((uint8_t *)(arena + o + 3 + n), b + k->at, (size_t)len);
  m->used += words;
  m->count++;
}

#define FNV64_PRIME 0x100000001b3ULL

/*
 * Looks the value up: 1 with its hits added when the table holds it; else 0, *slot the free slot
 * it would take, the found list cleared for its scan.
 */
static int probe(Memo *m, Hits *h, const uint8_t *b, const MemoKey *key, int32_t *slot) {
  int32_t i = key->start;
  for (;;) {
    int32_t t = m->slots[2 * i];
    if (t == 0) break;
    if (t == key->tag) {
      int32_t o = m->slots[2 * i + 1];
      if (m->arena[o] == key->auto_id && m->arena[o + 1] == key->len) {
        int32_t n = m->arena[o + 2];
        if (memcmp((const uint8_t *)(m->arena + o + 3 + n), b + key->at, (size_t)key->len) == 0) {
          m->answered++;
          for (int32_t k = 0; k < n; k++) hits_add(h, m->arena[o + 3 + k]);
          return 1;
        }
      }
    }
    i = (i + 1) & m->mask;
  }
  *slot = i;
  m->n_found = 0;
  m->found_overflow = 0;
  return 0;
}

/*
 * memo.ts scan(): what the automaton finds in a value, answered from memory when it met the same
 * bytes before (a hash of the raw bytes, eight at a time, seeded by the automaton; every hit
 * compared in full). Unlike memo.ts it also keeps values with non-ASCII characters or \u escapes:
 * the JavaScript side decodes and scans those (W_DECODE) and hands back what it found
 * (memo_keep_pending). Returns the position past the closing quote, S_INVALID, or S_DECLINE with
 * the pending entry noted when the value must be decoded.
 */
int32_t memo_scan(Memo *m, int32_t auto_id, const Route *a, Hits *h, const uint8_t *b, int32_t at, int32_t end) {
  m->pending = 0;
  if (at + 8 <= end) {
    /*
     * A value of fewer than eight plain characters ("0", "-", "0x10", "true"): the automaton's few
     * steps from its root cost less than hashing it and a probe into the memo's table, which
     * misses the cache more often than not.
     */
    uint64_t sp = special(load64(b + at));
    int k = __builtin_ctzll(sp | (1ULL << 63)) >> 3;
    if (k < 8 && b[at + k] == 0x22) {
      int32_t s = 0;
      for (int32_t i = at; i < at + k; i++) {
        s = step(a, s, b[i]);
        if (s < 0) {
          s = ~s;
          report(a, h, NULL, s);
        }
      }
      return at + k + 1;
    }
  }
  uint64_t hh = (0xcbf29ce484222325ULL ^ (uint64_t)(uint32_t)auto_id) * FNV64_PRIME;
  int32_t p = at;
  int wide = 0;
  for (;;) {
    int c;
    if (p + 8 <= end) {
      uint64_t w = load64(b + p);
      uint64_t sp = special(w);
      if (sp == 0) {
        hh = (hh ^ w) * FNV64_PRIME;
        p += 8;
        continue;
      }
      /* the plain bytes before the first special one (the lowest flagged byte is exact) */
      int k = __builtin_ctzll(sp) >> 3;
      if (k > 0) {
        hh = (hh ^ (w & ((1ULL << (8 * k)) - 1)) ^ ((uint64_t)k << 60)) * FNV64_PRIME;
        p += k;
      }
      c = (int)((w >> (8 * k)) & 0xff);
    } else {
      if (p >= end) return S_INVALID;
      c = b[p];
    }
    if (c == 0x22) break;
    if (c == 0x5c) {
      if (p + 1 >= end) return S_INVALID;
      int e = b[p + 1];
      if (e == 0x75) wide = 1;
      else if (json_escape(e) < 0) return S_INVALID;
      hh = (hh ^ (uint64_t)(c | e << 8 | 0x10000)) * FNV64_PRIME;
      p += 2;
      continue;
    }
    if (c < 0x20) return S_INVALID;
    if (c >= 0x80) wide = 1;
    hh = (hh ^ (uint64_t)c) * FNV64_PRIME;
    p++;
  }
  int32_t len = p - at;
  if (len > m->max_value) return wide ? S_DECLINE : scan_json(a, h, NULL, b, at, end);
  m->lookups++;
  uint32_t h32 = (uint32_t)(hh ^ (hh >> 32));
  MemoKey key = {(int32_t)(h32 | 1u), (int32_t)((h32 ^ (h32 >> 15)) & (uint32_t)m->mask), auto_id, at, len};
  if (!wide) {
    /*
     * The probe of the table most often misses the cache: ask for the slot now and look it up
     * when the next value arrives (or the line ends, memo_settle), the walk reading on meanwhile.
     * The hits of a line are a set: when they are stamped does not change the verdict.
     */
    __builtin_prefetch(&m->slots[2 * key.start]);
    memo_settle(m, h, b);
    m->d_active = 1;
    m->d_key = key;
    m->d_route = a;
    m->d_end = end;
    return p + 1;
  }
  memo_settle(m, h, b);
  if (probe(m, h, b, &key, &m->p_slot)) return p + 1;
  /* decoded and scanned by the JavaScript side, then kept by memo_keep_pending */
  m->pending = 1;
  m->p_key = key;
  return S_DECLINE;
}

/* The value memo_scan() deferred: its answer from the table, or its scan, then kept. */
void memo_settle(Memo *m, Hits *h, const uint8_t *b) {
  if (!m->d_active) return;
  m->d_active = 0;
  const MemoKey *k = &m->d_key;
  int32_t i;
  if (probe(m, h, b, k, &i)) return;
  int32_t r = scan_json(m->d_route, h, m, b, k->at, m->d_end);
  if (r == k->at + k->len + 1 && !m->found_overflow) memo_keep(m, i, k, b);
}

/* Keeps the value memo_scan() declined, with the payloads the JavaScript scan of it found. */
void memo_keep_pending(Memo *m, const uint8_t *b, const int32_t *found, int32_t n) {
  if (!m->pending) return;
  m->pending = 0;
  if (n < 0 || n > (int32_t)(sizeof m->found / sizeof m->found[0])) return;
  memcpy(m->found, found, (size_t)n * sizeof(int32_t));
  m->n_found = n;
  memo_keep(m, m->p_slot, &m->p_key, b);
}

/* sources/json/scan.ts skipJsonString(). */
int32_t skip_json_string(const uint8_t *s, int32_t at, int32_t end) {
  int32_t p = at;
  for (;;) {
    int c;
    if (p + 8 <= end) {
      /* eight bytes at a time up to the first quote, backslash or control byte */
      uint64_t w = load64(s + p);
      uint64_t q = w ^ (WORD_ONES * 0x22);
      uint64_t e = w ^ (WORD_ONES * 0x5c);
      uint64_t sp = (((q - WORD_ONES) & ~q) | ((e - WORD_ONES) & ~e) | ((w - WORD_ONES * 0x20) & ~w)) & WORD_HIGH;
      if (sp == 0) {
        p += 8;
        continue;
      }
      p += __builtin_ctzll(sp) >> 3;
    }
    if (p >= end) return S_INVALID;
    c = s[p++];
    if (c == 0x22) return p;
    if (c == 0x5c) {
      if (p >= end) return S_INVALID;
      int e = s[p++];
      if (e == 0x75) {
        if (p + 4 > end || (hex_val(s[p]) | hex_val(s[p + 1]) | hex_val(s[p + 2]) | hex_val(s[p + 3])) < 0) return S_INVALID;
        p += 4;
      } else if (json_escape(e) < 0) return S_INVALID;
    } else if (c < 0x20) return S_INVALID;
  }
}

static inline int lower(int c) { return c >= 65 && c <= 90 ? c | 0x20 : c; }

static inline int byte_at(const uint8_t *b, int32_t start, int32_t len, int32_t start2, int32_t i) {
  return i < len ? b[start + i] : i == len ? 0x5f : b[start2 + i - len - 1];
}

/* names.ts findBytes(): the id of a member name (or `<first>_<second>`), -1 missing, -2 non-ASCII. */
int32_t name_find(const Screen *s, const uint8_t *b, int32_t start, int32_t len, int32_t start2, int32_t len2) {
  int32_t total = len2 < 0 ? len : len + 1 + len2;
  uint32_t h = FNV_SEED;
  for (int32_t i = 0; i < total; i++) {
    int c = byte_at(b, start, len, start2, i);
    if (c > 127) return -2;
    h = (h ^ (uint32_t)lower(c)) * FNV_PRIME;
  }
  const int32_t *slots = s->name_slots;
  for (uint32_t i = h & (uint32_t)s->name_mask;; i = (i + 1) & (uint32_t)s->name_mask) {
    const int32_t *sl = slots + i * 4;
    int32_t n = sl[2];
    if (n < 0) return -1;
    if ((uint32_t)sl[0] != h || n != total) continue;
    const uint8_t *chars = s->name_chars + sl[1];
    int32_t k = 0;
    while (k < total && chars[k] == lower(byte_at(b, start, len, start2, k))) k++;
    if (k == total) return sl[3];
  }
}
