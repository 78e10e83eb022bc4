/*
 * Node-API surface of the native line walk (../native.ts is its only caller). A screen holds
 * pointers into typed arrays the JavaScript side created and keeps references to them, so they
 * live as long as the screen; tables are handed over once, lines per call.
 */
#include <stdlib.h>
#include <string.h>
#include "screen.h"
#include "build.h"

#define CHECK(call) do { if ((call) != napi_ok) { napi_throw_error(env, "WARD_NATIVE", #call " failed"); return NULL; } } while (0)

typedef struct {
  void *data;
  size_t length; /* elements */
  napi_typedarray_type type;
} View;

static int view(napi_env env, napi_value v, View *out, napi_typedarray_type want) {
  napi_value ab;
  size_t off;
  if (napi_get_typedarray_info(env, v, &out->type, &out->length, &out->data, &ab, &off) != napi_ok) return 0;
  if (want != (napi_typedarray_type)-1 && out->type != want) return 0;
  return 1;
}

/* Releases references (and so the typed arrays they kept alive), clearing them. */
static void release(napi_env env, napi_ref *refs, int n) {
  for (int i = 0; i < n; i++)
    if (refs[i]) {
      napi_delete_reference(env, refs[i]);
      refs[i] = NULL;
    }
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  Screen *s = data;
  release(env, s->name_refs, 2);
  release(env, s->hit_refs, 3);
  release(env, s->rule_refs, 2);
  release(env, &s->member_ref, 1);
  for (int i = 0; i < PAIRS; i++) release(env, s->pairs[i].refs, 4);
  free(s->rule_stamp);
  for (int32_t r = 0; r <= s->n_routes; r++) release(env, s->routes[r].refs, 6);
  free(s->routes);
  memo_free(&s->memo);
  free(s);
}

static Screen *unwrap(napi_env env, napi_value v) {
  void *p = NULL;
  if (napi_get_value_external(env, v, &p) != napi_ok) return NULL;
  return p;
}

/*
 * create(nameSlots: Int32Array, nameChars: Uint8Array, routes: number, stamp: Uint32Array,
 *        hits: Int32Array, found: Int32Array, clauseRule: Int32Array, out: Int32Array, members: Int32Array)
 * found: where the JavaScript side writes the payloads of a value it decoded (see resume);
 * clauseRule: clause id -> rule; out: the verdict's rules (one slot per rule); members: the
 * line's EventData members as walk.ts records them (WalkHost.members)
 */
