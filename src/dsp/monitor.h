/*
 * Level and spectrum measurement (PowerMonitorNode, SpectralMonitorNode).
 *
 * ls_level: the RMS level of the latest n frames of a multichannel signal,
 * the channels' powers averaged. A ring holds each frame's mean square; a
 * running sum (double) adds the newest and drops the oldest and is summed
 * afresh from the ring once per window, so rounding never accumulates.
 *
 * ls_spectrum: the Blackman-windowed magnitude spectrum of n frames, scaled
 * by 2 / sum(w) so that a full-scale sine centred on a bin reads 1.
 *
 * Plain state, no allocation (the caller owns the memory): usable on any
 * thread, testable without a context.
 */
#ifndef LS_DSP_MONITOR_H
#define LS_DSP_MONITOR_H

#include <stddef.h>
#include <stdint.h>

struct ls_fft;

typedef struct ls_level {
    float *ring;                /* n mean squares (zeroed by ls_level_init) */
    uint32_t n, pos;
    uint32_t since_resum;       /* frames pushed since the sum was last recomputed */
    double sum;
} ls_level;

/* ring: n floats, the caller's. */
void ls_level_init(ls_level *s, float *ring, uint32_t n);
/* Push `frames` frames of `channels` channels (ch[c][i]); channels 0 pushes
 * silence. Non-finite samples count as 0. */
void ls_level_push(ls_level *s, const float *const *ch, uint32_t channels, uint32_t frames);
/* 20 log10(rms) of the latest n frames, floored at floor_db. */
float ls_level_db(const ls_level *s, float floor_db);

/* w[i] = 0.42 - 0.5 cos(2 pi i / n) + 0.08 cos(4 pi i / n), i < n. */
void ls_blackman(float *w, uint32_t n);
/* out[k] = 2 / sum(w) |FFT(x w)[k]|, k = 0 .. n/2, with fft a plan of size n;
 * scratch n floats, re and im n/2 + 1 floats each. */
void ls_spectrum_magnitude(struct ls_fft *fft, const float *x, const float *w, float *scratch,
                           float *re, float *im, float *out);

#endif
