/*
 * Reading a buffer between its frames: the interpolators of the buffer
 * players (AudioBufferSourceNode, SampledAudioNode, GranulationNode). No
 * graph knowledge, no allocation on the reading side.
 *
 * Positions are in buffer frames; frame i of a read sits at p0 + i * step.
 * A whole-frame position gives the frame itself in the linear and cubic
 * modes; the sinc filters every frame alike (its cutoff is below the
 * buffer's Nyquist frequency, so at a whole position it is its kernel at
 * whole distances, not the frame).
 *
 * - LS_INTERP_LINEAR: x[k] + f (x[k+1] - x[k]), k = floor(pos), f = pos - k.
 * - LS_INTERP_CUBIC: the 4-point Catmull-Rom cubic through x[k-1 .. k+2].
 * - LS_INTERP_SINC: band-limited, a Kaiser-windowed sinc of 2 LS_INTERP_SINC_HALF
 *   taps (x[k-55 .. k+56]); cutoff 0.925 of the buffer's Nyquist frequency,
 *   flat (within 1e-6) to 0.85 of it, at least 120 dB down from its Nyquist
 *   frequency on. A table holds the kernel at 1024 fractional positions and
 *   a position between two is interpolated linearly. When the step exceeds
 *   1 (the buffer read faster than its own rate) the cutoff is lowered by
 *   1 / step (at most 8 times; the kernel is then that much longer), so
 *   nothing aliases.
 *
 * Frames outside the buffer: a view either continues the signal (linear: the
 * line through the two edge frames, as Chromium extrapolates; cubic: the
 * quadratic through the three edge frames; the edge frame held when there are
 * fewer) or reads zeros. A sinc whose taps reach past a continued edge
 * (within 56 frames of it) uses the cubic there: a polynomial continuation
 * tens of frames long is no signal a band-limited kernel should read.
 * A view may also wrap: taps at or past w1 are taken from w0 on (modulo the
 * loop's length), and taps before w0 from the loop's end when the frame read
 * lies inside the loop (a playhead going round a loop reads the loop as a
 * periodic signal, so the loop is seamless).
 */
#ifndef LS_DSP_INTERP_H
#define LS_DSP_INTERP_H

#include <stdbool.h>
#include <stdint.h>

/* the values of the public ls_interpolation enum */
enum { LS_INTERP_LINEAR = 1, LS_INTERP_CUBIC = 2, LS_INTERP_SINC = 3 };
enum { LS_INTERP_EDGE_CONTINUE = 0, LS_INTERP_EDGE_ZERO = 1 };

#define LS_INTERP_SINC_HALF 56

typedef struct ls_interp_view {
    int mode;                    /* LS_INTERP_* */
    int edge;                    /* LS_INTERP_EDGE_* */
    int wrap;                    /* taps wrap inside [w0, w1) */
    int64_t n;                   /* buffer frames, > 0 */
    int64_t w0, w1;              /* 0 <= w0 < w1 <= n when wrap */
} ls_interp_view;

/* Build the sinc kernel's table (once per process; later calls return at
 * once). Control thread: it allocates. False when out of memory; sinc views
 * read with the cubic until it exists. */
bool ls_interp_init(void);

/* y[c][i] = (or += when add) the value at p0 + i * step of channel x[c], for
 * i < m and c < channels. Positions outside [0, n) give 0. Any thread. */
void ls_interp_read(const ls_interp_view *v, const float *const *x, uint32_t channels,
                    float *const *y, uint32_t m, double p0, double step, bool add);

/* One value of one channel (the reference the runs above agree with). */
float ls_interp_value(const ls_interp_view *v, const float *x, double pos, double step);

#endif
