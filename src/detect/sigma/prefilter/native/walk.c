/*
 * ../walk.ts in C: one loop that checks a line as RFC 8259 requires, classifies member names as
 * it reads them, and sends each value to its field's automaton (through the memo) or skips it.
 * Every decision follows walk.ts line for line; where walk.ts calls back into the screen for
 * work done in JavaScript (decoding a non-ASCII value, building an automaton), this walk saves
 * its place and returns a pause (W_DECODE, W_BUILD), and walk_run(s, 1 or 2) goes on.
 */
#include <string.h>
#include "screen.h"

#define OBJ 1
#define ARR 2

/*
 * n bytes (4 to 16) as two words that overlap when n is not a multiple of the word: the first
 * and the last 8 (or 4) bytes. Together with n they are the bytes, so comparing them compares
 * the bytes, without reading outside [p, p + n) and without a call to memcmp.
 */
static inline void words(const uint8_t *p, int32_t n, uint64_t *w0, uint64_t *w1) {
  if (n >= 8) {
    *w0 = load64(p);
    *w1 = load64(p + n - 8);
  } else {
    *w0 = load32(p);
    *w1 = load32(p + n - 4);
  }
}

static inline int same(const uint8_t *k, const char *lit, int32_t n) {
  uint64_t a0, a1, b0, b1;
  words(k, n, &a0, &a1);
  words((const uint8_t *)lit, n, &b0, &b1);
  return a0 == b0 && a1 == b1;
}

/* layout.ts structuralId(): names are told apart by length first, then compared whole. */
static int structural_id(const uint8_t *b, int32_t start, int32_t len) {
  const uint8_t *k = b + start;
  switch (len) {
    case 5:
      if (same(k, "Event", 5)) return K_EVENT;
      if (same(k, "#text", 5)) return K_TEXT;
      return K_OTHER;
    case 6:
      return same(k, "System", 6) ? K_SYSTEM : K_OTHER;
    case 7:
      if (same(k, "Channel", 7)) return K_CHANNEL;
      if (same(k, "EventID", 7)) return K_EVENTID;
      return K_OTHER;
    case 8:
      return same(k, "UserData", 8) ? K_USERDATA : K_OTHER;
    case 9:
      return same(k, "EventData", 9) ? K_EVENTDATA : K_OTHER;
    case 11:
      return same(k, "#attributes", 11) ? K_ATTRS : K_OTHER;
    default:
      return K_OTHER;
  }
}

static inline int32_t skip_ws(const uint8_t *b, int32_t p, int32_t end) {
  if (p < end && b[p] > 0x20) return p; /* most tokens follow another directly: one test */
  if (p + 1 < end && b[p] == 0x20 && b[p + 1] > 0x20) return p + 1; /* or one space (`": "`, `", "`) */
  while (p < end) {
    int c = b[p];
    if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) break;
    p++;
  }
  return p;
}

static int has_space(const uint8_t *b, int32_t s, int32_t n) {
  for (int32_t i = 0; i < n; i++)
    if (b[s + i] == 0x20) return 1;
  return 0;
}

/* Which of Channel (0) / EventID (1) a scalar at `depth` is the value of, or -1. */
static int target(const Screen *s, int32_t depth) {
  int k = s->keys[depth];
  if (k == K_TEXT && depth > 1) k = s->keys[depth - 1];
  return k == K_CHANNEL ? 0 : k == K_EVENTID ? 1 : -1;
}

/*
 * names.ts findBytes() of a member name (with c >= 0, of `<name a>_<name c>`) and whether it
 * holds a space, remembered by the exact bytes: every line of a log repeats the same few dozen
 * names, so most lookups are a hash of two words and their comparison. A plain name of 4 to 16
 * bytes is known by its length and two words read in place (words()); longer and composite
 * names are copied into a key and compared whole.
 */
