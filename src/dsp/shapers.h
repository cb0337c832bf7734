/*
 * Memoryless shapers (ClipNode, DiodeNode). Each parameter pointer addresses
 * n values, or one when its step is 0.
 */
#ifndef LS_DSP_SHAPERS_H
#define LS_DSP_SHAPERS_H

#include <stddef.h>

/* y = min(max(x, a), b) (b below a: y = b, as min(max()) gives). */
void ls_clip_hard(const float *x, float *y, size_t n, const float *a, size_t as,
                  const float *b, size_t bs);
/* y = a * tanh(b * x) */
void ls_clip_tanh(const float *x, float *y, size_t n, const float *a, size_t as,
                  const float *b, size_t bs);
/* Parker's diode: see ls_diode_create in labsound/extended.h. */
float ls_diode_value(float x, float h, float vb, float vl);
void ls_diode(const float *x, float *y, size_t n, const float *h, size_t hs, const float *vb,
              size_t vbs, const float *vl, size_t vls);

#endif
