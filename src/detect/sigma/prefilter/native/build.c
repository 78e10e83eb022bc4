/*
 * ../aho.ts construct() in C: the Aho–Corasick automaton of a list of needles (UTF-16 code units,
 * already folded), built to exactly the tables the TypeScript build produces — trie, states
 * numbered breadth-first, ASCII character classes in order of first use, DFA rows with failures
 * folded in and reporting states negated, failure and report links, payloads per state (each
 * once, in needle order), and the non-ASCII edges for the goto/failure walk. The TypeScript build
 * stays the reference and the fallback (test/sigma/aho-native.test.ts compares every table).
 * Built on first use, the automata of SigmaHQ's rules took a third of a second of a hunt's first
 * seconds in JavaScript, most of it before the optimizing compiler had reached the build loops.
 */
#define _DEFAULT_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "build.h"

/*
 * Memory for a table handed over to JavaScript as is (external ArrayBuffer, freed by ac_release).
 * Fresh pages are dear where Ward runs in a VM (first touch of a 4 KiB page costs microseconds,
 * and the rows of SigmaHQ's automata are tens of megabytes): big tables ask for huge pages.
 */
#define HUGE_TABLE (4u << 20)

void *ac_alloc(size_t bytes) {
  if (bytes == 0) bytes = 1;
  if (bytes < HUGE_TABLE) return malloc(bytes);
  void *p = NULL;
  if (posix_memalign(&p, 2u << 20, bytes) != 0) return NULL;
#ifdef MADV_HUGEPAGE
  madvise(p, bytes, MADV_HUGEPAGE);
#endif
  return p;
}

void ac_release(void *p) { free(p); }

typedef struct {
  int32_t *state;
  uint16_t *chr;
  int32_t *next;
  uint32_t mask;
} Edges;

static inline uint32_t edge_hash(int32_t s, int c, uint32_t mask) {
  return ((uint32_t)s * 0x9e3779b1u ^ (uint32_t)c * 0x85ebca6bu) & mask;
}

static int32_t edge_get(const Edges *e, int32_t s, int c) {
  for (uint32_t h = edge_hash(s, c, e->mask);; h = (h + 1) & e->mask) {
    if (e->state[h] == -1) return -1;
    if (e->state[h] == s && e->chr[h] == c) return e->next[h];
  }
}

static void edge_put(Edges *e, int32_t s, int c, int32_t t) {
  uint32_t h = edge_hash(s, c, e->mask);
  while (e->state[h] != -1) h = (h + 1) & e->mask;
  e->state[h] = s;
  e->chr[h] = (uint16_t)c;
  e->next[h] = t;
}

void ac_free(AcTables *t) {
  ac_release(t->rows16);
  ac_release(t->rows32);
  ac_release(t->cls);
  ac_release(t->reports);
  ac_release(t->has_out);
  ac_release(t->out_link);
  ac_release(t->fail);
  ac_release(t->out_start);
  ac_release(t->out_data);
  ac_release(t->wide);
  memset(t, 0, sizeof *t);
}

