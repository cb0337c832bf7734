/*
 * Real-input FFT for power-of-two sizes.
 *
 * A plan holds everything one size needs (bit-reversal table, twiddles,
 * scratch), computed once by ls_fft_create. Executing a plan never
 * allocates, locks or calls into libm, so it may run on the render thread.
 * A plan's scratch makes it single-user: one thread executes a given plan
 * at a time (give each node its own plan).
 *
 * Conventions, for a real signal x[0..n-1]:
 *   forward   X[k] = sum_n x[n] e^{-2 pi i k n / n}      k = 0 .. n/2
 *   inverse   x[n] = (1/n) sum_k X[k] e^{+2 pi i k n / n} (over the full,
 *             Hermitian-symmetric spectrum), so inverse(forward(x)) == x.
 * The half spectrum is kept as two arrays of n/2 + 1 floats each, real and
 * imaginary parts (im[0] and im[n/2] are 0 on output and ignored on input).
 *
 * Method: the n real samples are packed as n/2 complex ones (even samples
 * real, odd samples imaginary), transformed with an iterative radix-4
 * decimation-in-time FFT (one radix-2 pass when log2(n/2) is odd), and the
 * two interleaved half-size spectra are separated with one twiddle pass.
 */
#ifndef LS_DSP_FFT_H
#define LS_DSP_FFT_H

#include <stdint.h>

typedef struct ls_fft ls_fft;

/* Smallest and largest supported sizes. */
#define LS_FFT_MIN_SIZE 2u
#define LS_FFT_MAX_SIZE (1u << 24)

/* Create a plan for size n (a power of two in [LS_FFT_MIN_SIZE,
 * LS_FFT_MAX_SIZE]). Returns NULL for any other n or when memory runs out.
 * Control thread (allocates). */
ls_fft *ls_fft_create(uint32_t n);

/* Free a plan. NULL is allowed. Control thread. */
void ls_fft_destroy(ls_fft *fft);

/* The size the plan was made for. */
uint32_t ls_fft_size(const ls_fft *fft);

/* Forward transform of in[0..n-1] into re[0..n/2], im[0..n/2]. The output
 * arrays must not overlap the input. Any thread that owns the plan. */
void ls_fft_forward(ls_fft *fft, const float *in, float *re, float *im);

/* Inverse transform of the half spectrum re/im[0..n/2] into out[0..n-1],
 * scaled by 1/n. The input is left untouched; out must not overlap it. */
void ls_fft_inverse(ls_fft *fft, const float *re, const float *im, float *out);

#endif
