/*
 * Elementary functions for per-frame loops the compiler vectorizes: exp2,
 * log2 and sin written as polynomials over the float bits, with no calls and
 * no branches, so a loop of them becomes SIMD code (libm's would stay one
 * call a frame). Accuracy: a few float ulps over the ranges stated, which
 * is what the kernels that use them need. Any thread; no state.
 */
#ifndef LS_DSP_VMATH_H
#define LS_DSP_VMATH_H

#include "simd.h"

#include <stdint.h>
#include <string.h>

static inline uint32_t ls_vm_bits(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static inline float ls_vm_float(uint32_t u)
{
    float x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* 2^x for x in [-126, 126] (clamped there); relative error below 2e-7. */
static inline float ls_vm_exp2f(float x)
{
    x = x < -126.0f ? -126.0f : (x > 126.0f ? 126.0f : x);
    const float h = x + 0.5f;
    int32_t i = (int32_t)h;                 /* truncates toward zero */
    i -= (float)i > h;                      /* floor(x + 1/2): the nearest integer */
    const float f = x - (float)i;           /* [-1/2, 1/2] */
    /* 2^f: Taylor series of e^(f ln 2) to the 7th power (error < 3e-9) */
    float p = 1.5252733804059841e-05f;
    p = p * f + 1.5403530393381610e-04f;
    p = p * f + 1.3333558146428443e-03f;
    p = p * f + 9.6181291076284772e-03f;
    p = p * f + 5.5504108664821580e-02f;
    p = p * f + 2.4022650695910071e-01f;
    p = p * f + 6.9314718055994531e-01f;
    p = p * f + 1.0f;
    return p * ls_vm_float((uint32_t)(i + 127) << 23);
}

/* log2 x for normal positive x; absolute error below 3e-7. */
static inline float ls_vm_log2f(float x)
{
    const uint32_t u = ls_vm_bits(x);
    int32_t e = (int32_t)(u >> 23) - 127;
    float m = ls_vm_float((u & 0x007fffffu) | 0x3f800000u);   /* [1, 2) */
    /* m in [sqrt(1/2), sqrt(2)) so that the series below converges fast */
    const int32_t big = m > 1.41421356f;
    m = big ? m * 0.5f : m;
    e += big;
    /* log2 m = 2 atanh(t) / ln 2, t = (m - 1) / (m + 1), |t| < 0.1716 */
    const float t = (m - 1.0f) / (m + 1.0f), t2 = t * t;
    float p = 2.0f / 9.0f;
    p = p * t2 + 2.0f / 7.0f;
    p = p * t2 + 2.0f / 5.0f;
    p = p * t2 + 2.0f / 3.0f;
    p = p * t2 + 2.0f;
    return (float)e + p * t * 1.4426950408889634f;
}

/* sin x for x in [0, pi/2]; absolute error below 1e-7. */
static inline float ls_vm_sin_quarter(float x)
{
    const float x2 = x * x;
    float p = 1.6059043836821615e-10f;      /* 1/13! */
    p = p * x2 - 2.5052108385441720e-08f;   /* -1/11! */
    p = p * x2 + 2.7557319223985890e-06f;
    p = p * x2 - 1.9841269841269841e-04f;
    p = p * x2 + 8.3333333333333333e-03f;
    p = p * x2 - 1.6666666666666667e-01f;
    p = p * x2 + 1.0f;
    return p * x;
}

/* The same, four frames at a time (GCC and Clang vector extensions; the
 * scalar functions above give the same results bit for bit). */
typedef int32_t v4i __attribute__((vector_size(16)));

static inline v4f ls_vm_select(v4i mask, v4f a, v4f b)
{
    return (v4f)((mask & (v4i)a) | (~mask & (v4i)b));
}

static inline v4f ls_vm_splat(float x)
{
    return (v4f){x, x, x, x};
}

static inline v4f ls_vm_exp2_v4(v4f x)
{
    x = ls_vm_select(x < -126.0f, ls_vm_splat(-126.0f), x);
    x = ls_vm_select(x > 126.0f, ls_vm_splat(126.0f), x);
    const v4f h = x + 0.5f;
    v4i i = __builtin_convertvector(h, v4i);
    i += (__builtin_convertvector(i, v4f) > h);        /* -1 where truncation rounded up */
    const v4f f = x - __builtin_convertvector(i, v4f);
    v4f p = ls_vm_splat(1.5252733804059841e-05f);
    p = p * f + 1.5403530393381610e-04f;
    p = p * f + 1.3333558146428443e-03f;
    p = p * f + 9.6181291076284772e-03f;
    p = p * f + 5.5504108664821580e-02f;
    p = p * f + 2.4022650695910071e-01f;
    p = p * f + 6.9314718055994531e-01f;
    p = p * f + 1.0f;
    return p * (v4f)((i + 127) << 23);
}

static inline v4f ls_vm_log2_v4(v4f x)
{
    const v4i u = (v4i)x;
    v4i e = ((u >> 23) & 0xff) - 127;
    v4f m = (v4f)((u & 0x007fffff) | 0x3f800000);
    const v4i big = m > 1.41421356f;
    m = ls_vm_select(big, m * 0.5f, m);
    e -= big;                                          /* big is -1 where true */
    const v4f t = (m - 1.0f) / (m + 1.0f), t2 = t * t;
    v4f p = ls_vm_splat(2.0f / 9.0f);
    p = p * t2 + 2.0f / 7.0f;
    p = p * t2 + 2.0f / 5.0f;
    p = p * t2 + 2.0f / 3.0f;
    p = p * t2 + 2.0f;
    return __builtin_convertvector(e, v4f) + p * t * 1.4426950408889634f;
}

static inline v4f ls_vm_sin_quarter_v4(v4f x)
{
    const v4f x2 = x * x;
    v4f p = ls_vm_splat(1.6059043836821615e-10f);
    p = p * x2 - 2.5052108385441720e-08f;
    p = p * x2 + 2.7557319223985890e-06f;
    p = p * x2 - 1.9841269841269841e-04f;
    p = p * x2 + 8.3333333333333333e-03f;
    p = p * x2 - 1.6666666666666667e-01f;
    p = p * x2 + 1.0f;
    return p * x;
}

#endif
