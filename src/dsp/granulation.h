/*
 * Granulation kernel (GranulationNode, src/nodes/granulation.c): grain
 * windows and one grain's rendering from a mono sample array.
 *
 * A grain of L frames reads the source from `position` (source frames,
 * fractional) advancing `step` source frames per output frame, by linear
 * interpolation (0 outside the source), times window(j / (L - 1)).
 * Plain functions, no allocation: usable on any thread, testable without a context.
 */
#ifndef LS_DSP_GRANULATION_H
#define LS_DSP_GRANULATION_H

#include <stddef.h>
#include <stdint.h>

enum {
    LS_GRAIN_HANN = 0,
    LS_GRAIN_TRIANGLE = 1,
    LS_GRAIN_GAUSSIAN = 2,      /* exp(-(u / 0.4)^2 / 2), u = 2 t - 1 */
    LS_GRAIN_TUKEY = 3,         /* alpha 0.5 */
    LS_GRAIN_BLACKMAN = 4,
    LS_GRAIN_RECTANGLE = 5,
    LS_GRAIN_HAMMING = 6,       /* 0.54 - 0.46 cos(2 pi t) */
    LS_GRAIN_WINDOWS = 7
};

/* The window at t in [0, 1]. */
float ls_grain_window_at(int window, double t);

/* Add frames [from, to) of a grain of `length` frames into out[0 ..): out[k]
 * gets grain frame from + k. */
void ls_grain_add(float *out, int window, uint64_t length, uint64_t from, uint64_t to,
                  const float *src, uint64_t src_frames, double position, double step);

/* The same in two steps, so that a multichannel grain computes its window
 * once: w[k] = the window at grain frame from + k (k < n) of a grain of
 * `length` frames (the cosine windows by a rotation started exactly at
 * `from`: within 1e-6 of ls_grain_window_at), then out[k] += w[k] *
 * src(position + (from + k) * step). */
void ls_grain_window_fill(float *w, int window, uint64_t length, uint64_t from, uint32_t n);
void ls_grain_add_windowed(float *out, const float *w, uint32_t n, uint64_t from,
                           const float *src, uint64_t src_frames, double position, double step);

/* The same read with interpolation `mode` (LS_INTERP_*, src/dsp/interp.h):
 * LS_INTERP_LINEAR is ls_grain_add_windowed; cubic and sinc read zeros
 * outside the source (n at most 128). */
void ls_grain_add_interp(float *out, const float *w, uint32_t n, uint64_t from,
                         const float *src, uint64_t src_frames, double position, double step,
                         int mode);

#endif