static int32_t name_of(Screen *s, int32_t a, int32_t c, int *space) {
  const uint8_t *b = s->b;
  int32_t la = s->key_len[a];
  int32_t lc = c < 0 ? -1 : s->key_len[c];
  int32_t total = c < 0 ? la : la + 1 + lc;
  if (total > NAME_CACHE_BYTES) {
    *space = has_space(b, s->key_at[a], la) || (c >= 0 && has_space(b, s->key_at[c], lc));
    return name_find(s, b, s->key_at[a], la, c < 0 ? 0 : s->key_at[c], lc);
  }
  uint8_t key[NAME_CACHE_BYTES];
  const uint8_t *k;
  uint64_t w0 = 0, w1 = 0;
  if (c < 0 && la >= 4 && la <= 16) {
    k = b + s->key_at[a];
    words(k, la, &w0, &w1);
  } else {
    memcpy(key, b + s->key_at[a], (size_t)la);
    if (c >= 0) {
      key[la] = 0x5f;
      memcpy(key + la + 1, b + s->key_at[c], (size_t)lc);
    }
    k = key;
    memcpy(&w0, key, total < 8 ? (size_t)total : 8);
    if (total > 8) memcpy(&w1, key + total - 8, 8);
  }
  /* the length and the two words pick the entry; for a short plain name they are the name */
  uint64_t m = (w0 * 0x9e3779b97f4a7c15ULL) ^ (w1 * 0xc2b2ae3d27d4eb4fULL) ^ ((uint64_t)total << 32);
  uint32_t h = (uint32_t)(m >> 32) ^ (uint32_t)m;
  NameCacheEntry *e = &s->name_cache[(h ^ (h >> 16)) & (NAME_CACHE - 1)];
  if (e->len == total && e->split == la && e->w0 == w0 && e->w1 == w1 && (k != key || memcmp(e->bytes, key, (size_t)total) == 0)) {
    *space = e->space;
    return e->id;
  }
  e->id = name_find(s, b, s->key_at[a], la, c < 0 ? 0 : s->key_at[c], lc);
  e->space = has_space(b, s->key_at[a], la) || (c >= 0 && has_space(b, s->key_at[c], lc));
  e->len = total;
  e->split = la;
  e->w0 = w0;
  e->w1 = w1;
  memcpy(e->bytes, k, (size_t)total);
  *space = e->space;
  return e->id;
}

static int32_t by_name(Screen *s, int32_t a, int32_t c) {
  int32_t la = s->key_len[a];
  int32_t lc = c < 0 ? -1 : s->key_len[c];
  if (la < 0 || (c >= 0 && lc < 0)) return ROUTE_EVERYTHING;
  /* an item of a list has no name of its own (the last name read at that depth is another's) */
  if (s->arrays[a] == 1 || (c >= 0 && s->arrays[c] == 1)) return ROUTE_EVERYTHING;
  int space;
  int32_t id = name_of(s, a, c, &space);
  if (id >= 0) {
    if (s->need != NULL) return id < s->need_len && s->need[id] == 0 ? ROUTE_NONE : id;
    return id;
  }
  if (id == -2) return ROUTE_EVERYTHING;
  /* "Threat Name" is also read as ThreatName (normalize/windows.ts) */
  if (space) return ROUTE_EVERYTHING;
  return s->need != NULL ? ROUTE_NONE : s->n_routes;
}

/* walk.ts route(): the automaton index of a value at `depth`, ROUTE_NONE or ROUTE_EVERYTHING. */
static int32_t route(Screen *s, int32_t depth) {
  const uint8_t *k = s->keys;
  if (depth < 3 || k[1] != K_EVENT) return ROUTE_NONE;
  int sect = k[2];
  if (sect == K_SYSTEM || sect == K_EVENTDATA) {
    if (depth == 3) return by_name(s, 3, -1);
    if (depth == 4 && (k[4] == K_TEXT || s->arrays[4] == 1)) return by_name(s, 3, -1);
    if (depth == 5 && sect == K_SYSTEM && k[4] == K_ATTRS) return by_name(s, 3, 5);
    return ROUTE_EVERYTHING;
  }
  if (sect == K_USERDATA) {
    if (depth == 3) return ROUTE_NONE;
    if (depth == 4) return by_name(s, 4, -1);
    if (depth == 5 && k[5] == K_TEXT) return by_name(s, 4, -1);
    return ROUTE_EVERYTHING;
  }
  return ROUTE_NONE;
}

/* walk.ts recordMember(): a member of Event.EventData, its name b[ks, ks + kl), its value from at */
static void record_member(Screen *s, int32_t ks, int32_t kl, int32_t at) {
  int32_t *m = s->members;
  int32_t n = m[0];
  if (n < 0) return;
  int32_t k = 2 + 3 * n;
  if (k + 3 > s->members_cap) {
    m[0] = -1;
    return;
  }
  m[k] = ks;
  m[k + 1] = kl;
  m[k + 2] = at;
  m[0] = n + 1;
}

static void pair(Screen *s, int t, int32_t from, int32_t to) {
  if (t == 0) s->got0++;
  else s->got1++;
  s->pair[2 * t] = from;
  s->pair[2 * t + 1] = to;
}

