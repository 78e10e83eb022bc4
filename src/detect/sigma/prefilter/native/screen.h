/*
 * The raw screen in C: the byte search for Channel/EventID (../peek.ts), the loop over a line
 * (../walk.ts), the memo, DFA steps and name lookups, and the verdict per pair (../program.ts) —
 * each the twin of its TypeScript file, which stays the reference and the fallback — over the
 * tables the TypeScript side builds (name table, automaton rows, pair programs). What it does
 * not do itself it hands back as a pause — a pair met for the first time, a value with non-ASCII
 * characters or \u escapes to decode and fold, an automaton not built yet — and ../native.ts
 * resumes it.
 */
#ifndef WARD_SCREEN_H
#define WARD_SCREEN_H

#include <stdint.h>
#include <string.h>
#include <node_api.h>

/* Word-at-a-time helpers of the walk and the scans (unaligned loads through memcpy). */
#define WORD_ONES 0x0101010101010101ULL
#define WORD_HIGH 0x8080808080808080ULL

static inline uint64_t load64(const uint8_t *p) {
  uint64_t w;
  memcpy(&w, p, 8);
  return w;
}

static inline uint32_t load32(const uint8_t *p) {
  uint32_t w;
  memcpy(&w, p, 4);
  return w;
}

/*
 * Nonzero when one of the eight bytes of w may be a quote, a backslash, a control or a non-ASCII
 * byte; the lowest flagged byte is exact (a borrow only runs upwards).
 */
static inline uint64_t special(uint64_t w) {
  uint64_t q = w ^ (WORD_ONES * 0x22);
  uint64_t e = w ^ (WORD_ONES * 0x5c);
  return (((q - WORD_ONES) & ~q) | ((e - WORD_ONES) & ~e) | (w - WORD_ONES * 0x20) | w) & WORD_HIGH;
}

/* walk results */
enum { W_JUDGED = 0, W_UNSURE = 1, W_BAIL = 2, W_DECODE = 3, W_BUILD = 4 };

/* line results, as ../native.ts reads them */
enum { R_NONE = 0, R_RULES = 1, R_UNSURE = 2, R_JS = 3, R_DECODE = 4, R_BUILD = 5, R_PAIR = 6 };

/* structural member names, numbered as ../layout.ts numbers them */
enum { K_OTHER = 0, K_EVENT, K_SYSTEM, K_EVENTDATA, K_USERDATA, K_CHANNEL, K_EVENTID, K_TEXT, K_ATTRS };

#define MAX_DEPTH 64
#define KEY_CAP 128
#define ROUTE_EVERYTHING (-2)
#define ROUTE_NONE (-1)
/* automaton scan results, as sources/json/scan.ts's DECLINE and INVALID */
#define S_DECLINE (-1)
#define S_INVALID (-2)

/* One automaton's tables (aho.ts after build()): DFA rows over ASCII classes, reports. */
typedef struct Route {
  int ready;
  const int16_t *delta16;
  const int32_t *delta32;
  int width;
  const uint8_t *cls;      /* ASCII code -> class, A-Z folded */
  const uint8_t *has_out;  /* state reports needles of its own */
  const int32_t *out_link; /* next reporting suffix state, 0: none */
  const int32_t *out_start;/* state -> first payload in out_data (states + 1 entries) */
  const int32_t *out_data;
  napi_ref refs[6];
} Route;

/* Hits of one line: clause ids stamped with the line's epoch (shared with JavaScript). */
typedef struct {
  uint32_t *stamp;
  uint32_t stamps;
  uint32_t epoch;
  int32_t *out;
  int32_t cap;
  int32_t n;
  int overflow;
} Hits;

/* A value as the memo knows it: its hash tag and first slot, its automaton, its bytes b[at, at + len). */
typedef struct {
  int32_t tag, start, auto_id, at, len;
} MemoKey;

typedef struct {
  int32_t *slots;  /* per slot: tag (0 empty), entry offset in arena (words) */
  int32_t mask;
  int32_t *arena;
  int32_t arena_words;
  int32_t used;
  int32_t count;
  int32_t max_value;
  /* payloads found by the scan being recorded */
  int32_t found[256];
  int32_t n_found;
  int found_overflow;
  /* a value declined for decoding, kept once the JavaScript side reports its payloads */
  int pending;
  MemoKey p_key;
  int32_t p_slot;
  /* a value whose lookup waits for its slot to reach the cache (memo_settle) */
  int d_active;
  MemoKey d_key;
  int32_t d_end;
  const struct Route *d_route;
  double lookups;
  double answered;
} Memo;