static napi_value create(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  View slots, chars, stamp, hits, found, clause_rule, out, members;
  int32_t n_routes;
  if (argc < 9 || !view(env, argv[5], &found, napi_int32_array) || !view(env, argv[6], &clause_rule, napi_int32_array) ||
      !view(env, argv[7], &out, napi_int32_array) || !view(env, argv[8], &members, napi_int32_array) || members.length < 2 ||
      !view(env, argv[0], &slots, napi_int32_array) || !view(env, argv[1], &chars, napi_uint8_array) ||
      napi_get_value_int32(env, argv[2], &n_routes) != napi_ok || n_routes < 0 ||
      !view(env, argv[3], &stamp, napi_uint32_array) || !view(env, argv[4], &hits, napi_int32_array) || slots.length < 4) {
    napi_throw_type_error(env, "WARD_NATIVE", "create: bad arguments");
    return NULL;
  }
  Screen *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->routes = calloc((size_t)n_routes + 1, sizeof(Route));
  s->rule_stamp = calloc(out.length + 1, sizeof(uint32_t));
  if (!s->routes || !s->rule_stamp || !memo_init(&s->memo, 1 << 16, 4 << 20, 512)) {
    free(s->routes);
    free(s->rule_stamp);
    memo_free(&s->memo);
    free(s);
    napi_throw_error(env, "WARD_NATIVE", "create: out of memory");
    return NULL;
  }
  for (int i = 0; i < NAME_CACHE; i++) s->name_cache[i].len = -1;
  s->name_slots = slots.data;
  s->name_mask = (int32_t)(slots.length / 4) - 1;
  s->name_chars = chars.data;
  s->n_routes = n_routes;
  s->hits.stamp = stamp.data;
  s->hits.stamps = (uint32_t)stamp.length;
  s->hits.out = hits.data;
  s->hits.cap = (int32_t)hits.length;
  s->found = found.data;
  s->found_cap = (int32_t)found.length;
  s->clause_rule = clause_rule.data;
  s->n_clauses = (int32_t)clause_rule.length;
  s->out = out.data;
  s->n_rules = (int32_t)out.length;
  s->members = members.data;
  s->members_cap = (int32_t)members.length;
  napi_create_reference(env, argv[0], 1, &s->name_refs[0]);
  napi_create_reference(env, argv[1], 1, &s->name_refs[1]);
  napi_create_reference(env, argv[3], 1, &s->hit_refs[0]);
  napi_create_reference(env, argv[4], 1, &s->hit_refs[1]);
  napi_create_reference(env, argv[5], 1, &s->hit_refs[2]);
  napi_create_reference(env, argv[6], 1, &s->rule_refs[0]);
  napi_create_reference(env, argv[7], 1, &s->rule_refs[1]);
  napi_create_reference(env, argv[8], 1, &s->member_ref);
  napi_value ext;
  CHECK(napi_create_external(env, s, finalize, NULL, &ext));
  return ext;
}

/* setRoute(screen, r, delta: Int16Array|Int32Array, width, cls: Uint8Array, hasOut: Uint8Array, outLink: Int32Array, outStart: Int32Array, outData: Int32Array) */
static napi_value set_route(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Screen *s = argc == 9 ? unwrap(env, argv[0]) : NULL;
  int32_t r, width;
  View delta, cls, has_out, out_link, out_start, out_data;
  if (!s || napi_get_value_int32(env, argv[1], &r) != napi_ok || r < 0 || r > s->n_routes ||
      !view(env, argv[2], &delta, (napi_typedarray_type)-1) || (delta.type != napi_int16_array && delta.type != napi_int32_array) ||
      napi_get_value_int32(env, argv[3], &width) != napi_ok || width < 1 || !view(env, argv[4], &cls, napi_uint8_array) || cls.length < 128 ||
      !view(env, argv[5], &has_out, napi_uint8_array) || !view(env, argv[6], &out_link, napi_int32_array) ||
      !view(env, argv[7], &out_start, napi_int32_array) || !view(env, argv[8], &out_data, napi_int32_array) ||
      out_start.length != has_out.length + 1 || out_link.length != has_out.length || delta.length != has_out.length * (size_t)width) {
    napi_throw_type_error(env, "WARD_NATIVE", "setRoute: bad arguments");
    return NULL;
  }
  Route *a = &s->routes[r];
  release(env, a->refs, 6);
  a->delta16 = delta.type == napi_int16_array ? delta.data : NULL;
  a->delta32 = delta.type == napi_int32_array ? delta.data : NULL;
  a->width = width;
  a->cls = cls.data;
  a->has_out = has_out.data;
  a->out_link = out_link.data;
  a->out_start = out_start.data;
  a->out_data = out_data.data;
  int idx[6] = {2, 4, 5, 6, 7, 8};
  for (int i = 0; i < 6; i++) napi_create_reference(env, argv[idx[i]], 1, &a->refs[i]);
  a->ready = 1;
  return NULL;
}

static napi_value result(napi_env env, int r) {
  napi_value out;
  CHECK(napi_create_int32(env, r, &out));
  return out;
}

