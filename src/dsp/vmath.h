/*
 * Elementary functions for per-frame loops, eight frames at a time (GCC and
 * Clang vector extensions: two SSE registers, or one AVX register in the
 * AVX2 clones that LS_VEC_FN makes, see simd.h; AVX2 without FMA, so both
 * round alike): exp2, log2 and sin as polynomials over the float bits, with
 * no calls and no branches, so a loop of them is SIMD code (libm's would
 * stay one call a frame). Any thread; no state.
 *
 *   ls_vm_exp2(x)         2^x, x clamped to [-126, 126]; relative error < 1e-7
 *   ls_vm_log2(x)         log2 x for normal x > 0; error < 3e-7 + 1 ulp
 *   ls_vm_sin_quarter(x)  sin x for x in [0, pi/2]; error < 1.6e-7
 *   ls_vm_tanh(x)         tanh x for any x (NaN stays NaN); error < 3e-7 + 1 ulp
 *
 * (measured against libm's double functions over those ranges)
 */
#ifndef LS_DSP_VMATH_H
#define LS_DSP_VMATH_H

#include "simd.h"

#include <stdint.h>

typedef int32_t v8i __attribute__((vector_size(32)));

static inline __attribute__((always_inline)) v8f ls_vm_select(v8i mask, v8f a, v8f b)
{
    return (v8f)((mask & (v8i)a) | (~mask & (v8i)b));
}

static inline __attribute__((always_inline)) v8f ls_vm_splat(float x)
{
    return (v8f){x, x, x, x, x, x, x, x};
}

/* 2^x = 2^i 2^f with i the nearest integer, f in [-1/2, 1/2], 2^f by the
 * Taylor series of e^(f ln 2) to the 7th power (truncation error < 3e-9) */
static inline __attribute__((always_inline)) v8f ls_vm_exp2(v8f x)
{
    x = ls_vm_select(x < -126.0f, ls_vm_splat(-126.0f), x);
    x = ls_vm_select(x > 126.0f, ls_vm_splat(126.0f), x);
    const v8f h = x + 0.5f;
    v8i i = __builtin_convertvector(h, v8i);
    i += (__builtin_convertvector(i, v8f) > h);        /* -1 where truncation rounded up */
    const v8f f = x - __builtin_convertvector(i, v8f);
    v8f p = ls_vm_splat(1.5252733804059841e-05f);
    p = p * f + 1.5403530393381610e-04f;
    p = p * f + 1.3333558146428443e-03f;
    p = p * f + 9.6181291076284772e-03f;
    p = p * f + 5.5504108664821580e-02f;
    p = p * f + 2.4022650695910071e-01f;
    p = p * f + 6.9314718055994531e-01f;
    p = p * f + 1.0f;
    return p * (v8f)((i + 127) << 23);
}

/* log2 x = e + log2 m with m in [sqrt(1/2), sqrt(2)); log2 m = 2 atanh(t) / ln 2
 * with t = (m - 1) / (m + 1), |t| < 0.1716, by its series to t^9 */
static inline __attribute__((always_inline)) v8f ls_vm_log2(v8f x)
{
    const v8i u = (v8i)x;
    v8i e = ((u >> 23) & 0xff) - 127;
    v8f m = (v8f)((u & 0x007fffff) | 0x3f800000);
    const v8i big = m > 1.41421356f;
    m = ls_vm_select(big, m * 0.5f, m);
    e -= big;                                          /* big is -1 where true */
    const v8f t = (m - 1.0f) / (m + 1.0f), t2 = t * t;
    v8f p = ls_vm_splat(2.0f / 9.0f);
    p = p * t2 + 2.0f / 7.0f;
    p = p * t2 + 2.0f / 5.0f;
    p = p * t2 + 2.0f / 3.0f;
    p = p * t2 + 2.0f;
    return __builtin_convertvector(e, v8f) + p * t * 1.4426950408889634f;
}

/* sin x by its Taylor series to x^13 */
static inline __attribute__((always_inline)) v8f ls_vm_sin_quarter(v8f x)
{
    const v8f x2 = x * x;
    v8f p = ls_vm_splat(1.6059043836821615e-10f);
    p = p * x2 - 2.5052108385441720e-08f;
    p = p * x2 + 2.7557319223985890e-06f;
    p = p * x2 - 1.9841269841269841e-04f;
    p = p * x2 + 8.3333333333333333e-03f;
    p = p * x2 - 1.6666666666666667e-01f;
    p = p * x2 + 1.0f;
    return p * x;
}

/* tanh x: the odd Taylor series to x^11 for |x| < 1/4 (truncation error
 * < 1e-10), 1 - 2 / (e^(2|x|) + 1) beyond, with x's sign */
static inline __attribute__((always_inline)) v8f ls_vm_tanh(v8f x)
{
    const v8i sign = (v8i)x & (v8i)ls_vm_splat(-0.0f);
    const v8f ax = (v8f)((v8i)x & ~sign);
    const v8f x2 = x * x;
    v8f p = ls_vm_splat(-1382.0f / 155925.0f);
    p = p * x2 + 62.0f / 2835.0f;
    p = p * x2 - 17.0f / 315.0f;
    p = p * x2 + 2.0f / 15.0f;
    p = p * x2 - 1.0f / 3.0f;
    const v8f small = ax + ax * x2 * p;
    const v8f e = ls_vm_exp2(ax * 2.8853900817779268f);   /* e^(2|x|) */
    const v8f big = 1.0f - 2.0f / (e + 1.0f);
    const v8f r = (v8f)((v8i)ls_vm_select(ax < 0.25f, small, big) | sign);
    return ls_vm_select(x != x, x, r);
}

#endif