#define NAME_CACHE 1024
#define NAME_CACHE_BYTES 48

/* a member name met before, by its exact bytes: its id (or -1 / -2) and whether it holds a space */
typedef struct {
  int32_t len;
  int32_t split;
  int32_t id;
  int32_t space;
  /* name_of()'s two words of the name */
  uint64_t w0, w1;
  uint8_t bytes[NAME_CACHE_BYTES];
} NameCacheEntry;

#define PAIRS 1024
#define PAIR_KEY 240

/* One (Channel, EventID) pair's candidates (program.ts Entry), kept by the pair's bytes. */
typedef struct {
  int used;
  int32_t clen, elen;
  uint8_t key[PAIR_KEY];
  const int32_t *prog;
  int32_t prog_len;
  const int32_t *rule_at;
  int32_t rule_at_len;
  const int32_t *always;
  int32_t always_len;
  const uint8_t *need; /* NULL: every route */
  int32_t need_len;
  napi_ref refs[4];
} PairEntry;

typedef struct {
  /* name table (names.ts): per slot hash, offset, length (-1 empty), id; names lower case */
  const int32_t *name_slots;
  int32_t name_mask;
  const uint8_t *name_chars;
  napi_ref name_refs[2];
  NameCacheEntry name_cache[NAME_CACHE];
  Route *routes; /* n_routes + 1: the last is the keyword automaton */
  int32_t n_routes;
  Hits hits;
  napi_ref hit_refs[3];
  int32_t *found;
  int32_t found_cap;
  Memo memo;
  /* walk state, kept between a pause and its resumption */
  const uint8_t *b;
  int32_t start;
  int32_t end;
  const uint8_t *need;
  int32_t need_len;
  uint8_t kind[MAX_DEPTH + 2];
  uint8_t keys[MAX_DEPTH + 2];
  uint8_t arrays[MAX_DEPTH + 2];
  int32_t key_at[8];
  int32_t key_len[8];
  int32_t d;
  int32_t events, layout, seen0, seen1, got0, got1;
  /* Channel and EventID values: byte ranges, -1 for a null Channel */
  int32_t pair[4];
  /* candidates per pair, the verdict's per-rule stamps and its output */
  PairEntry pairs[PAIRS];
  PairEntry *last_pair;
  PairEntry *entry; /* this line's */
  PairEntry once;   /* a pair too long to keep, for one line */
  int32_t peeked[4];
  const int32_t *clause_rule;
  int32_t n_clauses;
  uint32_t *rule_stamp;
  int32_t n_rules;
  uint32_t calls;
  int32_t *out;
  napi_ref rule_refs[2];
  /* the line's EventData members (walk.ts recordMember): count or -1, objects, then triples */
  int32_t *members;
  int32_t members_cap;
  napi_ref member_ref;
  /* where to resume, and what the pause is about */
  int32_t p;
  int32_t pause_route;
  int32_t pause_at;
} Screen;

void hits_add(Hits *h, int32_t clause);
void aho_scan_ascii(const Route *a, Hits *h, const uint8_t *codes, int32_t len);
int memo_init(Memo *m, int32_t slots, int32_t arena_bytes, int32_t max_value);
void memo_free(Memo *m);
int32_t memo_scan(Memo *m, int32_t route_id, const Route *a, Hits *h, const uint8_t *b, int32_t at, int32_t end);
void memo_keep_pending(Memo *m, const uint8_t *b, const int32_t *found, int32_t n);
void memo_settle(Memo *m, Hits *h, const uint8_t *b);
int32_t skip_json_string(const uint8_t *s, int32_t at, int32_t end);
int32_t name_find(const Screen *s, const uint8_t *b, int32_t start, int32_t len, int32_t start2, int32_t len2);
int opens_with_event(const uint8_t *b, int32_t start, int32_t end);
int peek_pair(const uint8_t *b, int32_t start, int32_t end, int32_t out[4]);
PairEntry *pair_find(Screen *s, const uint8_t *b, const int32_t r[4]);
PairEntry *pair_slot(Screen *s, const uint8_t *b, const int32_t r[4]);
int pair_agrees(const Screen *s, const uint8_t *b);
int32_t verdict(Screen *s, const PairEntry *e);
/* entry: 0 a new line at p, 1 the value at p again (after a build), 2 after a value ending at p */
int walk_run(Screen *s, int entry);

#endif