/* The line's result from the walk's: the verdict when it judged the line. info: see native.ts. */
static napi_value finish(napi_env env, Screen *s, int w, napi_value info_arr) {
  View info;
  if (!view(env, info_arr, &info, napi_int32_array) || info.length < 8) {
    napi_throw_type_error(env, "WARD_NATIVE", "info: Int32Array(8) expected");
    return NULL;
  }
  int32_t *o = info.data;
  int r;
  switch (w) {
    case W_JUDGED:
      if (s->hits.overflow || !pair_agrees(s, s->b)) r = R_UNSURE;
      else {
        o[0] = verdict(s, s->entry);
        r = o[0] > 0 ? R_RULES : R_NONE;
      }
      break;
    case W_UNSURE: r = R_UNSURE; break;
    case W_BAIL: r = R_JS; break;
    case W_DECODE: r = R_DECODE; break;
    case W_BUILD: r = R_BUILD; break;
    default: r = R_UNSURE;
  }
  o[5] = s->pause_route;
  o[6] = s->pause_at;
  return result(env, r);
}

/* Starts the walk of the line s->b[start, end) with the pair's candidates. */
static int start_walk(Screen *s, PairEntry *e, int32_t start) {
  s->entry = e;
  s->need = e->need;
  s->need_len = e->need_len;
  s->p = start;
  s->d = 0;
  for (int i = 0; i < 4; i++) s->pair[i] = -1;
  return walk_run(s, 0);
}

/*
 * screen(screen, line: Uint8Array, start, end, epoch, info: Int32Array): R_* — the whole raw
 * screen of one line when its pair was met before; R_PAIR asks for the pair's candidates
 * (info[1..4]: the Channel and EventID byte ranges), R_DECODE / R_BUILD for work in JavaScript.
 */
static napi_value screen(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Screen *s = argc == 6 ? unwrap(env, argv[0]) : NULL;
  View line, inf;
  int32_t start, end;
  uint32_t epoch;
  if (!s || !view(env, argv[1], &line, napi_uint8_array) || napi_get_value_int32(env, argv[2], &start) != napi_ok ||
      napi_get_value_int32(env, argv[3], &end) != napi_ok || start < 0 || end < start || (size_t)end > line.length ||
      napi_get_value_uint32(env, argv[4], &epoch) != napi_ok || !view(env, argv[5], &inf, napi_int32_array) || inf.length < 8) {
    napi_throw_type_error(env, "WARD_NATIVE", "screen: bad arguments");
    return NULL;
  }
  const uint8_t *b = line.data;
  s->b = b;
  s->end = end;
  s->start = start;
  s->hits.epoch = epoch;
  s->hits.n = 0;
  s->hits.overflow = 0;
  s->pause_route = -1;
  s->pause_at = -1;
  s->memo.pending = 0;
  s->memo.d_active = 0;
  /* not the evtx_dump layout: nothing to judge (peek.ts opensWithEvent) */
  if (!opens_with_event(b, start, end)) return result(env, R_UNSURE);
  if (!peek_pair(b, start, end, s->peeked)) return result(env, R_JS);
  PairEntry *e = pair_find(s, b, s->peeked);
  if (e == NULL) {
    int32_t *o = inf.data;
    for (int i = 0; i < 4; i++) o[1 + i] = s->peeked[i];
    return result(env, R_PAIR);
  }
  return finish(env, s, start_walk(s, e, start), argv[5]);
}