#define UNSURE_SCALAR (-1)
#define BUILD_SCALAR (-3)

/* walk.ts scalar(): a number, true, false or null at p; the position after it. */
static int32_t scalar(Screen *s, int32_t p, int32_t vd) {
  const uint8_t *b = s->b;
  int32_t end = s->end;
  int c = b[p];
  if (c == 0x74 || c == 0x66 || c == 0x6e) {
    const char *w = c == 0x74 ? "true" : c == 0x66 ? "false" : "null";
    int32_t wl = c == 0x66 ? 5 : 4;
    if (p + wl > end) return UNSURE_SCALAR;
    for (int32_t i = 0; i < wl; i++)
      if (b[p + i] != (uint8_t)w[i]) return UNSURE_SCALAR;
    if (c != 0x6e) {
      int32_t r = route(s, vd);
      if (r == ROUTE_EVERYTHING) return UNSURE_SCALAR;
      if (r != ROUTE_NONE) {
        if (!s->routes[r].ready) {
          s->pause_route = r;
          return BUILD_SCALAR;
        }
        aho_scan_ascii(&s->routes[r], &s->hits, (const uint8_t *)w, wl);
      }
    }
    int t = target(s, vd);
    if (t < 0) return p + wl;
    if (t == 0 && c == 0x6e) {
      pair(s, 0, -1, -1);
      return p + wl;
    }
    return UNSURE_SCALAR;
  }
  /* §6: only a plain integer is written as JavaScript writes it */
  int32_t st = p;
  if (b[p] == 0x2d) p++;
  int d0 = p < end ? b[p] : -1;
  if (d0 == 0x30) p++;
  else if (d0 >= 0x31 && d0 <= 0x39)
    while (p < end && b[p] >= 0x30 && b[p] <= 0x39) p++;
  else return UNSURE_SCALAR;
  int n = p < end ? b[p] : -1;
  if (n == 0x2e || n == 0x65 || n == 0x45) return UNSURE_SCALAR;
  int32_t len = p - st;
  if (len > 15 || (len == 2 && b[st] == 0x2d && b[st + 1] == 0x30)) return UNSURE_SCALAR;
  int32_t r = route(s, vd);
  if (r == ROUTE_EVERYTHING) return UNSURE_SCALAR;
  if (r != ROUTE_NONE) {
    if (!s->routes[r].ready) {
      s->pause_route = r;
      return BUILD_SCALAR;
    }
    aho_scan_ascii(&s->routes[r], &s->hits, b + st, len);
  }
  int t = target(s, vd);
  if (t >= 0) pair(s, t, st, p);
  return p;
}

