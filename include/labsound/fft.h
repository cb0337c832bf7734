/*
 * labsound: the engine's real-input FFT, for bindings and tools. Included by
 * labsound.h. Power-of-two sizes from 2 to 2^24.
 *
 * Conventions for a real signal x[0..n-1]: forward X[k] = sum x[t]
 * e^{-2 pi i k t / n}, k = 0 .. n/2, as two arrays (real and imaginary parts,
 * n/2 + 1 floats each); inverse(forward(x)) == x (the inverse scales by 1/n).
 */
#ifndef LABSOUND_FFT_H
#define LABSOUND_FFT_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ls_real_fft ls_real_fft;

/** A plan for size n (tables computed once). Any thread. Errors:
 *  NOT_SUPPORTED (n not a power of two in [2, 2^24]), NO_MEM, INVALID_ARGUMENT. */
LS_API ls_result ls_real_fft_create(uint32_t n, ls_real_fft **out);
/** Free a plan (NULL allowed). Any thread. */
LS_API void ls_real_fft_destroy(ls_real_fft *fft);
LS_API uint32_t ls_real_fft_size(const ls_real_fft *fft);
/** Forward transform. A plan is used by one thread at a time (it holds
 *  scratch memory); never allocates. Output must not overlap the input. */
LS_API void ls_real_fft_forward(ls_real_fft *fft, const float *in, float *re, float *im);
/** Inverse transform (scaled by 1/n). Same rules as ls_real_fft_forward. */
LS_API void ls_real_fft_inverse(ls_real_fft *fft, const float *re, const float *im, float *out);

#ifdef __cplusplus
}
#endif
#endif /* LABSOUND_FFT_H */