/* setEntry(screen, prog, ruleAt, always: Int32Array, need: Uint8Array | null, info): the candidates of the pair screen() asked for; goes on with the line. */
static napi_value set_entry(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Screen *s = argc == 6 ? unwrap(env, argv[0]) : NULL;
  View prog, rule_at, always, need;
  napi_valuetype nt;
  int has_need = 0;
  if (!s || s->b == NULL || !view(env, argv[1], &prog, napi_int32_array) || !view(env, argv[2], &rule_at, napi_int32_array) ||
      !view(env, argv[3], &always, napi_int32_array) || napi_typeof(env, argv[4], &nt) != napi_ok ||
      (nt != napi_null && nt != napi_undefined && !(has_need = view(env, argv[4], &need, napi_uint8_array)))) {
    napi_throw_type_error(env, "WARD_NATIVE", "setEntry: bad arguments");
    return NULL;
  }
  PairEntry *e = pair_slot(s, s->b, s->peeked);
  if (e == NULL) {
    e = &s->once;
    memset(e, 0, sizeof *e);
  }
  release(env, e->refs, 4);
  if (s->last_pair == e) s->last_pair = NULL;
  e->prog = prog.data;
  e->prog_len = (int32_t)prog.length;
  e->rule_at = rule_at.data;
  e->rule_at_len = (int32_t)rule_at.length;
  e->always = always.data;
  e->always_len = (int32_t)always.length;
  e->need = has_need ? need.data : NULL;
  e->need_len = has_need ? (int32_t)need.length : 0;
  if (e != &s->once) {
    napi_create_reference(env, argv[1], 1, &e->refs[0]);
    napi_create_reference(env, argv[2], 1, &e->refs[1]);
    napi_create_reference(env, argv[3], 1, &e->refs[2]);
    if (has_need) napi_create_reference(env, argv[4], 1, &e->refs[3]);
    e->used = 1;
    s->last_pair = e;
  }
  return finish(env, s, start_walk(s, e, s->start), argv[5]);
}

/*
 * resume(screen, entry: 1 the paused value again (after a build) | 2 after a value, p, found, info):
 * with entry 2, `found` payloads of the value decoded in JavaScript are in the found array
 * (-1: too many to hand over: the line is then left unjudged).
 */
static napi_value resume(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Screen *s = argc == 5 ? unwrap(env, argv[0]) : NULL;
  int32_t entry, p, found;
  if (!s || s->b == NULL || napi_get_value_int32(env, argv[1], &entry) != napi_ok || (entry != 1 && entry != 2) ||
      napi_get_value_int32(env, argv[2], &p) != napi_ok || p < 0 || p > s->end ||
      napi_get_value_int32(env, argv[3], &found) != napi_ok || found > s->found_cap) {
    napi_throw_type_error(env, "WARD_NATIVE", "resume: bad arguments");
    return NULL;
  }
  if (entry == 2) {
    s->p = p;
    if (found < 0) s->hits.overflow = 1;
    for (int32_t k = 0; k < found; k++) hits_add(&s->hits, s->found[k]);
    if (found >= 0) memo_keep_pending(&s->memo, s->b, s->found, found);
    s->memo.pending = 0;
  }
  s->pause_route = -1;
  s->pause_at = -1;
  return finish(env, s, walk_run(s, entry), argv[4]);
}

static void free_table(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  ac_release(data);
}

/*
 * obj[name]: a typed array of `count` elements over *data itself (an external ArrayBuffer, freed
 * when collected): a table of megabytes is not copied. *data passes to JavaScript (set to NULL).
 */
static int put_array(napi_env env, napi_value obj, const char *name, napi_typedarray_type type, size_t size, void **data, size_t count) {
  napi_value ab, arr;
  if (napi_create_external_arraybuffer(env, *data, count * size, free_table, NULL, &ab) != napi_ok) return 0;
  *data = NULL;
  if (napi_create_typedarray(env, type, count, ab, 0, &arr) != napi_ok) return 0;
  return napi_set_named_property(env, obj, name, arr) == napi_ok;
}

/*
 * build(codes: Uint16Array, offsets: Int32Array, payloads: Int32Array): the tables of ../aho.ts
 * construct() for needles codes[offsets[k], offsets[k + 1]) (build.c)
 */