static int walk(Screen *s, int entry) {
  const uint8_t *b = s->b;
  const int32_t end = s->end;
  uint8_t *kind = s->kind;
  uint8_t *keys = s->keys;
  uint8_t *arrays = s->arrays;
  int32_t p = s->p;
  int32_t d = s->d;
  int32_t vd, r, q;
  int c, t, fresh = 0;

  if (entry == 1) goto value;
  if (entry == 2) goto after;
  s->events = s->seen0 = s->seen1 = s->got0 = s->got1 = s->layout = 0;
  s->members[0] = s->members[1] = 0;
  p = skip_ws(b, p, end);
  if (p >= end || b[p] != 0x7b) return W_UNSURE;
  p++;
  d = 0;
  kind[0] = OBJ;
  keys[1] = K_OTHER;
  arrays[1] = 0;
  fresh = 1;
  for (;;) {
    p = skip_ws(b, p, end);
    if (p >= end) return W_UNSURE;
    c = b[p];
    if (fresh && c == (kind[d] == OBJ ? 0x7d : 0x5d)) {
      /* an empty object or array: the value of its parent */
      p++;
      if (d == 0) return W_UNSURE;
      d--;
      goto after;
    }
    vd = d + 1;
    if (kind[d] == OBJ) {
      /* RFC 8259 §4: a member name, a colon, a value */
      if (c != 0x22) return W_UNSURE;
      int32_t ks = ++p;
      int ascii = 1;
      for (;;) {
        while (p + 8 <= end) {
          /* eight bytes at a time to the first quote, backslash, control or non-ASCII byte */
          uint64_t sp = special(load64(b + p));
          if (sp) {
            p += __builtin_ctzll(sp) >> 3;
            break;
          }
          p += 8;
        }
        if (p >= end) return W_UNSURE;
        c = b[p];
        if (c == 0x22) break;
        if (c == 0x5c) return W_BAIL;
        if (c < 0x20) return W_UNSURE;
        if (c >= 0x80) ascii = 0;
        p++;
      }
      int32_t kl = p - ks;
      p = skip_ws(b, p + 1, end);
      if (p >= end || b[p] != 0x3a) return W_UNSURE;
      p = skip_ws(b, p + 1, end);
      if (p >= end) return W_UNSURE;
      int id = ascii ? structural_id(b, ks, kl) : K_OTHER;
      keys[vd] = (uint8_t)id;
      arrays[vd] = 0;
      if (vd < 6) {
        s->key_at[vd] = ks;
        s->key_len[vd] = kl > KEY_CAP ? -1 : kl;
      }
      if (id == K_EVENT && vd == 1) s->events++;
      else if (id == K_SYSTEM && vd == 2 && keys[1] == K_EVENT) s->layout = 1;
      else if (id == K_CHANNEL) s->seen0++;
      else if (id == K_EVENTID) s->seen1++;
      else if (id == K_EVENTDATA && vd == 2 && keys[1] == K_EVENT) s->members[1]++;
      if (vd == 3 && keys[2] == K_EVENTDATA && keys[1] == K_EVENT) record_member(s, ks, kl, p);
    }
  value:
    /* a value at depth vd = d + 1, its first byte at p */
    vd = d + 1;
    c = b[p];
    if (c == 0x22) {
      t = target(s, vd);
      r = route(s, vd);
      if (r == ROUTE_EVERYTHING) return W_UNSURE;
      if (r != ROUTE_NONE && !s->routes[r].ready) {
        s->p = p;
        s->d = d;
        s->pause_route = r;
        return W_BUILD;
      }
      if (t >= 0) {
        /* Channel / EventID: plain ASCII only here */
        int32_t st = p + 1;
        q = st;
        while (q < end && (c = b[q]) != 0x22 && c != 0x5c && c >= 0x20 && c < 0x80) q++;
        if (q >= end) return W_UNSURE;
        if (c != 0x22) return c < 0x20 ? W_UNSURE : W_BAIL;
        if (r != ROUTE_NONE) memo_scan(&s->memo, r, &s->routes[r], &s->hits, b, st, end);
        pair(s, t, st, q);
        p = q + 1;
      } else if (r == ROUTE_NONE) {
        p = skip_json_string(b, p + 1, end);
        if (p == S_INVALID) return W_UNSURE;
      } else {
        q = memo_scan(&s->memo, r, &s->routes[r], &s->hits, b, p + 1, end);
        if (q == S_INVALID) return W_UNSURE;
        if (q == S_DECLINE) {
          /* non-ASCII characters or \u escapes: decoded and folded by the JavaScript side */
          s->d = d;
          s->pause_route = r;
          s->pause_at = p + 1;
          return W_DECODE;
        }
        p = q;
      }
    } else if (c == 0x7b || c == 0x5b) {
      int array = c == 0x5b;
      if (vd >= MAX_DEPTH) return W_UNSURE;
      if (array && target(s, vd) >= 0) return W_UNSURE;
      kind[vd] = array ? ARR : OBJ;
      keys[vd + 1] = K_OTHER;
      arrays[vd + 1] = array ? 1 : 0;
      d = vd;
      fresh = 1;
      p++;
      continue;
    } else {
      q = scalar(s, p, vd);
      if (q == BUILD_SCALAR) {
        s->p = p;
        s->d = d;
        return W_BUILD;
      }
      if (q < 0) return W_UNSURE;
      p = q;
    }
  after:
    /* after a value (or an empty container): a comma, or the end of the container(s) */
    for (;;) {
      p = skip_ws(b, p, end);
      c = p < end ? b[p] : -1;
      if (c == 0x2c) {
        p++;
        fresh = 0;
        break;
      }
      if (c != (kind[d] == OBJ ? 0x7d : 0x5d)) return W_UNSURE;
      p++;
      if (d == 0) {
        if (skip_ws(b, p, end) != end) return W_UNSURE;
        return s->layout && s->events == 1 && s->seen0 == 1 && s->seen1 == 1 && s->got0 == 1 && s->got1 == 1 ? W_JUDGED : W_UNSURE;
      }
      d--;
    }
  }
}

/* The walk, its last deferred memo lookup settled before anything reads the line's hits. */
int walk_run(Screen *s, int entry) {
  int w = walk(s, entry);
  memo_settle(&s->memo, &s->hits, s->b);
  return w;
}
