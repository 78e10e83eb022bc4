/*
 * Node-API surface of the native line walk (../native.ts is its only caller). A screen holds
 * pointers into typed arrays the JavaScript side created and keeps references to them, so they
 * live as long as the screen; tables are handed over once, lines per call.
 */
#include <stdlib.h>
#include <string.h>
#include "screen.h"

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

static void finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  Screen *s = data;
  for (int i = 0; i < 2; i++)
    if (s->name_refs[i]) napi_delete_reference(env, s->name_refs[i]);
  for (int i = 0; i < 3; i++)
    if (s->hit_refs[i]) napi_delete_reference(env, s->hit_refs[i]);
  for (int32_t r = 0; r <= s->n_routes; r++)
    for (int i = 0; i < 6; i++)
      if (s->routes[r].refs[i]) napi_delete_reference(env, s->routes[r].refs[i]);
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
 *        hits: Int32Array, found: Int32Array) — found: where the JavaScript side writes the
 *        payloads of a value it decoded (see resume)
 */
static napi_value create(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  View slots, chars, stamp, hits, found;
  int32_t n_routes;
  if (argc < 6 || !view(env, argv[5], &found, napi_int32_array) || !view(env, argv[0], &slots, napi_int32_array) || !view(env, argv[1], &chars, napi_uint8_array) ||
      napi_get_value_int32(env, argv[2], &n_routes) != napi_ok || n_routes < 0 ||
      !view(env, argv[3], &stamp, napi_uint32_array) || !view(env, argv[4], &hits, napi_int32_array) || slots.length < 4) {
    napi_throw_type_error(env, "WARD_NATIVE", "create: bad arguments");
    return NULL;
  }
  Screen *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->routes = calloc((size_t)n_routes + 1, sizeof(Route));
  if (!s->routes || !memo_init(&s->memo, 1 << 16, 4 << 20, 512)) {
    free(s->routes);
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
  napi_create_reference(env, argv[0], 1, &s->name_refs[0]);
  napi_create_reference(env, argv[1], 1, &s->name_refs[1]);
  napi_create_reference(env, argv[3], 1, &s->hit_refs[0]);
  napi_create_reference(env, argv[4], 1, &s->hit_refs[1]);
  napi_create_reference(env, argv[5], 1, &s->hit_refs[2]);
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
  for (int i = 0; i < 6; i++)
    if (a->refs[i]) napi_delete_reference(env, a->refs[i]);
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

/* Writes the line's outcome into info: hits, Channel and EventID ranges, the pause. */
static napi_value finish(napi_env env, Screen *s, int w, napi_value info_arr) {
  View info;
  if (!view(env, info_arr, &info, napi_int32_array) || info.length < 8) {
    napi_throw_type_error(env, "WARD_NATIVE", "info: Int32Array(8) expected");
    return NULL;
  }
  if (w == W_JUDGED && s->hits.overflow) w = W_UNSURE;
  int32_t *o = info.data;
  o[0] = s->hits.n;
  for (int i = 0; i < 4; i++) o[1 + i] = s->pair[i];
  o[5] = s->pause_route;
  o[6] = s->pause_at;
  napi_value out;
  CHECK(napi_create_int32(env, w, &out));
  return out;
}

/* walk(screen, line: Uint8Array, start, end, need: Uint8Array|null, epoch, info: Int32Array) */
static napi_value walk(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Screen *s = argc == 7 ? unwrap(env, argv[0]) : NULL;
  View line, need;
  int32_t start, end;
  uint32_t epoch;
  napi_valuetype nt;
  if (!s || !view(env, argv[1], &line, napi_uint8_array) || napi_get_value_int32(env, argv[2], &start) != napi_ok ||
      napi_get_value_int32(env, argv[3], &end) != napi_ok || start < 0 || end < start || (size_t)end > line.length ||
      napi_get_value_uint32(env, argv[5], &epoch) != napi_ok || napi_typeof(env, argv[4], &nt) != napi_ok) {
    napi_throw_type_error(env, "WARD_NATIVE", "walk: bad arguments");
    return NULL;
  }
  if (nt == napi_null || nt == napi_undefined) {
    s->need = NULL;
    s->need_len = 0;
  } else if (view(env, argv[4], &need, napi_uint8_array)) {
    s->need = need.data;
    s->need_len = (int32_t)need.length;
  } else {
    napi_throw_type_error(env, "WARD_NATIVE", "walk: need must be a Uint8Array");
    return NULL;
  }
  s->b = line.data;
  s->end = end;
  s->p = start;
  s->d = 0;
  s->hits.epoch = epoch;
  s->hits.n = 0;
  s->hits.overflow = 0;
  for (int i = 0; i < 4; i++) s->pair[i] = -1;
  s->pause_route = -1;
  s->pause_at = -1;
  return finish(env, s, walk_run(s, 0), argv[6]);
}

/*
 * resume(screen, line: Uint8Array, entry: 1 retry the value | 2 after a value, p, info, found) —
 * the same line as walk(); with entry 2, `found` payloads of the decoded value are in the found
 * array (-1: do not keep the value in the memo)
 */
static napi_value resume(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Screen *s = argc == 6 ? unwrap(env, argv[0]) : NULL;
  View line;
  int32_t entry, p, found;
  if (!s || !view(env, argv[1], &line, napi_uint8_array) || (const uint8_t *)line.data != s->b ||
      napi_get_value_int32(env, argv[2], &entry) != napi_ok || (entry != 1 && entry != 2) ||
      napi_get_value_int32(env, argv[3], &p) != napi_ok || p < 0 || p > s->end ||
      napi_get_value_int32(env, argv[5], &found) != napi_ok || found > s->found_cap) {
    napi_throw_type_error(env, "WARD_NATIVE", "resume: bad arguments");
    return NULL;
  }
  if (entry == 2) {
    s->p = p;
    if (found >= 0) memo_keep_pending(&s->memo, s->b, s->found, found);
    s->memo.pending = 0;
  }
  s->pause_route = -1;
  s->pause_at = -1;
  return finish(env, s, walk_run(s, entry), argv[4]);
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
      {"walk", NULL, walk, NULL, NULL, NULL, napi_default, NULL},
      {"resume", NULL, resume, NULL, NULL, NULL, napi_default, NULL},
      {"stats", NULL, stats, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}
