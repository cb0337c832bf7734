/*
 * Four-wide float vectors for the kernels (GCC and Clang vector extensions:
 * SSE on x86-64, NEON on ARM, plain scalar code where neither exists), with
 * unaligned loads and stores. Any thread; no state.
 */
#ifndef LS_DSP_SIMD_H
#define LS_DSP_SIMD_H

#include <string.h>

typedef float v4f __attribute__((vector_size(16)));

static inline v4f load4(const float *p)
{
    v4f v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void store4(float *p, v4f v)
{
    memcpy(p, &v, sizeof v);
}

#endif