static napi_value build(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  View codes, offsets, payloads;
  if (argc != 3 || !view(env, argv[0], &codes, napi_uint16_array) || !view(env, argv[1], &offsets, napi_int32_array) ||
      !view(env, argv[2], &payloads, napi_int32_array) || offsets.length != payloads.length + 1) {
    napi_throw_type_error(env, "WARD_NATIVE", "build: bad arguments");
    return NULL;
  }
  const int32_t *off = offsets.data;
  int32_t n = (int32_t)payloads.length;
  for (int32_t k = 0; k < n; k++)
    if (off[k] < 0 || off[k] > off[k + 1] || (size_t)off[k + 1] > codes.length) {
      napi_throw_range_error(env, "WARD_NATIVE", "build: offsets out of range");
      return NULL;
    }
  if (off[0] != 0) {
    napi_throw_range_error(env, "WARD_NATIVE", "build: offsets must start at 0");
    return NULL;
  }
  AcTables t;
  if (!ac_build(codes.data, off, n, payloads.data, &t)) {
    napi_throw_error(env, "WARD_NATIVE", "build: out of memory");
    return NULL;
  }
  napi_value obj, v;
  int ok = napi_create_object(env, &obj) == napi_ok;
  size_t cells = (size_t)t.states * (size_t)t.width;
  ok = ok && napi_create_int32(env, t.states, &v) == napi_ok && napi_set_named_property(env, obj, "states", v) == napi_ok;
  ok = ok && napi_create_int32(env, t.width, &v) == napi_ok && napi_set_named_property(env, obj, "width", v) == napi_ok;
  ok = ok && (t.rows16 ? put_array(env, obj, "delta", napi_int16_array, 2, (void **)&t.rows16, cells) : put_array(env, obj, "delta", napi_int32_array, 4, (void **)&t.rows32, cells));
  ok = ok && put_array(env, obj, "cls", napi_uint8_array, 1, (void **)&t.cls, 128);
  ok = ok && put_array(env, obj, "reports", napi_uint8_array, 1, (void **)&t.reports, (size_t)t.states);
  ok = ok && put_array(env, obj, "hasOut", napi_uint8_array, 1, (void **)&t.has_out, (size_t)t.states);
  ok = ok && put_array(env, obj, "outLink", napi_int32_array, 4, (void **)&t.out_link, (size_t)t.states);
  ok = ok && put_array(env, obj, "fail", napi_int32_array, 4, (void **)&t.fail, (size_t)t.states);
  ok = ok && put_array(env, obj, "outStart", napi_int32_array, 4, (void **)&t.out_start, (size_t)t.states + 1);
  ok = ok && put_array(env, obj, "outData", napi_int32_array, 4, (void **)&t.out_data, (size_t)(t.n_out > 0 ? t.n_out : 1));
  ok = ok && put_array(env, obj, "wide", napi_int32_array, 4, (void **)&t.wide, (size_t)t.n_wide * 3);
  ac_free(&t);
  if (!ok) {
    napi_throw_error(env, "WARD_NATIVE", "build: could not hand the tables over");
    return NULL;
  }
  return obj;
}

/* stats(screen): [values looked up in the memo, values it answered] */
static napi_value stats(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Screen *s = argc == 1 ? unwrap(env, argv[0]) : NULL;
  if (!s) {
    napi_throw_type_error(env, "WARD_NATIVE", "stats: bad arguments");
    return NULL;
  }
  napi_value arr, a, b;
  CHECK(napi_create_array_with_length(env, 2, &arr));
  CHECK(napi_create_double(env, s->memo.lookups, &a));
  CHECK(napi_create_double(env, s->memo.answered, &b));
  napi_set_element(env, arr, 0, a);
  napi_set_element(env, arr, 1, b);
  return arr;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"create", NULL, create, NULL, NULL, NULL, napi_default, NULL},
      {"setRoute", NULL, set_route, NULL, NULL, NULL, napi_default, NULL},
      {"screen", NULL, screen, NULL, NULL, NULL, napi_default, NULL},
      {"setEntry", NULL, set_entry, NULL, NULL, NULL, napi_default, NULL},
      {"resume", NULL, resume, NULL, NULL, NULL, napi_default, NULL},
      {"stats", NULL, stats, NULL, NULL, NULL, napi_default, NULL},
      {"build", NULL, build, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}