int ac_build(const uint16_t *codes, const int32_t *offsets, int32_t needles, const int32_t *payloads, AcTables *t) {
  memset(t, 0, sizeof *t);
  int32_t cap = 1 + offsets[needles];
  uint32_t size = 1;
  while (size < (uint32_t)cap * 2) size <<= 1;
  Edges e = {malloc(size * sizeof(int32_t)), malloc(size * sizeof(uint16_t)), malloc(size * sizeof(int32_t)), size - 1};
  int32_t *first = malloc((size_t)cap * sizeof(int32_t));
  int32_t *sib = malloc((size_t)cap * sizeof(int32_t));
  uint16_t *edge = calloc((size_t)cap, sizeof(uint16_t));
  int32_t *term = malloc((size_t)(needles > 0 ? needles : 1) * sizeof(int32_t)); /* needle -> trie state */
  int ok = e.state && e.chr && e.next && first && sib && edge && term;
  int32_t n = 1;
  int32_t *order = NULL, *perm = NULL, *count = NULL, *by_state = NULL, *trie_out = NULL, *trie_n = NULL;
  if (!ok) goto done;
  memset(e.state, 0xff, size * sizeof(int32_t));
  memset(first, 0xff, (size_t)cap * sizeof(int32_t));
  memset(sib, 0xff, (size_t)cap * sizeof(int32_t));
  for (int32_t k = 0; k < needles; k++) {
    int32_t s = 0;
    for (int32_t i = offsets[k]; i < offsets[k + 1]; i++) {
      int c = codes[i];
      int32_t x = edge_get(&e, s, c);
      if (x < 0) {
        x = n++;
        edge_put(&e, s, c, x);
        edge[x] = (uint16_t)c;
        sib[x] = first[s];
        first[s] = x;
      }
      s = x;
    }
    term[k] = s;
  }

  /* payloads per trie state, each once, in needle order: a stable counting sort by state */
  count = calloc((size_t)n + 1, sizeof(int32_t));
  by_state = malloc((size_t)(needles > 0 ? needles : 1) * sizeof(int32_t));
  trie_out = malloc((size_t)(needles > 0 ? needles : 1) * sizeof(int32_t));
  trie_n = calloc((size_t)n, sizeof(int32_t)); /* distinct payloads kept per trie state */
  order = calloc((size_t)n, sizeof(int32_t));
  perm = calloc((size_t)n, sizeof(int32_t));
  if (!count || !by_state || !trie_out || !trie_n || !order || !perm) {
    ok = 0;
    goto done;
  }
  for (int32_t k = 0; k < needles; k++) count[term[k] + 1]++;
  for (int32_t s = 0; s < n; s++) count[s + 1] += count[s];
  {
    int32_t *at = malloc((size_t)n * sizeof(int32_t));
    if (!at) {
      ok = 0;
      goto done;
    }
    memcpy(at, count, (size_t)n * sizeof(int32_t));
    for (int32_t k = 0; k < needles; k++) by_state[at[term[k]]++] = payloads[k];
    free(at);
  }
  /* trie_out[count[s] ..] holds state s's distinct payloads (trie_n[s] of them) */
  for (int32_t s = 0; s < n; s++) {
    for (int32_t i = count[s]; i < count[s + 1]; i++) {
      int32_t p = by_state[i];
      int seen = 0;
      for (int32_t j = count[s]; j < count[s] + trie_n[s] && !seen; j++) seen = trie_out[j] == p;
      if (!seen) trie_out[count[s] + trie_n[s]++] = p;
    }
  }

  /* breadth-first numbering (aho.ts: shallow states together, cached) */
  int32_t qn = 1;
  for (int32_t qi = 0; qi < qn; qi++)
    for (int32_t x = first[order[qi]]; x >= 0; x = sib[x]) {
      perm[x] = qn;
      order[qn++] = x;
    }
  /* ASCII classes in order of the trie states that first use them */
  t->cls = ac_alloc(128);
  if (t->cls) memset(t->cls, 0, 128);
  if (!t->cls) {
    ok = 0;
    goto done;
  }
  int32_t width = 1;
  for (int32_t x = 1; x < n; x++)
    if (edge[x] < 128 && t->cls[edge[x]] == 0) t->cls[edge[x]] = (uint8_t)width++;
  t->states = n;
  t->width = width;
  size_t cells = (size_t)n * (size_t)width;
  /* every row but the root's is copied whole from its failure's before its edges are written */
  if (n < 0x8000) t->rows16 = ac_alloc(cells * sizeof(int16_t));
  else t->rows32 = ac_alloc(cells * sizeof(int32_t));
  t->fail = ac_alloc((size_t)n * sizeof(int32_t));
  t->out_link = ac_alloc((size_t)n * sizeof(int32_t));
  t->reports = ac_alloc((size_t)n);
  t->has_out = ac_alloc((size_t)n);
  t->out_start = ac_alloc(((size_t)n + 1) * sizeof(int32_t));
  t->out_data = ac_alloc((size_t)(needles > 0 ? needles : 1) * sizeof(int32_t));
  t->wide = ac_alloc((size_t)(n > 0 ? n : 1) * 3 * sizeof(int32_t));
  if ((!t->rows16 && !t->rows32) || !t->fail || !t->out_link || !t->reports || !t->has_out || !t->out_start || !t->out_data || !t->wide) {
    ok = 0;
    goto done;
  }
  if (t->rows16) memset(t->rows16, 0, (size_t)width * sizeof(int16_t));
  else memset(t->rows32, 0, (size_t)width * sizeof(int32_t));
  t->fail[0] = 0;
  t->out_link[0] = 0;
  int16_t *r16 = t->rows16;
  int32_t *r32 = t->rows32;
#define ROW(i) (r16 ? (int32_t)r16[i] : r32[i])
#define SET_ROW(i, v) do { if (r16) r16[i] = (int16_t)(v); else r32[i] = (v); } while (0)
  for (int32_t s = 0; s < n; s++) {
    int32_t ts = order[s];
    int32_t f = t->fail[s];
    if (s > 0) {
      if (r16) memcpy(r16 + (size_t)s * width, r16 + (size_t)f * width, (size_t)width * sizeof(int16_t));
      else memcpy(r32 + (size_t)s * width, r32 + (size_t)f * width, (size_t)width * sizeof(int32_t));
    }
    for (int32_t x = first[ts]; x >= 0; x = sib[x]) {
      int c = edge[x];
      int32_t u = perm[x];
      if (c < 128) {
        /* the failure state's row is complete: its move on c is u's failure */
        t->fail[u] = s == 0 ? 0 : ROW((size_t)f * width + t->cls[c]);
        SET_ROW((size_t)s * width + t->cls[c], u);
      } else {
        int32_t g = f;
        int32_t ft = edge_get(&e, order[g], c);
        while (ft < 0 && g != 0) {
          g = t->fail[g];
          ft = edge_get(&e, order[g], c);
        }
        t->fail[u] = ft > 0 && s != 0 ? perm[ft] : 0;
        t->wide[3 * t->n_wide] = s;
        t->wide[3 * t->n_wide + 1] = c;
        t->wide[3 * t->n_wide + 2] = u;
        t->n_wide++;
      }
      int32_t fu = t->fail[u];
      t->out_link[u] = trie_n[order[fu]] > 0 ? fu : t->out_link[fu];
    }
  }
  int32_t o = 0;
  for (int32_t s = 0; s < n; s++) {
    int32_t ts = order[s];
    t->out_start[s] = o;
    for (int32_t j = 0; j < trie_n[ts]; j++) t->out_data[o++] = trie_out[count[ts] + j];
    t->has_out[s] = trie_n[ts] > 0;
    t->reports[s] = trie_n[ts] > 0 || t->out_link[s] != 0;
  }
  t->out_start[n] = o;
  t->n_out = o;
  if (o == 0) t->out_data[0] = 0; /* handed over as one element, as the TypeScript build does */
  /* rows hold the next state, bitwise-negated when it reports (one sign test in the scan loop) */
  for (size_t i = 0; i < cells; i++) {
    int32_t v = ROW(i);
    if (t->reports[v]) SET_ROW(i, ~v);
  }
#undef ROW
#undef SET_ROW
done:
  free(e.state);
  free(e.chr);
  free(e.next);
  free(first);
  free(sib);
  free(edge);
  free(term);
  free(count);
  free(by_state);
  free(trie_out);
  free(trie_n);
  free(order);
  free(perm);
  if (!ok) ac_free(t);
  return ok;
}
