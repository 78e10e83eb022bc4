/* The Aho–Corasick build in C (build.c), the twin of ../aho.ts construct(). */
#ifndef WARD_BUILD_H
#define WARD_BUILD_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
  int32_t states;
  int32_t width;
  int16_t *rows16; /* states x width when states < 0x8000, else rows32 */
  int32_t *rows32;
  uint8_t *cls;    /* 128: ASCII code -> class (0: in no needle) */
  uint8_t *reports;
  uint8_t *has_out;
  int32_t *out_link;
  int32_t *fail;
  int32_t *out_start; /* states + 1 */
  int32_t *out_data;
  int32_t n_out;
  int32_t *wide;   /* non-ASCII edges: (state, char, next) triples */
  int32_t n_wide;
} AcTables;

/* Builds from needles codes[offsets[k], offsets[k + 1]) with payloads[k]; 0 when out of memory. */
int ac_build(const uint16_t *codes, const int32_t *offsets, int32_t needles, const int32_t *payloads, AcTables *t);
/* Frees every table (those not handed over: handed-over ones are set to NULL first). */
void ac_free(AcTables *t);
void *ac_alloc(size_t bytes);
void ac_release(void *p);

#endif
