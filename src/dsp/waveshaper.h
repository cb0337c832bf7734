/*
 * WaveShaperNode kernels: the spec's curve lookup with linear interpolation
 * and the 2x resamplers used for "2x" and "4x" oversampling.
 *
 * Resamplers (the design Chromium uses, so oversampled renders match it):
 *   up 2x    even output frames are the input delayed by 64 frames; odd
 *            frames come from a 128-tap windowed sinc (Blackman, alpha 0.16)
 *            that interpolates half-way between input frames (same delay).
 *   down 2x  a 256-tap half-band windowed-sinc low-pass at the input rate,
 *            evaluated only at the kept frames: its odd taps (128 values)
 *            plus the 0.5 centre tap.
 * Each stage delays the signal by 64 (up) or 128 (down, at its input rate)
 * frames. State is a history of the last 256 input frames; processing never
 * allocates. No graph knowledge: any thread may use its own state.
 */
#ifndef LS_DSP_WAVESHAPER_H
#define LS_DSP_WAVESHAPER_H

#include <stddef.h>
#include <stdint.h>

#define LS_RESAMPLE_HISTORY 256
#define LS_RESAMPLE_MAX_BLOCK 512   /* largest input block of one call */

/* y[i] = curve(x[i]), for a curve of n >= 2 values spanning input [-1, 1]. */
void ls_waveshaper_apply(const float *curve, size_t n, const float *x, float *y, size_t count);

typedef struct ls_upsampler2 {
    float buf[LS_RESAMPLE_HISTORY + LS_RESAMPLE_MAX_BLOCK];
} ls_upsampler2;

typedef struct ls_downsampler2 {
    float buf[LS_RESAMPLE_HISTORY + LS_RESAMPLE_MAX_BLOCK];
} ls_downsampler2;

/* The filter kernels, computed once (idempotent, thread-safe after the first
 * call returns; call it on a control thread before rendering). */
void ls_resample_init_kernels(void);

/* n input frames (n <= LS_RESAMPLE_MAX_BLOCK) -> 2n output frames. */
void ls_upsample2(ls_upsampler2 *s, const float *x, float *y, size_t n);
/* 2n input frames (2n <= LS_RESAMPLE_MAX_BLOCK) -> n output frames. */
void ls_downsample2(ls_downsampler2 *s, const float *x, float *y, size_t n);

#endif
