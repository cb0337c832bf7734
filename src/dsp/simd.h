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

/* Eight lanes: two SSE registers, or one AVX register in the AVX2 clones
 * LS_VEC_FN makes (no FMA there, so both round alike). The helpers are
 * always inlined, so GCC's note on passing 32-byte vectors without AVX
 * (-Wpsabi, given at every use) never applies: it is off where this header
 * is included. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif
typedef float v8f __attribute__((vector_size(32)));

static inline v8f load8(const float *p)
{
    v8f v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void store8(float *p, v8f v)
{
    memcpy(p, &v, sizeof v);
}

/*
 * LS_VEC_FN marks a function made of straight loops over independent frames
 * that the compiler turns into SIMD code. On x86-64 Linux with GCC an AVX2
 * version is also built and chosen at load time when the CPU has it (AVX2
 * without FMA, so both versions round alike: the results are the same bit
 * for bit). Not under ThreadSanitizer, whose run
 * time is not yet set up when the loader runs the chooser.
 */
#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__SANITIZE_THREAD__)
#define LS_VEC_FN __attribute__((optimize("tree-vectorize"), target_clones("avx2", "default")))
#else
#define LS_VEC_FN __attribute__((optimize("tree-vectorize")))
#endif

#endif
